import { storePatchSchema, storeSchema } from '../../mailchimp/schemas';
import { noContent, ok, type Handler } from '../context';
import { invalidResource } from '../problem';
import type { Router } from '../router';
import type { Json, StoreRecord } from '../state';
import { isPlainObject, page, paging } from '../util';
import { validateBody } from '../validation';
import { STORES, collection, duplicate, findStore, stamp, touch } from './ecommerce';

export function storeView(store: StoreRecord): Json {
  return {
    id: store.data.id,
    list_id: store.data.list_id,
    name: store.data.name,
    platform: '',
    domain: '',
    is_syncing: false,
    email_address: '',
    currency_code: store.data.currency_code,
    money_format: '',
    primary_locale: '',
    timezone: '',
    phone: '',
    ...store.data,
    list_is_active: true,
    automations: {
      abandoned_cart: { is_supported: false },
      abandoned_browse: { is_supported: false },
    },
    created_at: store.created_at,
    updated_at: store.updated_at,
    _links: [],
  };
}

const listStores: Handler = ({ query, services }) => {
  const { items, total } = page(services.state.stores.values(), services.state.stores.size, paging(query));
  return ok(collection('stores', items.map(storeView), total));
};

const postStore: Handler = ({ body, services }) => {
  const input = validateBody(storeSchema, body, 'store');
  if (services.state.stores.has(input.id)) throw duplicate('A store');
  if (!services.state.lists.has(input.list_id)) {
    throw invalidResource([{ field: 'list_id', message: 'The list ID provided does not exist in the account.' }]);
  }
  const store: StoreRecord = {
    ...stamp({ ...input }),
    customers: new Map(),
    products: new Map(),
    orders: new Map(),
    carts: new Map(),
    promoRules: new Map(),
    ordersByCustomer: new Map(),
  };
  services.state.stores.set(input.id, store);
  return ok(storeView(store));
};

const getStore: Handler = ({ params, services }) => ok(storeView(findStore(services, params.store_id)));

const patchStore: Handler = ({ params, body, services }) => {
  const store = findStore(services, params.store_id);
  if (isPlainObject(body) && body.list_id !== undefined && body.list_id !== store.data.list_id) {
    throw invalidResource([{ field: 'list_id', message: "A store's list_id cannot be changed." }]);
  }
  const input = validateBody(storePatchSchema, body, 'store');
  touch(store, input);
  return ok(storeView(store));
};

/** Deleting a store deletes its customers, products, orders and promotions with it. */
const deleteStore: Handler = ({ params, services }) => {
  findStore(services, params.store_id);
  services.state.stores.delete(params.store_id);
  return noContent();
};

export function registerStoreRoutes(router: Router<Handler>): void {
  router.add('GET', STORES, listStores);
  router.add('POST', STORES, postStore);
  router.add('GET', `${STORES}/{store_id}`, getStore);
  router.add('PATCH', `${STORES}/{store_id}`, patchStore);
  router.add('DELETE', `${STORES}/{store_id}`, deleteStore);
}
