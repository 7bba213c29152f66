import { cartLineSchema, cartLinePatchSchema, cartPatchSchema, cartSchema } from '../../mailchimp/schemas';
import { UNKNOWN_CAMPAIGN } from '../../mailchimp/classify';
import { noContent, ok, type Handler, type Services } from '../context';
import { badRequest } from '../problem';
import type { Router } from '../router';
import type { CartRecord, Json, StoreRecord } from '../state';
import { page, paging } from '../util';
import { validateBody } from '../validation';
import { customerView, writeCustomer } from './customers';
import { STORES, collection, duplicate, findStore, found, stamp, touch } from './ecommerce';
import { linesById, patchedLines, registerLineRoutes, writeBuyer } from './lines';

/**
 * Carts (`/ecommerce/stores/{store_id}/carts`, and their lines): products and variants a line names must exist, the
 * customer is required (a new one with its e-mail), a `campaign_id` must name a campaign of the account (the emulator's
 * campaigns: POST /_emulator/campaigns), a PATCH merges fields and upserts lines by id.
 */

const CARTS = `${STORES}/{store_id}/carts`;

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
  const lines = linesById(store, input.lines);
  const { customer, lines: _lines, ...fields } = input;
  const customerId = writeBuyer(services, store, customer);
  const cart: CartRecord = { ...stamp({ ...fields }), customerId, lines };
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
  const resolved = patchedLines(store, cart, lines, cartLineSchema, 'cart line');
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

export function registerCartRoutes(router: Router<Handler>): void {
  router.add('GET', CARTS, listCarts);
  router.add('POST', CARTS, postCart);
  router.add('GET', `${CARTS}/{cart_id}`, getCart);
  router.add('PATCH', `${CARTS}/{cart_id}`, patchCart);
  router.add('DELETE', `${CARTS}/{cart_id}`, deleteCart);
  registerLineRoutes(router, {
    parentPath: `${CARTS}/{cart_id}`, parentParam: 'cart_id', find: findCart, schema: cartLineSchema, patchSchema: cartLinePatchSchema,
    label: 'cart line', duplicateSubject: 'A cart line', collectionKey: 'cart_lines', view: lineView,
  });
}
