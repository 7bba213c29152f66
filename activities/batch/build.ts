/**
 * Pure builders of the batch backfill: a page of rows (already read, with their sync state) becomes batch operations,
 * through the same mappers, content-hash skip, consent policy and ids as the direct path (activities/entities/*).
 * Whatever the batch cannot do in one independent operation goes to `direct`: the entity's direct sync handles it.
 */
import type { z } from 'zod';
import type { SyncStateRow } from '../../db/sync-state';
import { apiPath } from '../../mailchimp/api-path';
import {
  customerSchema, orderSchema, productSchema, promoCodeSchema, promoRuleSchema, variantSchema, type BatchOperation, type ProductPayload,
} from '../../mailchimp/schemas';
import { validatedJson } from '../../mailchimp/schemas/json';
import { consentFor, type MemberStatus } from '../../mapping/consent';
import { customerInputOf, customerPayload, customerWarnings } from '../../mapping/customer';
import { ENTITY_TYPES, customerIdForEmail, type EntityType } from '../../mapping/ids';
import {
  codeVariantOf, lineVariantFor, mapProduct, needsCodeVariant, placeholderOf, planProduct, productRemoteId,
} from '../../mapping/product';
import { mapPromoCode, mapPromoRule, promoCodeRemoteId } from '../../mapping/promo';
import { ok } from '../../mapping/result';
import type { CustomerRecord } from '../../source/shop-source';
import type { OrderWithContext, ProductWithVariants, PromoCodeRow, PromotionRow, ShopSettings } from '../../mapping/shop-rows';
import { contentHash } from '../context';
import { planCustomer } from '../entities/customer';
import { orderSentBefore, planOrder } from '../entities/order';
import { isNewProduct, productHash } from '../entities/product';
import { promoCodeHash } from '../entities/promotion';
import { isUnchanged } from '../entities/record';
import { forEachSliced } from '../../util/slices';

/** One batch operation and what its success means for the sync state. */
export interface PlannedOperation {
  type: EntityType;
  entityId: string;
  /** What the direct client calls the thing in its messages ("order 10023"), so failures read the same. */
  entity: string;
  operation: BatchOperation & { operation_id: string; body?: string };
  /** Recorded on success. */
  contentHash: string;
  remoteId: string;
  /** A DELETE: success (or 404, already gone) records the entity deleted, like the direct path. */
  deletes?: boolean;
  /**
   * Recorded with the success as the entity's error_reason: what it was sent without (an address with an invalid
   * country code), as the direct path records it, so `mcsync errors` shows it.
   */
  warning?: string;
}

/** What a page becomes. */
export interface BuiltPage {
  operations: PlannedOperation[];
  /** Entities the direct path syncs (updates, deletions, placeholders, refusals, double opt-in, anything unusual). */
  direct: string[];
  unchanged: string[];
  /** Recorded as skipped without a call (pending orders). */
  skipped: Array<{ id: string; reason: string }>;
}

function emptyPage(): BuiltPage {
  return { operations: [], direct: [], unchanged: [], skipped: [] };
}

/** `<type>:<entity id>`: the entity type never contains a colon, so the id is everything after the first one. */
export function operationId(type: EntityType, entityId: string): string {
  return `${type}:${entityId}`;
}

export function parseOperationId(operationIdText: string | null | undefined): { type: EntityType; entityId: string } | null {
  if (!operationIdText) return null;
  const colon = operationIdText.indexOf(':');
  if (colon <= 0) return null;
  const type = operationIdText.slice(0, colon) as EntityType;
  if (!ENTITY_TYPES.includes(type)) return null;
  return { type, entityId: operationIdText.slice(colon + 1) };
}

/**
 * One operation, its body checked against the schema the direct client uses (a body the client would refuse is not
 * sent: the entity goes to the direct path, which records the same refusal). Null when the body does not pass.
 */
function planned<S extends z.ZodTypeAny>(
  schema: S, method: 'POST' | 'PUT', path: string, body: unknown,
  what: { type: EntityType; entityId: string; entity: string; contentHash: string; remoteId: string; warning?: string },
): PlannedOperation | null {
  const checked = validatedJson(schema, body, what.entity);
  if (!checked.ok) return null;
  return {
    ...what,
    operation: { method, path, body: checked.json, operation_id: operationId(what.type, what.entityId) },
  };
}

function push(page: BuiltPage, id: string, op: PlannedOperation | null): void {
  if (op) page.operations.push(op);
  else page.direct.push(id);
}

export interface ProductRowInput {
  id: string;
  found: ProductWithVariants | null;
  previous: SyncStateRow | null;
  /** Some order line references the product without a variant (it then needs the variant named after its code). */
  orderedWithoutVariant: boolean;
  /** Some order line references the product (an inactive one then stays as a placeholder, which the direct path writes). */
  referenced: boolean;
}

