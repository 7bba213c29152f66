import { apiPath } from '../api-path';
import {
  productPatchSchema,
  productPutSchema,
  productSchema,
  variantSchema,
  type ProductPatchPayload,
  type ProductPayload,
  type VariantPayload,
} from '../schemas';
import type { Transport } from '../transport';
import type { ProductResource, VariantResource } from '../types';
import { idOf } from './collection';

export interface ProductMethods {
  getProduct(storeId: string, productId: string): Promise<ProductResource | null>;
  createProduct(storeId: string, body: ProductPayload): Promise<ProductResource>;
  updateProduct(storeId: string, productId: string, patch: ProductPatchPayload): Promise<ProductResource>;
  /** PUT upsert of the newer API versions; the 3.0.55 spec has no such route (expect 405 there). */
  putProduct(storeId: string, productId: string, body: ProductPayload): Promise<ProductResource>;
  deleteProduct(storeId: string, productId: string): Promise<void>;
  /** PUT: creates or replaces the variant. */
  upsertVariant(storeId: string, productId: string, body: VariantPayload): Promise<VariantResource>;
  deleteVariant(storeId: string, productId: string, variantId: string): Promise<void>;
}

export function productMethods(t: Transport): ProductMethods {
  const products = (storeId: string) => apiPath`/ecommerce/stores/${storeId}/products`;
  const product = (storeId: string, productId: string) => apiPath`/ecommerce/stores/${storeId}/products/${productId}`;
  return {
    getProduct: (storeId, productId) =>
      t.callOrNull({ method: 'GET', path: product(storeId, productId), entity: `product ${productId}` }),
    createProduct: (storeId, body) =>
      t.send(productSchema, { method: 'POST', path: products(storeId), body, entity: `product ${idOf(body)}` }),
    updateProduct: (storeId, productId, patch) =>
      t.send(productPatchSchema, { method: 'PATCH', path: product(storeId, productId), body: patch, entity: `product ${productId}` }),
    putProduct: (storeId, productId, body) =>
      t.send(productPutSchema, { method: 'PUT', path: product(storeId, productId), body, entity: `product ${productId}` }),
    deleteProduct: (storeId, productId) => t.remove({ path: product(storeId, productId), entity: `product ${productId}` }),
    upsertVariant: (storeId, productId, body) =>
      t.send(variantSchema, {
        method: 'PUT',
        path: apiPath`/ecommerce/stores/${storeId}/products/${productId}/variants/${idOf(body)}`,
        body,
        entity: `variant ${idOf(body)} of product ${productId}`,
      }),
    deleteVariant: (storeId, productId, variantId) =>
      t.remove({
        path: apiPath`/ecommerce/stores/${storeId}/products/${productId}/variants/${variantId}`,
        entity: `variant ${variantId} of product ${productId}`,
      }),
  };
}
