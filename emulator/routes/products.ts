import { productPatchSchema, productPutSchema, productSchema, variantPatchSchema, variantSchema } from '../../mailchimp/schemas';
import { noContent, ok, type Handler } from '../context';
import type { Router } from '../router';
import type { Json, ProductRecord, Stamped, StoreRecord } from '../state';
import { mailchimpTime, page, paging } from '../util';
import { validateBody } from '../validation';
import { STORES, collection, duplicate, findStore, found, stamp, touch } from './ecommerce';

const PRODUCTS = `${STORES}/{store_id}/products`;
const VARIANTS = `${PRODUCTS}/{product_id}/variants`;

export function variantView(variant: Stamped): Json {
  return {
    id: variant.data.id,
    title: variant.data.title,
    url: '',
    sku: '',
    price: 0,
    inventory_quantity: 0,
    image_url: '',
    backorders: '',
    visibility: '',
    ...variant.data,
    created_at: variant.created_at,
    updated_at: variant.updated_at,
    _links: [],
  };
}

export function productView(store: StoreRecord, product: ProductRecord): Json {
  return {
    id: product.data.id,
    currency_code: store.data.currency_code,
    title: product.data.title,
    handle: '',
    url: '',
    description: '',
    type: '',
    vendor: '',
    image_url: '',
    images: [],
    published_at_foreign: '',
    ...product.data,
    variants: [...product.variants.values()].map(variantView),
    created_at: product.created_at,
    updated_at: product.updated_at,
    _links: [],
  };
}

function variantsMap(variants: Array<{ id: string } & Json>): Map<string, Stamped> {
  return new Map(variants.map((v) => [v.id, stamp({ ...v })]));
}

function findProduct(store: StoreRecord, productId: string): ProductRecord {
  return found(store.products.get(productId));
}

const listProducts: Handler = ({ params, query, services }) => {
  const store = findStore(services, params.store_id);
  const { items, total } = page(store.products.values(), store.products.size, paging(query));
  return ok(collection('products', items.map((p) => productView(store, p)), total, { store_id: params.store_id }));
};

const postProduct: Handler = ({ params, body, services }) => {
  const store = findStore(services, params.store_id);
  const input = validateBody(productSchema, body, 'product');
  if (store.products.has(input.id)) throw duplicate('A product');
  const { variants, ...fields } = input;
  const product: ProductRecord = { ...stamp(fields), variants: variantsMap(variants) };
  store.products.set(input.id, product);
  return ok(productView(store, product));
};

const getProduct: Handler = ({ params, services }) => {
  const store = findStore(services, params.store_id);
  return ok(productView(store, findProduct(store, params.product_id)));
};

/** PUT (newer API): create or replace the product and its variants. */
const putProduct: Handler = ({ params, body, services }) => {
  const store = findStore(services, params.store_id);
  const input = validateBody(productPutSchema, body, 'product');
  const { variants, ...fields } = input;
  const existing = store.products.get(params.product_id);
  const data = { ...fields, id: params.product_id };
  if (existing) {
    existing.data = data;
    existing.updated_at = mailchimpTime();
    const next = variantsMap(variants);
    for (const [id, variant] of next) {
      const old = existing.variants.get(id);
      if (old) variant.created_at = old.created_at;
    }
    existing.variants = next;
    return ok(productView(store, existing));
  }
  const product: ProductRecord = { ...stamp(data), variants: variantsMap(variants) };
  store.products.set(params.product_id, product);
  return ok(productView(store, product));
};

/** PATCH updates the product's fields; variants sent with an id are upserted, the others are kept. */
const patchProduct: Handler = ({ params, body, services }) => {
  const store = findStore(services, params.store_id);
  const product = findProduct(store, params.product_id);
  const input = validateBody(productPatchSchema, body, 'product');
  const { variants, ...fields } = input;
  touch(product, fields);
  for (const variant of variants ?? []) {
    if (variant.id === undefined) continue;
    const existing = product.variants.get(variant.id);
    if (existing) touch(existing, variant);
    else product.variants.set(variant.id, stamp({ title: product.data.title, ...variant }));
  }
  return ok(productView(store, product));
};

const deleteProduct: Handler = ({ params, services }) => {
  const store = findStore(services, params.store_id);
  findProduct(store, params.product_id);
  store.products.delete(params.product_id);
  return noContent();
};

const listVariants: Handler = ({ params, query, services }) => {
  const product = findProduct(findStore(services, params.store_id), params.product_id);
  const { items, total } = page(product.variants.values(), product.variants.size, paging(query));
  return ok(collection('variants', items.map(variantView), total, { store_id: params.store_id, product_id: params.product_id }));
};

const postVariant: Handler = ({ params, body, services }) => {
  const product = findProduct(findStore(services, params.store_id), params.product_id);
  const input = validateBody(variantSchema, body, 'variant');
  if (product.variants.has(input.id)) throw duplicate('A variant');
  const variant = stamp({ ...input });
  product.variants.set(input.id, variant);
  product.updated_at = variant.created_at;
  return ok(variantView(variant));
};

const getVariant: Handler = ({ params, services }) => {
  const product = findProduct(findStore(services, params.store_id), params.product_id);
  return ok(variantView(found(product.variants.get(params.variant_id))));
};

const putVariant: Handler = ({ params, body, services }) => {
  const product = findProduct(findStore(services, params.store_id), params.product_id);
  const input = validateBody(variantSchema, body, 'variant');
  const existing = product.variants.get(params.variant_id);
  const data = { ...input, id: params.variant_id };
  if (existing) {
    existing.data = data;
    existing.updated_at = mailchimpTime();
    return ok(variantView(existing));
  }
  const variant = stamp(data);
  product.variants.set(params.variant_id, variant);
  return ok(variantView(variant));
};

const patchVariant: Handler = ({ params, body, services }) => {
  const product = findProduct(findStore(services, params.store_id), params.product_id);
  const variant = found(product.variants.get(params.variant_id));
  touch(variant, validateBody(variantPatchSchema, body, 'variant'));
  return ok(variantView(variant));
};

const deleteVariant: Handler = ({ params, services }) => {
  const product = findProduct(findStore(services, params.store_id), params.product_id);
  found(product.variants.get(params.variant_id));
  product.variants.delete(params.variant_id);
  return noContent();
};

export function registerProductRoutes(router: Router<Handler>): void {
  router.add('GET', PRODUCTS, listProducts);
  router.add('POST', PRODUCTS, postProduct);
  router.add('GET', `${PRODUCTS}/{product_id}`, getProduct);
  router.add('PUT', `${PRODUCTS}/{product_id}`, putProduct);
  router.add('PATCH', `${PRODUCTS}/{product_id}`, patchProduct);
  router.add('DELETE', `${PRODUCTS}/{product_id}`, deleteProduct);
  router.add('GET', VARIANTS, listVariants);
  router.add('POST', VARIANTS, postVariant);
  router.add('GET', `${VARIANTS}/{variant_id}`, getVariant);
  router.add('PUT', `${VARIANTS}/{variant_id}`, putVariant);
  router.add('PATCH', `${VARIANTS}/{variant_id}`, patchVariant);
  router.add('DELETE', `${VARIANTS}/{variant_id}`, deleteVariant);
}
