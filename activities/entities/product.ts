import {
  goneProductPlaceholder, placeholderPlanOf, planProduct, productRemoteId, refusedVariantsReason, type PlannedProduct, type RefusedVariant,
} from '../../mapping/product';
import { isSentOrder } from '../../mapping/sent-order';
import type { ProductPayload, VariantPayload } from '../../mailchimp/schemas';
import type { SyncStateRow } from '../../db/sync-state';
import type { ProductWithVariants } from '../../mapping/shop-rows';
import { contentHash, type EntityOutcome, type SyncContext } from '../context';
import { syncCart } from './cart';
import { resyncFailedOrders } from './order';
import { resendOrdersNaming, retireRenamedProduct } from './product-rename';
import { neededByOrders, writeProduct } from './product-write';
import { guarded, isUnchanged, recordFailure } from './record';

export { upsertCodeVariant } from './product-write';

/**
 * One product with its variants. Live products are upserted; deleted and inactive ones are deleted from Mailchimp,
 * except when orders reference them: then they stay as placeholders (no stock) so old orders keep their products.
 * Active variants the mapping refuses are left out, with their reasons on the product's sync state (status synced).
 * A product whose code changed is created under the new code, the orders naming it are re-sent to point at it,
 * then the old one is deleted (or kept without stock while an order sent before still names it).
 */
export function syncProduct(ctx: SyncContext, productId: string, options: { force?: boolean } = {}): Promise<EntityOutcome> {
  return guarded(ctx, 'product', productId, async () => {
    const { source, state } = ctx.deps;
    const found = await source.product(productId);
    const previous = await state.get('product', productId);
    if (!found) {
      if (!(await sentOrderNames(ctx, productId))) return removeProduct(ctx, productId, [previous?.remote_id]);
      // Its order lines now name the placeholder (source/shop-db.ts): like a code change, the orders sent with the
      // product as it was are re-sent, then it is deleted (kept without stock while one of them cannot be re-sent).
      return upsertProduct(ctx, productId, { payload: goneProductPlaceholder(productId), refused: [] }, null, previous, options);
    }

    let planned = planProduct(found, ctx.settings);
    if (planned.kind === 'skip') {
      const referenced = await source.productIdsReferencedByOrders([productId]);
      if (!referenced.has(productId)) return removeProduct(ctx, productId, [previous?.remote_id, productRemoteId(found.product.code)]);
      planned = placeholderPlanOf(found, ctx.settings);
    }
    if (planned.kind !== 'ok') {
      if (previous?.status === 'synced') await withdrawRefusedProduct(ctx, productId, [previous.remote_id, productRemoteId(found.product.code)]);
      return recordFailure(ctx, 'product', productId, planned.reason);
    }
    return upsertProduct(ctx, productId, planned.payload, found, previous, options);
  });
}

/**
 * A product sent before that nothing of can be sent now: a fresh full sync sends neither it nor the orders naming it
 * (they wait for it, mapOrder), so those orders are synced again (they leave Mailchimp, with a guest customer only they
 * named), and so are the carts naming it (their lines naming it leave: mapCartLine), then it is deleted. Its sync
 * state keeps the id it was sent under, so it is created again once it can be.
 */
async function withdrawRefusedProduct(ctx: SyncContext, productId: string, remoteIds: Array<string | null | undefined>): Promise<void> {
  await resendOrdersNaming(ctx, productId);
  await resyncCartsNaming(ctx, productId);
  for (const id of new Set(remoteIds.filter((r): r is string => Boolean(r)))) await ctx.deps.mailchimp.deleteProduct(ctx.deps.config.storeId, id);
}

/**
 * Whether an order the sync sends names this product, which the shop no longer has (mapping/sent-order.ts): only then
 * does its stand-in stay, as a fresh full sync creates it only on the way of such an order. Reads the orders naming it
 * until one is sent; a source that cannot list them answers by any order that is not pending.
 */
async function sentOrderNames(ctx: SyncContext, productId: string): Promise<boolean> {
  const { source } = ctx.deps;
  const orderIds = await source.orderIdsNamingProduct?.(productId);
  if (orderIds === undefined) return (await source.productIdsReferencedByOrders([productId])).has(productId);
  for (const orderId of orderIds) {
    const order = await source.order(orderId);
    if (order && isSentOrder(order, ctx.settings)) return true;
  }
  return false;
}

async function upsertProduct(
  ctx: SyncContext, productId: string, planned: PlannedProduct, found: ProductWithVariants | null,
  previous: SyncStateRow | null, options: { force?: boolean },
): Promise<EntityOutcome> {
  const { payload, refused } = planned;
  // What orders need of the product counts too: a line gone (or a pending order) takes the variant only it needed.
  const needed = await neededByOrders(ctx, productId, payload, found);
  const hash = productHash(payload, refused, needed);
  if (isUnchanged(previous, hash, options.force)) return { status: 'unchanged', entityId: productId };
  const renamedFrom = renamedFromId(previous, payload.id);
  // Only a product already recorded as synced re-sends its orders: an order syncs a product it does not see synced.
  const resend = previous?.status === 'synced' ? () => resendOrdersNaming(ctx, productId) : undefined;
  await writeProduct(ctx, productId, payload, found, !isNewProduct(previous) && renamedFrom === undefined, resend, needed);
  if (renamedFrom !== undefined) await retireRenamedProduct(ctx, productId, renamedFrom);
  const refusedReason = refusedVariantsReason(payload.id, refused) ?? null;
  await ctx.deps.state.record('product', productId, { status: 'synced', contentHash: hash, remoteId: payload.id, errorReason: refusedReason });
  await resendDependants(ctx, productId, previous, refusedReason !== null);
  return { status: 'synced', entityId: productId };
}

