import { customerPatchSchema, customerSchema } from '../../mailchimp/schemas';
import { noContent, ok, type Handler, type Services } from '../context';
import type { Router } from '../router';
import type { Json, Stamped, StoreRecord } from '../state';
import { page, paging } from '../util';
import { validateBody } from '../validation';
import { STORES, collection, duplicate, findStore, found, mergeAddresses, stamp, storeList, touch, withoutUndefined } from './ecommerce';

const CUSTOMERS = `${STORES}/{store_id}/customers`;

const EMPTY_ADDRESS: Json = { address1: '', address2: '', city: '', province: '', province_code: '', postal_code: '', country: '', country_code: '' };

/** orders_count and total_spent over the customer's orders that are not cancelled. */
export function customerView(store: StoreRecord, customer: Stamped): Json {
  let ordersCount = 0;
  let totalSpent = 0;
  for (const orderId of store.ordersByCustomer.get(String(customer.data.id)) ?? []) {
    const order = store.orders.get(orderId);
    if (!order || order.data.financial_status === 'cancelled') continue;
    ordersCount += 1;
    totalSpent += Number(order.data.order_total ?? 0);
  }
  return {
    id: customer.data.id,
    email_address: customer.data.email_address,
    opt_in_status: customer.data.opt_in_status,
    company: '',
    first_name: '',
    last_name: '',
    ...customer.data,
    // Mailchimp answers an address with every part, "" for a part never sent.
    address: { ...EMPTY_ADDRESS, ...((customer.data.address as Json | undefined) ?? {}) },
    orders_count: ordersCount,
    total_spent: Math.round(totalSpent * 100) / 100,
    created_at: customer.created_at,
    updated_at: customer.updated_at,
    _links: [],
  };
}

export interface CustomerFields {
  email_address?: string;
  opt_in_status?: boolean;
  company?: string;
  first_name?: string;
  last_name?: string;
  address?: unknown;
}

/**
 * Creates or updates a customer and applies Mailchimp's audience rules to its email address.
 * `replace` (PUT) replaces the stored fields; otherwise they merge (PATCH, an order's inline customer), the address
 * part by part.
 */
export function writeCustomer(services: Services, store: StoreRecord, id: string, fields: CustomerFields, replace: boolean): Stamped {
  const existing = store.customers.get(id);
  const previousOptIn = existing ? existing.data.opt_in_status === true : undefined;
  const email = fields.email_address ?? existing?.data.email_address;
  const optIn = !existing || replace ? fields.opt_in_status === true : (fields.opt_in_status ?? previousOptIn) === true;
  if (typeof email === 'string') services.audience.assertCustomerAllowed(storeList(services, store), email, optIn, previousOptIn);
  let customer: Stamped;
  if (!existing) {
    customer = stamp({ ...withoutUndefined({ ...fields }), id, opt_in_status: fields.opt_in_status ?? false });
    store.customers.set(id, customer);
  } else if (replace) {
    customer = existing;
    customer.data = { ...withoutUndefined({ ...fields }), id, opt_in_status: fields.opt_in_status ?? false };
    touch(customer, {});
  } else {
    customer = existing;
    touch(customer, mergeAddresses(customer.data, { ...fields }, ['address']));
  }
  const storedEmail = customer.data.email_address;
  if (typeof storedEmail === 'string' && (fields.opt_in_status !== undefined || !existing || fields.email_address !== undefined)) {
    services.audience.applyCustomer(
      storeList(services, store),
      { email_address: storedEmail, first_name: customer.data.first_name as string | undefined, last_name: customer.data.last_name as string | undefined },
      customer.data.opt_in_status === true,
      previousOptIn,
    );
  }
  return customer;
}

const listCustomers: Handler = ({ params, query, services }) => {
  const store = findStore(services, params.store_id);
  const email = query.email_address?.toLowerCase();
  const filter = email === undefined ? undefined : (c: Stamped) => String(c.data.email_address).toLowerCase() === email;
  const { items, total } = page(store.customers.values(), store.customers.size, paging(query), filter);
  return ok(collection('customers', items.map((c) => customerView(store, c)), total, { store_id: params.store_id }));
};

const postCustomer: Handler = ({ params, body, services }) => {
  const store = findStore(services, params.store_id);
  const input = validateBody(customerSchema, body, 'customer');
  if (store.customers.has(input.id)) throw duplicate('A customer');
  return ok(customerView(store, writeCustomer(services, store, input.id, input, true)));
};

const getCustomer: Handler = ({ params, services }) => {
  const store = findStore(services, params.store_id);
  return ok(customerView(store, found(store.customers.get(params.customer_id))));
};

const putCustomer: Handler = ({ params, body, services }) => {
  const store = findStore(services, params.store_id);
  const input = validateBody(customerSchema, body, 'customer');
  return ok(customerView(store, writeCustomer(services, store, params.customer_id, input, true)));
};

const patchCustomer: Handler = ({ params, body, services }) => {
  const store = findStore(services, params.store_id);
  found(store.customers.get(params.customer_id));
  const input = validateBody(customerPatchSchema, body, 'customer');
  return ok(customerView(store, writeCustomer(services, store, params.customer_id, input, false)));
};

const deleteCustomer: Handler = ({ params, services }) => {
  const store = findStore(services, params.store_id);
  found(store.customers.get(params.customer_id));
  store.customers.delete(params.customer_id);
  return noContent();
};

export function registerCustomerRoutes(router: Router<Handler>): void {
  router.add('GET', CUSTOMERS, listCustomers);
  router.add('POST', CUSTOMERS, postCustomer);
  router.add('GET', `${CUSTOMERS}/{customer_id}`, getCustomer);
  router.add('PUT', `${CUSTOMERS}/{customer_id}`, putCustomer);
  router.add('PATCH', `${CUSTOMERS}/{customer_id}`, patchCustomer);
  router.add('DELETE', `${CUSTOMERS}/{customer_id}`, deleteCustomer);
}
