import { apiPath } from '../api-path';
import { customerSchema, type CustomerPayload } from '../schemas';
import type { Transport } from '../transport';
import type { CustomerResource } from '../types';
import { idOf } from './collection';

export interface CustomerMethods {
  /** PUT /customers/{id}: creates or updates. */
  upsertCustomer(storeId: string, body: CustomerPayload): Promise<CustomerResource>;
  getCustomer(storeId: string, customerId: string): Promise<CustomerResource | null>;
  deleteCustomer(storeId: string, customerId: string): Promise<void>;
}

export function customerMethods(t: Transport): CustomerMethods {
  const customer = (storeId: string, id: string) => apiPath`/ecommerce/stores/${storeId}/customers/${id}`;
  return {
    upsertCustomer: (storeId, body) =>
      t.send(customerSchema, { method: 'PUT', path: customer(storeId, idOf(body)), body, entity: `customer ${idOf(body)}` }),
    getCustomer: (storeId, customerId) =>
      t.callOrNull({ method: 'GET', path: customer(storeId, customerId), entity: `customer ${customerId}` }),
    deleteCustomer: (storeId, customerId) => t.remove({ path: customer(storeId, customerId), entity: `customer ${customerId}` }),
  };
}
