/**
 * The products Mailchimp should hold, as the product sync writes them (activities/entities/product.ts and
 * product-write.ts): the mapped payload, plus the variants order lines need (the one named after the code for
 * variant-less lines, each SKU a sent order names without stock when the shop no longer sells it); an inactive
 * product orders reference as its stock-less placeholder. Pure: the rows are loaded by load.ts.
 */
import type { ProductPayload } from '../../mailchimp/schemas';
import {
  codeVariantOf, goneProductPlaceholder, mapProduct, placeholderOf, productRemoteId, refusedVariantReasons, stocklessVariant, variantRemoteId,
} from '../../mapping/product';
import type { ProductWithVariants } from '../../mapping/shop-rows';
import type { ExpectedSet } from './compare';
import { emptySet, sentOrders, type ShopSnapshot } from './expected';

type Json = Record<string, unknown>;

/** The payload's variants, then the ones order lines need (product-write.ts neededByOrders). */
function withOrderedVariants(payload: ProductPayload, orderedWithoutVariant: boolean, orderedSkus: readonly string[]): ProductPayload {
  const variants = [...payload.variants];
  const has = new Set(variants.map((v) => v.id));
  if (orderedWithoutVariant && !has.has(payload.id)) {
    variants.push(codeVariantOf(payload));
    has.add(payload.id);
  }
  for (const sku of orderedSkus) {
    if (has.has(sku)) continue;
    variants.push(stocklessVariant(sku, payload.title));
    has.add(sku);
  }
  return { ...payload, variants };
}

/** The active variants the mapping leaves out of a product that is sent, each with its reason. */
function leftOut(found: ProductWithVariants, s: ShopSnapshot): ExpectedSet['leftOut'] {
  const skus = new Map(found.variants.map((v) => [v.id, variantRemoteId(v.sku)]));
  return [...refusedVariantReasons(found, s.settings)].map(([variantId, reason]) => ({
    id: `${productRemoteId(found.product.code)}/${skus.get(variantId) || `#${variantId}`}`, entityId: found.product.id, reason,
  }));
}

export function expectedProducts(s: ShopSnapshot): ExpectedSet {
  const set = emptySet('product');
  for (const found of s.products) {
    const productId = found.product.id;
    const code = productRemoteId(found.product.code);
    let mapped = mapProduct(found, s.settings);
    if (mapped.kind === 'skip') {
      if (!s.referencedProductIds.has(productId)) {
        set.absent.set(code, productId);
        continue;
      }
      mapped = placeholderOf(found, s.settings);
    }
    if (mapped.kind !== 'ok') {
      set.unsendable.push({ id: code, entityId: productId, reason: mapped.reason });
      continue;
    }
    const payload = withOrderedVariants(mapped.payload, s.orderedWithoutVariant.has(productId), s.orderedSkus.get(productId) ?? []);
    set.present.push({ id: payload.id, entityId: productId, payload: payload as unknown as Json });
    set.leftOut?.push(...(leftOut(found, s) ?? []));
  }
  // Order lines of products whose row is gone altogether point at `deleted-<id>` placeholders.
  const known = new Set(s.products.map((p) => p.product.id));
  for (const order of sentOrders(s)) {
    for (const line of order.lines) {
      if (known.has(line.product_id)) continue;
      known.add(line.product_id);
      const payload = goneProductPlaceholder(line.product_id);
      set.present.push({ id: payload.id, entityId: line.product_id, payload: payload as unknown as Json });
    }
  }
  return set;
}