/**
 * New products: one POST each with all their variants (a placeholder for an inactive one that orders reference); an
 * inactive one no order references: a DELETE. Updates, products with a refused variant (its reason is recorded on
 * the product), a product sent under another code before, and anything unusual go direct.
 */
export function buildProductOperations(storeId: string, settings: ShopSettings, rows: readonly ProductRowInput[]): BuiltPage {
  const page = emptyPage();
  for (const row of rows) {
    if (!row.found) {
      page.direct.push(row.id);
      continue;
    }
    const mapped = planProduct(row.found, settings);
    const remoteId = productRemoteId(row.found.product.code);
    if (row.previous?.remote_id && row.previous.remote_id !== remoteId) {
      page.direct.push(row.id);
      continue;
    }
    if (mapped.kind === 'skip' && !row.referenced) {
      // Inactive or deleted and no order needs it: removed from Mailchimp by its code, as the direct path does.
      page.operations.push({
        type: 'product', entityId: row.id, entity: `product ${remoteId}`, contentHash: '', remoteId, deletes: true,
        operation: { method: 'DELETE', path: apiPath`/ecommerce/stores/${storeId}/products/${remoteId}`, operation_id: operationId('product', row.id) },
      });
      continue;
    }
    // Inactive or deleted but referenced by orders: a placeholder with nothing in stock, as the direct path sends it.
    const sent = mapped.kind === 'skip' ? placeholderOf(row.found, settings) : mapped.kind === 'ok' && mapped.payload.refused.length === 0 ? ok(mapped.payload.payload) : null;
    if (sent?.kind !== 'ok') {
      page.direct.push(row.id);
      continue;
    }
    const payload = sent.payload;
    // The code variant variant-less lines need counts in the hash as on the direct path (product.ts productHash).
    const needed = needsCodeVariant(payload, row.orderedWithoutVariant) ? [codeVariantOf(payload)] : [];
    const hash = productHash(payload, [], needed);
    if (isUnchanged(row.previous, hash)) {
      page.unchanged.push(row.id);
      continue;
    }
    if (!isNewProduct(row.previous)) {
      page.direct.push(row.id);
      continue;
    }
    // The direct path PUTs the code variant right after the create; here it travels in the create itself.
    const body = needed.length > 0 ? { ...payload, variants: [...payload.variants, ...needed] } : payload;
    push(page, row.id, planned(productSchema, 'POST', apiPath`/ecommerce/stores/${storeId}/products`, body, {
      type: 'product', entityId: row.id, entity: `product ${payload.id}`, contentHash: hash, remoteId: payload.id,
    }));
  }
  return page;
}

export interface PromoRuleRowInput {
  id: string;
  row: PromotionRow | null;
  previous: SyncStateRow | null;
}

/** New promo rules: one POST each. */
export function buildPromoRuleOperations(storeId: string, rows: readonly PromoRuleRowInput[]): BuiltPage {
  const page = emptyPage();
  for (const r of rows) {
    const mapped = r.row ? mapPromoRule(r.row) : null;
    if (!mapped || mapped.kind !== 'ok') {
      page.direct.push(r.id);
      continue;
    }
    const payload = mapped.payload;
    const hash = contentHash(payload);
    if (isUnchanged(r.previous, hash)) page.unchanged.push(r.id);
    else if (r.previous?.status === 'synced') page.direct.push(r.id);
    else {
      push(page, r.id, planned(promoRuleSchema, 'POST', apiPath`/ecommerce/stores/${storeId}/promo-rules`, payload, {
        type: 'promo_rule', entityId: r.id, entity: `promo rule ${payload.id}`, contentHash: hash, remoteId: payload.id,
      }));
    }
  }
  return page;
}

export interface PromoCodeRowInput {
  id: string;
  code: PromoCodeRow | null;
  promotion: PromotionRow | null;
  previous: SyncStateRow | null;
  /** The code's rule is in Mailchimp (synced by the rules phase, whose batches have finished). */
  ruleSynced: boolean;
}

/** New promo codes whose rule Mailchimp already has: one POST each under the rule. */
export function buildPromoCodeOperations(storeId: string, settings: ShopSettings, template: string, rows: readonly PromoCodeRowInput[]): BuiltPage {
  const page = emptyPage();
  for (const r of rows) {
    if (!r.code || !r.promotion || !r.ruleSynced) {
      page.direct.push(r.id);
      continue;
    }
    const mapped = mapPromoCode(r.code, r.promotion, settings, template);
    if (mapped.kind !== 'ok') {
      page.direct.push(r.id);
      continue;
    }
    const payload = mapped.payload;
    const ruleId = r.promotion.id;
    const hash = promoCodeHash(payload, ruleId);
    if (isUnchanged(r.previous, hash)) page.unchanged.push(r.id);
    else if (r.previous?.status === 'synced') page.direct.push(r.id); // an update, or a code moved to another rule
    else {
      push(page, r.id, planned(promoCodeSchema, 'POST', `${apiPath`/ecommerce/stores/${storeId}/promo-rules/${ruleId}`}/promo-codes`, payload, {
        type: 'promo_code', entityId: r.id, entity: `promo code ${payload.id} of rule ${ruleId}`, contentHash: hash, remoteId: promoCodeRemoteId(ruleId, payload.id),
      }));
    }
  }
  return page;
}

