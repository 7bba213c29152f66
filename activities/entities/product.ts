import { deletedVariantIds, mapProduct, productPatchFrom } from '../../mapping/product';
import type { ProductPayload, VariantPayload } from '../../mailchimp/schemas';
import type { SyncStateRow } from '../../db/sync-state';
import type { ProductWithVariants, ShopSettings } from '../../source/types';
import { contentHash, type EntityOutcome, type SyncContext } from '../context';
import { guarded, isUnchanged, recordFailure } from './record';
import { upsert } from './upsert';

/**
 * One product with its variants. Live products are upserted; deleted and inactive ones are deleted from Mailchimp,
 * except when orders reference them: then they stay as placeholders (no stock) so old orders keep their products.
 */
export function syncProduct(ctx: SyncContext, productId: string, options: { force?: boolean } = {}): Promise<EntityOutcome> {
  return guarded(ctx, 'product', productId, async () => {
    const { source, state } = ctx.deps;
    const found = await source.product(productId);
    const previous = await state.get('product', productId);
    if (!found) {
      const referenced = await source.productIdsReferencedByOrders([productId]);
      if (!referenced.has(productId)) return removeProduct(ctx, productId, previous?.remote_id ?? null);
      const placeholder = goneProductPlaceholder(productId);
      // The orders already in Mailchimp point at the product as it was sent: it stays, but with nothing for sale.
      if (previous?.remote_id && previous.remote_id !== placeholder.id) await clearStock(ctx, previous.remote_id);
      return upsertProduct(ctx, productId, placeholder, null, previous, options);
    }

    let mapped = mapProduct(found, ctx.settings);
    if (mapped.kind === 'skip') {
      const referenced = await source.productIdsReferencedByOrders([productId]);
      if (!referenced.has(productId)) return removeProduct(ctx, productId, found.product.code);
      mapped = placeholderOf(found, ctx.settings);
    }
    if (mapped.kind !== 'ok') return recordFailure(ctx, 'product', productId, mapped.reason);
    return upsertProduct(ctx, productId, mapped.payload, found, previous, options);
  });
}

async function upsertProduct(
  ctx: SyncContext, productId: string, payload: ProductPayload, found: ProductWithVariants | null,
  previous: SyncStateRow | null, options: { force?: boolean },
): Promise<EntityOutcome> {
  const hash = productHash(payload);
  if (isUnchanged(previous, hash, options.force)) return { status: 'unchanged', entityId: productId };
  const known = !isNewProduct(previous);
  await writeProduct(ctx, payload, found, known);
  await ctx.deps.state.record('product', productId, { status: 'synced', contentHash: hash, remoteId: payload.id });
  return { status: 'synced', entityId: productId };
}

/** What the sync state compares to skip an unchanged product. */
export function productHash(payload: ProductPayload): string {
  return contentHash(payload);
}

/** A product the sync never sent (or sent and deleted): written with a create first, not an update. */
export function isNewProduct(previous: SyncStateRow | null | undefined): boolean {
  return previous?.status !== 'synced' && previous?.status !== 'failed';
}

/** Orders may reference a product row that no longer exists at all: Mailchimp still needs something to point at. */
function goneProductPlaceholder(productId: string): ProductPayload {
  const id = `deleted-${productId}`;
  const title = `Deleted product ${productId}`;
  return { id, title, variants: [{ id, title, inventory_quantity: 0 }] };
}

/** An inactive or deleted product that orders still reference: sent as if active, with nothing in stock. */
export function placeholderOf(found: ProductWithVariants, settings: ShopSettings) {
  const mapped = mapProduct({ ...found, product: { ...found.product, status: 'active' } }, settings);
  if (mapped.kind === 'ok') {
    mapped.payload.variants = mapped.payload.variants.map((v) => ({ ...v, inventory_quantity: 0 }));
  }
  return mapped;
}

async function writeProduct(ctx: SyncContext, payload: ProductPayload, found: ProductWithVariants | null, exists: boolean): Promise<void> {
  const { mailchimp, config } = ctx.deps;
  const { id, variants } = payload;
  let created = false;
  await upsert(
    exists,
    async () => {
      await mailchimp.createProduct(config.storeId, payload);
      created = true;
    },
    () => mailchimp.updateProduct(config.storeId, id, productPatchFrom(payload)),
  );
  if (created) {
    if (found && !variants.some((v) => v.id === id)) {
      const needed = await ctx.deps.source.productIdsOrderedWithoutVariant([found.product.id]);
      if (needsCodeVariant(payload, needed.has(found.product.id))) await upsertCodeVariant(ctx, payload);
    }
    return;
  }
  for (const variant of variants) await mailchimp.upsertVariant(config.storeId, id, variant);
  const live = new Set(variants.map((v) => v.id));
  const stale = (found ? deletedVariantIds(found) : []).filter((sku) => !live.has(sku));
  if (!live.has(id) && found) {
    // The variant named after the product code stays while order lines without a variant point at it.
    const needed = await ctx.deps.source.productIdsOrderedWithoutVariant([found.product.id]);
    if (needed.has(found.product.id)) await upsertCodeVariant(ctx, payload);
    else stale.push(id);
  }
  for (const sku of stale) await mailchimp.deleteVariant(config.storeId, id, sku);
}

/** Order lines without a variant reference the variant whose id is the product code (mapping/order.ts). */
export async function upsertCodeVariant(ctx: SyncContext, payload: Pick<ProductPayload, 'id' | 'title' | 'url' | 'image_url'>): Promise<void> {
  await ctx.deps.mailchimp.upsertVariant(ctx.deps.config.storeId, payload.id, codeVariantOf(payload));
}

/** The variant named after the product code, which order lines without a variant point at. */
export function codeVariantOf(payload: Pick<ProductPayload, 'id' | 'title' | 'url' | 'image_url'>): VariantPayload {
  return {
    id: payload.id, title: payload.title,
    ...(payload.url ? { url: payload.url } : {}),
    ...(payload.image_url ? { image_url: payload.image_url } : {}),
  };
}

/** A new product needs the code variant too when it has none and order lines without a variant point at it. */
export function needsCodeVariant(payload: ProductPayload, orderedWithoutVariant: boolean): boolean {
  return orderedWithoutVariant && !payload.variants.some((v) => v.id === payload.id);
}

/** Sets every variant of a product in Mailchimp to no stock (nothing to do when Mailchimp no longer has it). */
async function clearStock(ctx: SyncContext, remoteId: string): Promise<void> {
  const { mailchimp, config } = ctx.deps;
  const remote = await mailchimp.getProduct(config.storeId, remoteId);
  for (const v of remote?.variants ?? []) {
    if (v.inventory_quantity === 0) continue;
    await mailchimp.upsertVariant(config.storeId, remoteId, {
      id: v.id, title: v.title, inventory_quantity: 0,
      ...(v.url ? { url: v.url } : {}), ...(v.sku ? { sku: v.sku } : {}),
      ...(typeof v.price === 'number' ? { price: v.price } : {}), ...(v.image_url ? { image_url: v.image_url } : {}),
    });
  }
}

async function removeProduct(ctx: SyncContext, productId: string, remoteId: string | null): Promise<EntityOutcome> {
  if (remoteId) await ctx.deps.mailchimp.deleteProduct(ctx.deps.config.storeId, remoteId);
  await ctx.deps.state.record('product', productId, { status: 'deleted', remoteId });
  return { status: 'deleted', entityId: productId };
}
