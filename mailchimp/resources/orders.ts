import { apiPath } from '../api-path';
import {
  orderLinePatchSchema, orderLineSchema, orderPatchSchema, orderSchema, type OrderLinePatchPayload, type OrderLinePayload, type OrderPatchPayload,
  type OrderPayload,
} from '../schemas';
import type { Transport } from '../transport';
import type { OrderLineResource, OrderResource } from '../types';
import { idOf, toPage } from './collection';

export interface OrderMethods {
  getOrder(storeId: string, orderId: string): Promise<OrderResource | null>;
  /** Its products and variants must already exist, or Mailchimp answers missing_dependency. */
  createOrder(storeId: string, body: OrderPayload): Promise<OrderResource>;
  /** `promos`, when sent, replaces the order's promos entirely. Answers the order with all its lines. */
  updateOrder(storeId: string, orderId: string, patch: OrderPatchPayload): Promise<OrderResource>;
  /**
   * PUT /orders/{id} ("Add or update order", in the API since v3.0.55's successors): replaces the whole order, lines
   * included. Used only to empty a date a PATCH cannot (a reinstated order's cancelled_at_foreign).
   */
  replaceOrder(storeId: string, orderId: string, body: OrderPayload): Promise<OrderResource>;
  deleteOrder(storeId: string, orderId: string): Promise<void>;
  createOrderLine(storeId: string, orderId: string, body: OrderLinePayload): Promise<OrderLineResource>;
  updateOrderLine(storeId: string, orderId: string, lineId: string, patch: OrderLinePatchPayload): Promise<OrderLineResource>;
  /** 404 (already gone) counts as done. */
  deleteOrderLine(storeId: string, orderId: string, lineId: string): Promise<void>;
  /** How many orders of the store name this customer (GET orders?customer_id=, one item read). */
  countCustomerOrders(storeId: string, customerId: string): Promise<number>;
}

export function orderMethods(t: Transport): OrderMethods {
  const orders = (storeId: string) => apiPath`/ecommerce/stores/${storeId}/orders`;
  const order = (storeId: string, id: string) => apiPath`/ecommerce/stores/${storeId}/orders/${id}`;
  const line = (storeId: string, orderId: string, lineId: string) => apiPath`/ecommerce/stores/${storeId}/orders/${orderId}/lines/${lineId}`;
  const lineLabel = (orderId: string, lineId: string) => `line ${lineId} of order ${orderId}`;
  return {
    getOrder: (storeId, orderId) => t.callOrNull({ method: 'GET', path: order(storeId, orderId), entity: `order ${orderId}` }),
    createOrder: (storeId, body) =>
      t.send(orderSchema, { method: 'POST', path: orders(storeId), body, entity: `order ${idOf(body)}` }),
    updateOrder: (storeId, orderId, patch) =>
      t.send(orderPatchSchema, { method: 'PATCH', path: order(storeId, orderId), body: patch, entity: `order ${orderId}` }),
    replaceOrder: (storeId, orderId, body) =>
      t.send(orderSchema, { method: 'PUT', path: order(storeId, orderId), body, entity: `order ${orderId}` }),
    deleteOrder: (storeId, orderId) => t.remove({ path: order(storeId, orderId), entity: `order ${orderId}` }),
    createOrderLine: (storeId, orderId, body) =>
      t.send(orderLineSchema, { method: 'POST', path: `${order(storeId, orderId)}/lines`, body, entity: lineLabel(orderId, idOf(body)) }),
    updateOrderLine: (storeId, orderId, lineId, patch) =>
      t.send(orderLinePatchSchema, { method: 'PATCH', path: line(storeId, orderId, lineId), body: patch, entity: lineLabel(orderId, lineId) }),
    deleteOrderLine: (storeId, orderId, lineId) => t.remove({ path: line(storeId, orderId, lineId), entity: lineLabel(orderId, lineId) }),
    countCustomerOrders: async (storeId, customerId) => {
      const body = await t.call<unknown>({ method: 'GET', path: orders(storeId), query: { customer_id: customerId, count: 1, fields: 'total_items' } });
      return toPage(body).total_items;
    },
  };
}
