import { orderLineSchema, orderLinePatchSchema, orderPatchSchema, orderSchema } from '../../mailchimp/schemas';
import { noContent, ok, type Handler } from '../context';
import { badRequest, invalidResource } from '../problem';
import type { Router } from '../router';
import { indexOrder, unindexOrder, type Json, type OrderRecord, type StoreRecord } from '../state';
import { mailchimpTime, page, paging } from '../util';
import { validateBody } from '../validation';
import { customerView, writeCustomer } from './customers';
import { STORES, collection, duplicate, findStore, found, mergeAddresses, stamp, touch } from './ecommerce';
import { linesById, patchedLines, registerLineRoutes, writeBuyer } from './lines';

const ORDERS = `${STORES}/{store_id}/orders`;

function lineView(line: Json): Json {
  return { discount: 0, ...line, _links: [] };
}

/** Mailchimp answers an order's address with every part, "" for a part never sent (so a cleared one reads the same). */
const EMPTY_ORDER_ADDRESS: Json = {
  name: '', address1: '', address2: '', city: '', province: '', province_code: '', postal_code: '', country: '', country_code: '', phone: '', company: '',
};

function addressView(value: unknown): Json {
  return { ...EMPTY_ORDER_ADDRESS, ...(value && typeof value === 'object' ? (value as Json) : {}) };
}

export function orderView(store: StoreRecord, order: OrderRecord): Json {
  const customer = store.customers.get(order.customerId);
  return {
    id: order.data.id,
    customer: customer ? customerView(store, customer) : { id: order.customerId },
    store_id: store.data.id,
    campaign_id: '',
    landing_site: '',
    financial_status: '',
    fulfillment_status: '',
    currency_code: order.data.currency_code,
    order_total: order.data.order_total,
    order_url: '',
    discount_total: 0,
    tax_total: 0,
    shipping_total: 0,
    tracking_code: '',
    processed_at_foreign: '',
    cancelled_at_foreign: '',
    updated_at_foreign: '',
    tracking_number: '',
    tracking_carrier: '',
    tracking_url: '',
    promos: [],
    ...order.data,
    shipping_address: addressView(order.data.shipping_address),
    billing_address: addressView(order.data.billing_address),
    lines: [...order.lines.values()].map(lineView),
    created_at: order.created_at,
    updated_at: order.updated_at,
    _links: [],
  };
}

function findOrder(store: StoreRecord, orderId: string): OrderRecord {
  return found(store.orders.get(orderId));
}

function applyCancellation(data: Json): void {
  if (typeof data.cancelled_at_foreign === 'string' && data.cancelled_at_foreign !== '') data.financial_status = 'cancelled';
}

const listOrders: Handler = ({ params, query, services }) => {
  const store = findStore(services, params.store_id);
  const p = paging(query);
  if (query.customer_id !== undefined) {
    const ids = store.ordersByCustomer.get(query.customer_id) ?? new Set<string>();
    const { items, total } = page(ids, ids.size, p);
    return ok(collection('orders', items.map((id) => orderView(store, findOrder(store, id))), total, { store_id: params.store_id }));
  }
  const { items, total } = page(store.orders.values(), store.orders.size, p);
  return ok(collection('orders', items.map((o) => orderView(store, o)), total, { store_id: params.store_id }));
};

const listAccountOrders: Handler = ({ query, services }) => {
  const p = paging(query);
  const all = function* () {
    for (const store of services.state.stores.values()) for (const order of store.orders.values()) yield { store, order };
  };
  let size = 0;
  for (const store of services.state.stores.values()) size += store.orders.size;
  const filter = query.customer_id === undefined ? undefined : (e: { order: OrderRecord }) => e.order.customerId === query.customer_id;
  const { items, total } = page(all(), size, p, filter);
  return ok(collection('orders', items.map((e) => orderView(e.store, e.order)), total));
};

