import { apiPath } from '../api-path';
import { orderPatchSchema, orderSchema, type OrderPatchPayload, type OrderPayload } from '../schemas';
import type { Transport } from '../transport';
import type { OrderResource } from '../types';
import { idOf } from './collection';

export interface OrderMethods {
  getOrder(storeId: string, orderId: string): Promise<OrderResource | null>;
  /** Its products and variants must already exist, or Mailchimp answers missing_dependency. */
  createOrder(storeId: string, body: OrderPayload): Promise<OrderResource>;
  /** `promos`, when sent, replaces the order's promos entirely. */
  updateOrder(storeId: string, orderId: string, patch: OrderPatchPayload): Promise<OrderResource>;
  deleteOrder(storeId: string, orderId: string): Promise<void>;
}

export function orderMethods(t: Transport): OrderMethods {
  const order = (storeId: string, id: string) => apiPath`/ecommerce/stores/${storeId}/orders/${id}`;
  return {
    getOrder: (storeId, orderId) => t.callOrNull({ method: 'GET', path: order(storeId, orderId), entity: `order ${orderId}` }),
    createOrder: (storeId, body) =>
      t.send(orderSchema, { method: 'POST', path: apiPath`/ecommerce/stores/${storeId}/orders`, body, entity: `order ${idOf(body)}` }),
    updateOrder: (storeId, orderId, patch) =>
      t.send(orderPatchSchema, { method: 'PATCH', path: order(storeId, orderId), body: patch, entity: `order ${orderId}` }),
    deleteOrder: (storeId, orderId) => t.remove({ path: order(storeId, orderId), entity: `order ${orderId}` }),
  };
}
