import { MailchimpError } from '../../mailchimp/mailchimp-error';
import { apiPath } from '../../mailchimp/api-path';
import type { ProductPayload, VariantPayload } from '../../mailchimp/schemas';
import type { ProductResource } from '../../mailchimp/types';
import {
  codeVariantOf, productPatchFrom, staleVariantIds, stocklessVariant, variantMatches, variantRemoteId, type RemoteVariant,
} from '../../mapping/product';
import type { ProductWithVariants } from '../../mapping/shop-rows';
import type { SyncContext } from '../context';

/** Mailchimp's product GET returns at most this many variants; more are read from the variants collection. */
const VARIANTS_IN_PRODUCT = 50;

/**
 * Writes a product so that Mailchimp ends with exactly what a fresh sync into an empty store would hold: the
 * payload's fields (a cleared one cleared), its variants, the variants orders still need (the one named after the
 * code for variant-less lines, the stock-less ones for lines naming a SKU the shop no longer sells), and no other.
 * A new product is one POST. An update reads the product first (the one extra request), PATCHes its fields, PUTs
 * only the variants that differ and DELETEs the variants nothing wants any more (a variant row deleted from the
 * shop included). A PATCH cannot clear published_at_foreign (a date, not text): then the product is PUT whole.
 */
export async function writeProduct(
  ctx: SyncContext, productId: string, payload: ProductPayload, found: ProductWithVariants | null, exists: boolean,
  beforeVariantsGo?: () => Promise<unknown>, needed?: readonly VariantPayload[],
): Promise<void> {
  const { mailchimp, config } = ctx.deps;
  const wanted = [...payload.variants, ...(needed ?? (await neededByOrders(ctx, productId, payload, found)))];
  const whole: ProductPayload = { ...payload, variants: wanted };
  if (!exists && (await created(() => mailchimp.createProduct(config.storeId, whole)))) return;
  const remote = await mailchimp.getProduct(config.storeId, payload.id);
  if (!remote) {
    await mailchimp.createProduct(config.storeId, whole);
    return;
  }
  const remoteVariants = await variantsOf(ctx, remote);
  if (remote.published_at_foreign && !payload.published_at_foreign) {
    await mailchimp.putProduct(config.storeId, payload.id, whole);
  } else {
    await mailchimp.updateProduct(config.storeId, payload.id, productPatchFrom(payload));
    const byId = new Map(remoteVariants.map((v) => [v.id, v]));
    for (const variant of wanted) {
      if (!variantMatches(byId.get(variant.id), variant)) await mailchimp.upsertVariant(config.storeId, payload.id, variant);
    }
  }
  const stale = staleVariantIds(remoteVariants.map((v) => v.id), wanted);
  // Orders whose line named a variant row now deleted point at the code variant instead: re-sent before it goes.
  if (stale.length > 0 && beforeVariantsGo) await beforeVariantsGo();
  for (const id of stale) await mailchimp.deleteVariant(config.storeId, payload.id, id);
}

/** Runs a create; false when Mailchimp already has the resource (the caller updates it instead). */
async function created(create: () => Promise<unknown>): Promise<boolean> {
  try {
    await create();
    return true;
  } catch (err) {
    if (err instanceof MailchimpError && err.kind === 'already_exists') return false;
    throw err;
  }
}

/** Every variant Mailchimp has of the product (the GET carries the first 50). */
async function variantsOf(ctx: SyncContext, remote: ProductResource): Promise<RemoteVariant[]> {
  const inline = (remote.variants ?? []) as RemoteVariant[];
  if (inline.length < VARIANTS_IN_PRODUCT) return inline;
  const { mailchimp, config } = ctx.deps;
  const out: RemoteVariant[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await mailchimp.list<RemoteVariant>(apiPath`/ecommerce/stores/${config.storeId}/products/${remote.id}/variants`, { count: 1000, offset });
    out.push(...page.items);
    if (page.items.length === 0 || out.length >= page.total_items) return out;
  }
}

/**
 * Variants beyond the payload's that order lines point at: the one named after the code (variant-less lines, or
 * lines whose variant row is gone), and each SKU a sent order names that the product no longer sells (a deleted
 * variant), without stock.
 */
export async function neededByOrders(ctx: SyncContext, productId: string, payload: ProductPayload, found: ProductWithVariants | null): Promise<VariantPayload[]> {
  const { source } = ctx.deps;
  const has = new Set(payload.variants.map((v) => v.id));
  // An active variant the mapping refused is not kept for orders: an order naming it is refused too.
  for (const v of found?.variants ?? []) if (v.status === 'active') has.add(variantRemoteId(v.sku));
  const out: VariantPayload[] = [];
  if (found && !has.has(payload.id) && (await source.productIdsOrderedWithoutVariant([productId])).has(productId)) {
    out.push(codeVariantOf(payload));
    has.add(payload.id);
  }
  for (const sku of (await source.orderedVariantSkus?.(productId)) ?? []) {
    if (has.has(sku)) continue;
    out.push(stocklessVariant(sku, payload.title));
    has.add(sku);
  }
  return out;
}

/** Order lines without a variant reference the variant whose id is the product code (mapping/order.ts). */
export async function upsertCodeVariant(ctx: SyncContext, payload: Pick<ProductPayload, 'id' | 'title' | 'url' | 'image_url'>): Promise<void> {
  await ctx.deps.mailchimp.upsertVariant(ctx.deps.config.storeId, payload.id, codeVariantOf(payload));
}

/** Sets every variant of a product in Mailchimp to no stock (nothing to do when Mailchimp no longer has it). */
export async function clearStock(ctx: SyncContext, remoteId: string): Promise<void> {
  const { mailchimp, config } = ctx.deps;
  const remote = await mailchimp.getProduct(config.storeId, remoteId);
  if (!remote) return;
  for (const v of await variantsOf(ctx, remote)) {
    if (!v.inventory_quantity) continue;
    await mailchimp.upsertVariant(config.storeId, remoteId, {
      id: v.id, title: typeof v.title === 'string' && v.title !== '' ? v.title : v.id, inventory_quantity: 0,
      ...(typeof v.url === 'string' && v.url ? { url: v.url } : {}), ...(typeof v.sku === 'string' && v.sku ? { sku: v.sku } : {}),
      ...(typeof v.price === 'number' ? { price: v.price } : {}),
      ...(typeof v.image_url === 'string' && v.image_url ? { image_url: v.image_url } : {}),
    });
  }
}