export interface CustomerRowInput {
  /** The email hash (customer id). */
  id: string;
  record: CustomerRecord | null;
  previous: SyncStateRow | null;
}

export interface AudienceView {
  /** The contact's status in the audience (null: not in it), from one listing of the audience. */
  status(emailHash: string): MemberStatus | null;
  /** The audience's double opt-in setting (asked only when a new consenting contact needs it). */
  doubleOptIn: boolean;
}

/**
 * Customers: a PUT each, with the consent policy's opt_in_status for the contact's audience status. A contact the
 * policy creates as a pending member first (double opt-in) goes direct: the member must exist before the customer.
 */
export function buildCustomerOperations(storeId: string, settings: ShopSettings, audience: AudienceView, rows: readonly CustomerRowInput[]): BuiltPage {
  const page = emptyPage();
  for (const r of rows) addCustomerRow(page, storeId, settings, audience, r);
  return page;
}

/** buildCustomerOperations, the same page, in slices that give the event loop a turn between them (util/slices.ts). */
export async function buildCustomerOperationsSliced(storeId: string, settings: ShopSettings, audience: AudienceView, rows: readonly CustomerRowInput[]): Promise<BuiltPage> {
  const page = emptyPage();
  await forEachSliced(rows, (r) => addCustomerRow(page, storeId, settings, audience, r));
  return page;
}

function addCustomerRow(page: BuiltPage, storeId: string, settings: ShopSettings, audience: AudienceView, r: CustomerRowInput): void {
  if (!r.record) {
    page.direct.push(r.id);
    return;
  }
  const plannedCustomer = planCustomer({ settings }, r.record);
  if (plannedCustomer.kind !== 'ok') {
    page.direct.push(r.id);
    return;
  }
  const { payload, hash } = plannedCustomer.payload;
  if (isUnchanged(r.previous, hash)) {
    page.unchanged.push(r.id);
    return;
  }
  const decision = consentFor(r.record, audience.status(r.id), settings, audience.doubleOptIn);
  if (decision.member.action !== 'none') {
    page.direct.push(r.id);
    return;
  }
  // A customer sent without its address (an invalid country code) records why with its success, as the direct path does.
  const warnings = customerWarnings(customerInputOf(r.record));
  push(page, r.id, planned(customerSchema, 'PUT', apiPath`/ecommerce/stores/${storeId}/customers/${payload.id}`, customerPayload(payload, decision.customerOptIn), {
    type: 'customer', entityId: r.id, entity: `customer ${payload.id}`, contentHash: hash, remoteId: payload.id,
    ...(warnings.length > 0 ? { warning: warnings.join('; ') } : {}),
  }));
}

export interface OrderRowInput {
  id: string;
  found: OrderWithContext | null;
  previous: SyncStateRow | null;
}

/** What an order operation needs in Mailchimp before it is submitted. */
export interface OrderDependencies {
  /** The buyer's customer id (email hash). */
  customerId: string;
  /** Shop product ids of its lines. */
  productIds: string[];
  /** The Mailchimp product and variant each line points at. */
  variants: Array<{ productCode: string; variantId: string }>;
}

/** A page of orders: BuiltPage with what each order operation needs in Mailchimp first. */
export type BuiltOrderPage = BuiltPage & { dependencies: Map<string, OrderDependencies> };

/** New orders: a POST each, with the customer by id. Orders sent before (updates) go direct. */
export function buildOrderOperations(storeId: string, settings: ShopSettings, rows: readonly OrderRowInput[]): BuiltOrderPage {
  const page: BuiltOrderPage = { ...emptyPage(), dependencies: new Map<string, OrderDependencies>() };
  for (const r of rows) addOrderRow(page, storeId, settings, r);
  return page;
}

/**
 * buildOrderOperations, the same page, in slices that give the event loop a turn between them (util/slices.ts): a
 * direct page of 500 orders takes over 100 ms of CPU to build, during which no answer of the requests in flight is read.
 */
export async function buildOrderOperationsSliced(storeId: string, settings: ShopSettings, rows: readonly OrderRowInput[]): Promise<BuiltOrderPage> {
  const page: BuiltOrderPage = { ...emptyPage(), dependencies: new Map<string, OrderDependencies>() };
  await forEachSliced(rows, (r) => addOrderRow(page, storeId, settings, r));
  return page;
}