/**
 * The one rule for what names a product once the product is written (after its record, so what they sync on their way
 * sees it synced): nothing in their own rows changes, so without this they stay as they were while a fresh full sync
 * now sends them otherwise. (The products scan also hands the carts naming a changed product row to their workflows,
 * but not after a write no scan follows: a resync of products marks its rows seen, and a cart's workflow can run
 * before the product's.)
 * - Orders that waited for it (madeOrdersWait) are synced again, the ones recorded failed (an order sent before and
 *   refused now already left on the way: writeProduct re-sent the orders naming it).
 * - Carts naming it are synced again when it made them wait, or refuses a variant now: a cart line naming a product
 *   or variant the sync does not send is left out (mapCartLine), so a line comes in once it is sent, and leaves when it
 *   is no longer sent (withdrawRefusedProduct when nothing of it can be sent). An unchanged cart costs no request.
 */
async function resendDependants(ctx: SyncContext, productId: string, previous: SyncStateRow | null, refusesVariants: boolean): Promise<void> {
  const waited = madeOrdersWait(previous);
  if (waited) await resendOrdersThatWaited(ctx, productId);
  // Not for a product never recorded (every product of a first full sync, which sends carts after them all): a cart
  // that left out its line since is looked at again by the products scan, which hands it the product's new row.
  if (waited || (refusesVariants && previous !== null)) await resyncCartsNaming(ctx, productId);
}

/**
 * Syncs again the carts whose lines name the product. A cart this chain is syncing already (this product's sync runs
 * inside that cart's, which sends its products first) is left to that sync, which writes it next.
 */
async function resyncCartsNaming(ctx: SyncContext, productId: string): Promise<void> {
  const cartIds = (await ctx.deps.source.cartIdsNaming?.({ productIds: [productId], userIds: [] })) ?? [];
  for (const cartId of cartIds) {
    if (ctx.deps.locks.tokenOf('cart', cartId) === undefined) await syncCart(ctx, cartId);
  }
}

/**
 * Whether orders naming the product may be recorded failed because of it: it was not in Mailchimp from the sync
 * (refused, recorded failed; or deleted in the shop and not kept, since its only orders waited for it, recorded
 * deleted), or it was sent without a variant (the refused variants' reasons on its synced state), which refuses an
 * order naming that variant. An order that read the product refusing it in a state this record does not say (recorded
 * synced with nothing refused, or never recorded: its own sync had not run since) syncs the product before it records
 * its failure, and reads itself again (order-refused.ts judgeProductsWaitedFor), so the record says so by then.
 */
function madeOrdersWait(previous: SyncStateRow | null): boolean {
  return previous !== null && (previous.status !== 'synced' || previous.error_reason !== null);
}

/**
 * Nothing else changes the rows of the orders a product made wait, so once it is written they are synced again (the
 * ones recorded failed), as a fresh sync would send them; one still refused is recorded failed again, no request.
 */
async function resendOrdersThatWaited(ctx: SyncContext, productId: string): Promise<void> {
  await resyncFailedOrders(ctx, (await ctx.deps.source.orderIdsNamingProduct?.(productId)) ?? []);
}

/**
 * What the sync state compares to skip an unchanged product. The refused variants' reasons count too, so a variant
 * refused for another reason updates the recorded reason, and so do the variants orders need beyond the payload's
 * (product-write.ts neededByOrders), so one that no order needs any more is deleted. Hashes recorded without them
 * stay valid.
 */
export function productHash(payload: ProductPayload, refused: readonly RefusedVariant[] = [], needed: readonly VariantPayload[] = []): string {
  if (needed.length > 0) return contentHash({ payload, refused, needed });
  return refused.length === 0 ? contentHash(payload) : contentHash({ payload, refused });
}

/** A product the sync never sent (or sent and deleted): written with a create first, not an update. */
export function isNewProduct(previous: SyncStateRow | null | undefined): boolean {
  return previous?.status !== 'synced' && previous?.status !== 'failed';
}

/** The id the product was sent under when its code has changed since (Mailchimp ids cannot be renamed). */
export function renamedFromId(previous: SyncStateRow | null | undefined, remoteId: string): string | undefined {
  if (previous?.status !== 'synced' || !previous.remote_id) return undefined;
  return previous.remote_id === remoteId ? undefined : previous.remote_id;
}

async function removeProduct(ctx: SyncContext, productId: string, remoteIds: Array<string | null | undefined>): Promise<EntityOutcome> {
  const ids = [...new Set(remoteIds.filter((id): id is string => Boolean(id)))];
  for (const id of ids) await ctx.deps.mailchimp.deleteProduct(ctx.deps.config.storeId, id);
  await ctx.deps.state.record('product', productId, { status: 'deleted', remoteId: ids[ids.length - 1] ?? null });
  return { status: 'deleted', entityId: productId };
}
