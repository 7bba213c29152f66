import { cartLineSchema, cartPatchSchema, cartSchema } from '../../mailchimp/schemas';
import { UNKNOWN_CAMPAIGN } from '../../mailchimp/classify';
import { noContent, ok, type Handler, type Services } from '../context';
import { badRequest, invalidResource } from '../problem';
import type { Router } from '../router';
import type { CartRecord, Json, StoreRecord } from '../state';
import { mailchimpTime, page, paging } from '../util';
import { validateBody } from '../validation';
import { customerView, writeCustomer } from './customers';
import { STORES, collection, duplicate, findStore, found, stamp, touch, withoutUndefined } from './ecommerce';
import { UNKNOWN_PRODUCT, UNKNOWN_VARIANT } from './orders';

/**
 * Carts (`/ecommerce/stores/{store_id}/carts`, and their lines): products and variants a line names must exist, the
 * customer is required (a new one with its e-mail), a `campaign_id` must name a campaign of the account (the emulator's
 * campaigns: POST /_emulator/campaigns), a PATCH merges fields and upserts lines by id.
 */

const CARTS = `${STORES}/{store_id}/carts`;
const LINES = `${CARTS}/{cart_id}/lines`;

interface LineInput {
  id: string;
  product_id: string;
  product_variant_id: string;
  quantity: number;
  price: number;
}

function resolveLine(store: StoreRecord, line: LineInput): Json {
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

/** An empty campaign_id is no campaign; any other must exist, as in Mailchimp. */
function checkCampaign(services: Services, campaignId: unknown): void {
  if (typeof campaignId !== 'string' || campaignId === '') return;
  if (!services.state.campaigns.has(campaignId)) throw badRequest(UNKNOWN_CAMPAIGN);
}

function lineView(line: Json): Json {
  return { ...line, _links: [] };
}

export function cartView(store: StoreRecord, cart: CartRecord): Json {
  const customer = store.customers.get(cart.customerId);
  return {
    id: cart.data.id,
    customer: customer ? customerView(store, customer) : { id: cart.customerId },
    campaign_id: '',
    checkout_url: '',
    tax_total: 0,
    ...cart.data,
    lines: [...cart.lines.values()].map(lineView),
    created_at: cart.created_at,
    updated_at: cart.updated_at,
    _links: [],
  };
}

function findCart(store: StoreRecord, cartId: string): CartRecord {
  return found(store.carts.get(cartId));
}

const listCarts: Handler = ({ params, query, services }) => {
  const store = findStore(services, params.store_id);
  const { items, total } = page(store.carts.values(), store.carts.size, paging(query));
  return ok(collection('carts', items.map((c) => cartView(store, c)), total, { store_id: params.store_id }));
};

const postCart: Handler = ({ params, body, services }) => {
  const store = findStore(services, params.store_id);
  const input = validateBody(cartSchema, body, 'cart');
  if (store.carts.has(input.id)) throw duplicate('A cart');
  checkCampaign(services, input.campaign_id);
  const lines = input.lines.map((line) => resolveLine(store, line));
  const { customer, lines: _lines, ...fields } = input;
  if (!store.customers.has(customer.id) && customer.email_address === undefined) {
    throw invalidResource([{ field: 'customer.email_address', message: 'is required for a new customer' }]);
  }
  const { id: customerId, ...customerFields } = customer;
  writeCustomer(services, store, customerId, customerFields, false);
  const cart: CartRecord = { ...stamp({ ...fields }), customerId, lines: new Map(lines.map((l) => [String(l.id), l])) };
  store.carts.set(input.id, cart);
  return ok(cartView(store, cart));
};

const getCart: Handler = ({ params, services }) => {
  const store = findStore(services, params.store_id);
  return ok(cartView(store, findCart(store, params.cart_id)));
};

/** PATCH: fields merge (a field sent as "" is emptied), lines are upserted by id, the customer's details apply to it. */
const patchCart: Handler = ({ params, body, services }) => {
  const store = findStore(services, params.store_id);
  const cart = findCart(store, params.cart_id);
  const input = validateBody(cartPatchSchema, body, 'cart');
  checkCampaign(services, input.campaign_id);
  const { customer, lines, ...fields } = input;
  const resolved: Json[] = [];
  (lines ?? []).forEach((line, index) => {
    if (line.id === undefined) throw invalidResource([{ field: `lines.${index}.id`, message: 'is required' }]);
    const merged = validateBody(cartLineSchema, { ...(cart.lines.get(line.id) ?? {}), ...withoutUndefined({ ...line }) }, 'cart line');
    resolved.push(resolveLine(store, merged));
  });
  if (customer) writeCustomer(services, store, cart.customerId, customer, false);
  touch(cart, fields);
  for (const line of resolved) cart.lines.set(String(line.id), line);
  return ok(cartView(store, cart));
};

const deleteCart: Handler = ({ params, services }) => {
  const store = findStore(services, params.store_id);
  findCart(store, params.cart_id);
  store.carts.delete(params.cart_id);
  return noContent();
};

const listLines: Handler = ({ params, query, services }) => {
  const cart = findCart(findStore(services, params.store_id), params.cart_id);
  const { items, total } = page(cart.lines.values(), cart.lines.size, paging(query));
  return ok(collection('cart_lines', items.map(lineView), total, { store_id: params.store_id, cart_id: params.cart_id }));
};

const postLine: Handler = ({ params, body, services }) => {
  const store = findStore(services, params.store_id);
  const cart = findCart(store, params.cart_id);
  const input = validateBody(cartLineSchema, body, 'cart line');
  if (cart.lines.has(input.id)) throw duplicate('A cart line');
  const line = resolveLine(store, input);
  cart.lines.set(input.id, line);
  cart.updated_at = mailchimpTime();
  return ok(lineView(line));
};

const getLine: Handler = ({ params, services }) => {
  const cart = findCart(findStore(services, params.store_id), params.cart_id);
  return ok(lineView(found(cart.lines.get(params.line_id))));
};

const linePatchSchema = cartLineSchema.partial();

const patchLine: Handler = ({ params, body, services }) => {
  const store = findStore(services, params.store_id);
  const cart = findCart(store, params.cart_id);
  const existing = found(cart.lines.get(params.line_id));
  const input = validateBody(linePatchSchema, body, 'cart line');
  const merged = validateBody(cartLineSchema, { ...existing, ...withoutUndefined({ ...input }), id: params.line_id }, 'cart line');
  const line = resolveLine(store, merged);
  cart.lines.set(params.line_id, line);
  cart.updated_at = mailchimpTime();
  return ok(lineView(line));
};

const deleteLine: Handler = ({ params, services }) => {
  const cart = findCart(findStore(services, params.store_id), params.cart_id);
  found(cart.lines.get(params.line_id));
  cart.lines.delete(params.line_id);
  cart.updated_at = mailchimpTime();
  return noContent();
};

export function registerCartRoutes(router: Router<Handler>): void {
  router.add('GET', CARTS, listCarts);
  router.add('POST', CARTS, postCart);
  router.add('GET', `${CARTS}/{cart_id}`, getCart);
  router.add('PATCH', `${CARTS}/{cart_id}`, patchCart);
  router.add('DELETE', `${CARTS}/{cart_id}`, deleteCart);
  router.add('GET', LINES, listLines);
  router.add('POST', LINES, postLine);
  router.add('GET', `${LINES}/{line_id}`, getLine);
  router.add('PATCH', `${LINES}/{line_id}`, patchLine);
  router.add('DELETE', `${LINES}/{line_id}`, deleteLine);
}