const postOrder: Handler = ({ params, body, services }) => {
  const store = findStore(services, params.store_id);
  const input = validateBody(orderSchema, body, 'order');
  if (store.orders.has(input.id)) throw duplicate('An order');
  const lines = linesById(store, input.lines);
  const { customer, lines: _lines, ...fields } = input;
  const customerId = writeBuyer(services, store, customer);
  const data: Json = { ...fields };
  applyCancellation(data);
  const order: OrderRecord = { ...stamp(data), customerId, lines };
  store.orders.set(input.id, order);
  indexOrder(store, order);
  return ok(orderView(store, order));
};

/**
 * PUT (v3.0.91's "Add or update order"): creates the order, or replaces it whole: fields it leaves out are gone (a
 * reinstated order loses cancelled_at_foreign), its lines are exactly the ones sent. The order keeps its customer:
 * Mailchimp cannot move an order to another customer, so a different `customer.id` is refused.
 */
const putOrder: Handler = (ctx) => {
  const { params, body, services } = ctx;
  const store = findStore(services, params.store_id);
  const input = validateBody(orderSchema, body, 'order');
  if (input.id !== params.order_id) throw invalidResource([{ field: 'id', message: 'must match the order id in the path' }]);
  const existing = store.orders.get(params.order_id);
  if (!existing) return postOrder(ctx);
  if (input.customer.id !== existing.customerId) throw badRequest('The customer of an existing order cannot be changed.');
  const lines = linesById(store, input.lines);
  const { customer: _customer, lines: _lines, ...fields } = input;
  const data: Json = { ...fields };
  applyCancellation(data);
  existing.data = data;
  existing.lines = lines;
  existing.updated_at = mailchimpTime();
  return ok(orderView(store, existing));
};

const getOrder: Handler = ({ params, services }) => {
  const store = findStore(services, params.store_id);
  return ok(orderView(store, findOrder(store, params.order_id)));
};

/** PATCH: fields merge (an address part by part), `promos` is replaced entirely, lines are upserted by id. */
const patchOrder: Handler = ({ params, body, services }) => {
  const store = findStore(services, params.store_id);
  const order = findOrder(store, params.order_id);
  const input = validateBody(orderPatchSchema, body, 'order');
  const { customer, lines, ...fields } = input;
  const resolved = patchedLines(store, order, lines, orderLineSchema, 'order line');
  if (customer) writeCustomer(services, store, order.customerId, customer, false);
  // Sending cancelled_at_foreign cancels the order; a later PATCH that does not send it (a refund) keeps its own status.
  // Addresses merge part by part: a part the body leaves out is kept, "" empties it.
  const sent: Json = mergeAddresses(order.data, { ...fields }, ['shipping_address', 'billing_address']);
  applyCancellation(sent);
  touch(order, sent);
  for (const line of resolved) order.lines.set(String(line.id), line);
  return ok(orderView(store, order));
};

const deleteOrder: Handler = ({ params, services }) => {
  const store = findStore(services, params.store_id);
  const order = findOrder(store, params.order_id);
  unindexOrder(store, order);
  store.orders.delete(params.order_id);
  return noContent();
};

export function registerOrderRoutes(router: Router<Handler>): void {
  router.add('GET', '/ecommerce/orders', listAccountOrders);
  router.add('GET', ORDERS, listOrders);
  router.add('POST', ORDERS, postOrder);
  router.add('GET', `${ORDERS}/{order_id}`, getOrder);
  router.add('PUT', `${ORDERS}/{order_id}`, putOrder);
  router.add('PATCH', `${ORDERS}/{order_id}`, patchOrder);
  router.add('DELETE', `${ORDERS}/{order_id}`, deleteOrder);
  registerLineRoutes(router, {
    parentPath: `${ORDERS}/{order_id}`, parentParam: 'order_id', find: findOrder, schema: orderLineSchema, patchSchema: orderLinePatchSchema,
    label: 'order line', duplicateSubject: 'An order line', collectionKey: 'lines', view: lineView,
  });
}