function addOrderRow(page: BuiltOrderPage, storeId: string, settings: ShopSettings, r: OrderRowInput): void {
  if (!r.found) {
    page.direct.push(r.id);
    return;
  }
  const plannedOrder = planOrder(r.found, settings);
  if (plannedOrder.kind === 'skip') {
    // One sent before (now pending) is deleted from Mailchimp by the direct path.
    if (orderSentBefore(r.previous) && r.previous?.status !== 'deleted' && r.previous?.status !== 'skipped') page.direct.push(r.id);
    else page.skipped.push({ id: r.id, reason: plannedOrder.reason });
    return;
  }
  if (plannedOrder.kind !== 'ok' || !plannedOrder.payload.buyerEmail) {
    page.direct.push(r.id);
    return;
  }
  const { payload, hash, buyerEmail, warnings } = plannedOrder.payload;
  if (isUnchanged(r.previous, hash)) {
    page.unchanged.push(r.id);
    return;
  }
  // Updates go direct.
  if (orderSentBefore(r.previous)) {
    page.direct.push(r.id);
    return;
  }
  // An order sent without an address (an invalid country code) records why with its success, as the direct path does
  // (orderWarnings, read with the mapping: planOrder).
  const op = planned(orderSchema, 'POST', apiPath`/ecommerce/stores/${storeId}/orders`, payload, {
    type: 'order', entityId: r.id, entity: `order ${payload.id}`, contentHash: hash, remoteId: payload.id,
    ...(warnings.length > 0 ? { warning: warnings.join('; ') } : {}),
  });
  push(page, r.id, op);
  if (op) {
    page.dependencies.set(r.id, {
      customerId: customerIdForEmail(buyerEmail),
      productIds: [...new Set(r.found.lines.map((l) => l.product_id))],
      variants: payload.lines.map((l) => ({ productCode: l.product_id, variantId: l.product_variant_id })),
    });
  }
}

/** A variant PUT an order needs first, and the orders that need it. */
export interface VariantOperation {
  operation: BatchOperation & { operation_id: string; body: string };
  orderIds: string[];
}

/**
 * Orders whose lines name a variant the shop no longer sells (a deleted variant of a product Mailchimp has) would be
 * refused: like the direct path's ensureLineVariants, the variant is PUT first with no stock and the product's title.
 * `products` maps Mailchimp product ids (codes) to the shop's product; a product not in it is left to the direct path.
 * What Mailchimp has of a product is what the products phase sent: its live variants, plus the variant named after
 * the code when order lines without a variant point at it.
 */
export function buildLineVariantOperations(
  storeId: string, settings: ShopSettings, dependencies: ReadonlyMap<string, OrderDependencies>,
  products: ReadonlyMap<string, { found: ProductWithVariants; orderedWithoutVariant: boolean }>,
): VariantOperation[] {
  const byKey = new Map<string, VariantOperation>();
  // Each product mapped once, not once per order line naming it (the same pure result: a page's lines name few products).
  const mappedProducts = new Map<string, { payload: ProductPayload; has: Set<string> } | null>();
  const mappedProduct = (productCode: string): { payload: ProductPayload; has: Set<string> } | null => {
    const known = mappedProducts.get(productCode);
    if (known !== undefined) return known;
    const product = products.get(productCode);
    let out: { payload: ProductPayload; has: Set<string> } | null = null;
    if (product) {
      // What Mailchimp has for the product (a placeholder is mapped as if it were active, like placeholderOf).
      const mapped = mapProduct({ ...product.found, product: { ...product.found.product, status: 'active' } }, settings);
      if (mapped.kind === 'ok') {
        const has = new Set(mapped.payload.variants.map((v) => v.id));
        if (product.orderedWithoutVariant) has.add(productCode);
        out = { payload: mapped.payload, has };
      }
    }
    mappedProducts.set(productCode, out);
    return out;
  };
  for (const [orderId, deps] of dependencies) {
    for (const { productCode, variantId } of deps.variants) {
      const mapped = mappedProduct(productCode);
      if (!mapped || mapped.has.has(variantId)) continue;
      const key = JSON.stringify([productCode, variantId]);
      let entry = byKey.get(key);
      if (!entry) {
        const body = validatedJson(variantSchema, lineVariantFor(mapped.payload, variantId), `variant ${variantId} of product ${productCode}`);
        if (!body.ok) continue;
        entry = {
          operation: {
            method: 'PUT',
            path: apiPath`/ecommerce/stores/${storeId}/products/${productCode}/variants/${variantId}`,
            body: body.json,
            operation_id: `variant:${key}`,
          },
          orderIds: [],
        };
        byKey.set(key, entry);
      }
      entry.orderIds.push(orderId);
    }
  }
  return [...byKey.values()];
}
