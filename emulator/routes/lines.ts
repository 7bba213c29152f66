import type { z } from 'zod';
import { noContent, ok, type Handler, type Services } from '../context';
import { badRequest, invalidResource } from '../problem';
import type { Router } from '../router';
import type { Json, StoreRecord } from '../state';
import { mailchimpTime, page, paging } from '../util';
import { validateBody } from '../validation';
import { writeCustomer } from './customers';
import { collection, duplicate, findStore, found, withoutUndefined } from './ecommerce';

/**
 * What orders and carts share: their lines (a line names a product and a variant that must exist; it is stored with
 * their titles and image at the time of the write), the line routes below `…/{parent_id}/lines`, the lines of a
 * PATCH (upserted by id) and the customer they carry (an existing one by id, a new one with its e-mail).
 */

export const UNKNOWN_PRODUCT = 'A product with the provided ID does not exist in the account for this list.';
export const UNKNOWN_VARIANT = 'A product with the provided variant ID does not exist in the account for this list.';

interface LineInput {
  id: string;
  product_id: string;
  product_variant_id: string;
  quantity: number;
  price: number;
}

/** An order or a cart, as far as its lines go. */
interface WithLines {
  lines: Map<string, Json>;
  updated_at: string;
}

/** A line as stored: its fields plus the product's title and image at the time of the write. */
export function resolveLine(store: StoreRecord, line: LineInput): Json {
  const product = store.products.get(line.product_id);
  if (!product) throw badRequest(UNKNOWN_PRODUCT);
  const variant = product.variants.get(line.product_variant_id);
  if (!variant) throw badRequest(UNKNOWN_VARIANT);
  return {
    ...withoutUndefined({ ...line }),
    product_title: product.data.title,
    product_variant_title: variant.data.title,
    image_url: variant.data.image_url ?? product.data.image_url ?? '',
  };
}

/** The stored lines of a POST (or PUT) body, by id. */
export function linesById(store: StoreRecord, lines: readonly LineInput[]): Map<string, Json> {
  return new Map(lines.map((line) => resolveLine(store, line)).map((l) => [String(l.id), l]));
}

/** The lines of a PATCH body, each merged onto the stored line of its id (required) and checked whole. */
export function patchedLines<S extends z.ZodType<LineInput, z.ZodTypeDef, unknown>>(
  store: StoreRecord,
  parent: WithLines,
  lines: ReadonlyArray<{ id?: string }> | undefined,
  schema: S,
  label: string,
): Json[] {
  return (lines ?? []).map((line, index) => {
    if (line.id === undefined) throw invalidResource([{ field: `lines.${index}.id`, message: 'is required' }]);
    const merged = { ...(parent.lines.get(line.id) ?? {}), ...withoutUndefined({ ...line }) };
    return resolveLine(store, validateBody(schema, merged, label));
  });
}

/**
 * The customer of a POSTed order or cart: an existing one is named by its id, a new one needs its e-mail; its details
 * apply to the customer (opt_in_status never changes a contact). Returns the customer's id.
 */
export function writeBuyer(services: Services, store: StoreRecord, customer: { id: string; email_address?: string } & Json): string {
  if (!store.customers.has(customer.id) && customer.email_address === undefined) {
    throw invalidResource([{ field: 'customer.email_address', message: 'is required for a new customer' }]);
  }
  const { id, ...fields } = customer;
  writeCustomer(services, store, id, fields, false);
  return id;
}

export interface LineRoutes<S extends z.ZodType<LineInput, z.ZodTypeDef, unknown>> {
  /** The parent's path, ending in `{<parentParam>}`. */
  parentPath: string;
  parentParam: string;
  find: (store: StoreRecord, parentId: string) => WithLines;
  schema: S;
  /** The body of a line's PATCH (the schema without the id: the path names the line). */
  patchSchema: z.ZodTypeAny;
  /** "order line", "cart line": the label of validation errors. */
  label: string;
  /** "An order line", "A cart line": the subject of the duplicate error. */
  duplicateSubject: string;
  /** The key of the list's collection ("lines", "cart_lines"). */
  collectionKey: string;
  view: (line: Json) => Json;
}

/** GET/POST `…/lines`, GET/PATCH/DELETE `…/lines/{line_id}`: every write stamps the parent's updated_at. */
export function registerLineRoutes<S extends z.ZodType<LineInput, z.ZodTypeDef, unknown>>(router: Router<Handler>, r: LineRoutes<S>): void {
  const LINES = `${r.parentPath}/lines`;
  const parentOf = (services: Services, params: Record<string, string>) => {
    const store = findStore(services, params.store_id);
    return { store, parent: r.find(store, params[r.parentParam]) };
  };
  const store = (parent: WithLines, id: string, line: Json) => {
    parent.lines.set(id, line);
    parent.updated_at = mailchimpTime();
    return ok(r.view(line));
  };

  router.add('GET', LINES, ({ params, query, services }) => {
    const { parent } = parentOf(services, params);
    const { items, total } = page(parent.lines.values(), parent.lines.size, paging(query));
    return ok(collection(r.collectionKey, items.map(r.view), total, { store_id: params.store_id, [r.parentParam]: params[r.parentParam] }));
  });
  router.add('POST', LINES, ({ params, body, services }) => {
    const { store: shop, parent } = parentOf(services, params);
    const input = validateBody(r.schema, body, r.label);
    if (parent.lines.has(input.id)) throw duplicate(r.duplicateSubject);
    return store(parent, input.id, resolveLine(shop, input));
  });
  router.add('GET', `${LINES}/{line_id}`, ({ params, services }) => {
    const { parent } = parentOf(services, params);
    return ok(r.view(found(parent.lines.get(params.line_id))));
  });
  router.add('PATCH', `${LINES}/{line_id}`, ({ params, body, services }) => {
    const { store: shop, parent } = parentOf(services, params);
    const existing = found(parent.lines.get(params.line_id));
    const input = validateBody(r.patchSchema, body, r.label) as Json;
    const merged = validateBody(r.schema, { ...existing, ...withoutUndefined({ ...input }), id: params.line_id }, r.label);
    return store(parent, params.line_id, resolveLine(shop, merged));
  });
  router.add('DELETE', `${LINES}/{line_id}`, ({ params, services }) => {
    const { parent } = parentOf(services, params);
    found(parent.lines.get(params.line_id));
    parent.lines.delete(params.line_id);
    parent.updated_at = mailchimpTime();
    return noContent();
  });
}
