import { apiPath } from '../api-path';
import {
  cartLinePatchSchema, cartLineSchema, cartPatchSchema, cartSchema, type CartLinePatchPayload, type CartLinePayload, type CartPatchPayload,
  type CartPayload,
} from '../schemas';
import type { Transport } from '../transport';
import type { CartLineResource, CartResource } from '../types';
import { idOf } from './collection';

export interface CartMethods {
  getCart(storeId: string, cartId: string): Promise<CartResource | null>;
  /** Its customer (inline when new), products and variants must exist, or Mailchimp refuses it. */
  createCart(storeId: string, body: CartPayload): Promise<CartResource>;
  /** Fields merge (documented PATCH); answers the cart with its lines. */
  updateCart(storeId: string, cartId: string, patch: CartPatchPayload): Promise<CartResource>;
  /** 404 (already gone) counts as done. */
  deleteCart(storeId: string, cartId: string): Promise<void>;
  createCartLine(storeId: string, cartId: string, body: CartLinePayload): Promise<CartLineResource>;
  updateCartLine(storeId: string, cartId: string, lineId: string, patch: CartLinePatchPayload): Promise<CartLineResource>;
  /** 404 (already gone) counts as done. */
  deleteCartLine(storeId: string, cartId: string, lineId: string): Promise<void>;
}

export function cartMethods(t: Transport): CartMethods {
  const carts = (storeId: string) => apiPath`/ecommerce/stores/${storeId}/carts`;
  const cart = (storeId: string, id: string) => apiPath`/ecommerce/stores/${storeId}/carts/${id}`;
  const line = (storeId: string, cartId: string, lineId: string) => apiPath`/ecommerce/stores/${storeId}/carts/${cartId}/lines/${lineId}`;
  const lineLabel = (cartId: string, lineId: string) => `line ${lineId} of cart ${cartId}`;
  return {
    getCart: (storeId, cartId) => t.callOrNull({ method: 'GET', path: cart(storeId, cartId), entity: `cart ${cartId}` }),
    createCart: (storeId, body) => t.send(cartSchema, { method: 'POST', path: carts(storeId), body, entity: `cart ${idOf(body)}` }),
    updateCart: (storeId, cartId, patch) => t.send(cartPatchSchema, { method: 'PATCH', path: cart(storeId, cartId), body: patch, entity: `cart ${cartId}` }),
    deleteCart: (storeId, cartId) => t.remove({ path: cart(storeId, cartId), entity: `cart ${cartId}` }),
    createCartLine: (storeId, cartId, body) =>
      t.send(cartLineSchema, { method: 'POST', path: `${cart(storeId, cartId)}/lines`, body, entity: lineLabel(cartId, idOf(body)) }),
    updateCartLine: (storeId, cartId, lineId, patch) =>
      t.send(cartLinePatchSchema, { method: 'PATCH', path: line(storeId, cartId, lineId), body: patch, entity: lineLabel(cartId, lineId) }),
    deleteCartLine: (storeId, cartId, lineId) => t.remove({ path: line(storeId, cartId, lineId), entity: lineLabel(cartId, lineId) }),
  };
}
