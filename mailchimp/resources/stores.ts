import { apiPath } from '../api-path';
import { storePatchSchema, storeSchema, type StorePatchPayload, type StorePayload } from '../schemas';
import type { Transport } from '../transport';
import type { StoreResource } from '../types';
import { idOf } from './collection';

export interface StoreMethods {
  getStore(storeId: string): Promise<StoreResource | null>;
  createStore(body: StorePayload): Promise<StoreResource>;
  updateStore(storeId: string, patch: StorePatchPayload): Promise<StoreResource>;
  /** Also deletes the store's customers, orders, products and carts. Already gone counts as done. */
  deleteStore(storeId: string): Promise<void>;
}

export function storeMethods(t: Transport): StoreMethods {
  return {
    getStore: (storeId) => t.callOrNull({ method: 'GET', path: apiPath`/ecommerce/stores/${storeId}`, entity: `store ${storeId}` }),
    createStore: (body) => t.send(storeSchema, { method: 'POST', path: '/ecommerce/stores', body, entity: `store ${idOf(body)}` }),
    updateStore: (storeId, patch) =>
      t.send(storePatchSchema, { method: 'PATCH', path: apiPath`/ecommerce/stores/${storeId}`, body: patch, entity: `store ${storeId}` }),
    deleteStore: (storeId) => t.remove({ path: apiPath`/ecommerce/stores/${storeId}`, entity: `store ${storeId}` }),
  };
}
