import type { OrderResource } from '../../mailchimp/types';
import { keepsRetiredProduct } from '../../mapping/sent-order';
import type { SyncContext } from '../context';
import { orderSentBefore, syncOrder } from './order';
import { clearStock } from './product-write';

/**
 * Syncs again every sent order that names the product (their lines may now name other ids: a new product code, or
 * the code variant for a line whose variant row was deleted; Mailchimp updates lines in place). An unchanged order
 * costs no request (its content hash). Returns the orders sent before that could not be re-sent and did not leave
 * either, as Mailchimp still holds them.
 */
export async function resendOrdersNaming(ctx: SyncContext, productId: string): Promise<OrderResource[]> {
  const { source, state, mailchimp, config } = ctx.deps;
  const stale: OrderResource[] = [];
  await once(ctx, productId, async () => {
    for (const orderId of (await source.orderIdsNamingProduct?.(productId)) ?? []) {
      const outcome = await syncOrder(ctx, orderId);
      if (outcome.status === 'synced' || outcome.status === 'unchanged') continue;
      // Only an order Mailchimp still has keeps the old product: one that left on the way (refused now, back to
      // pending) names nothing there, and a fresh sync would have neither. A refused order's state says failed
      // whether or not it left, so Mailchimp is asked (one GET, only for an order that was not re-sent).
      const after = await state.get('order', orderId);
      if (!orderSentBefore(after) || after?.status === 'deleted' || after?.status === 'skipped') continue;
      const held = await mailchimp.getOrder(config.storeId, after?.remote_id ?? orderId);
      if (held) stale.push(held);
    }
  });
  return stale;
}

/** Products whose orders this activity is re-sending: an order that syncs the product again on its way does not recurse. */
const resending = new WeakMap<SyncContext, Set<string>>();

export function isResending(ctx: SyncContext, productId: string): boolean {
  return resending.get(ctx)?.has(productId) ?? false;
}

async function once(ctx: SyncContext, productId: string, run: () => Promise<void>): Promise<void> {
  const active = resending.get(ctx) ?? new Set<string>();
  resending.set(ctx, active);
  if (active.has(productId)) return;
  active.add(productId);
  try {
    await run();
  } finally {
    active.delete(productId);
  }
}

/**
 * After a product was created under its new code: the orders naming it are re-sent, then the product under the
 * old code is deleted; kept without stock while an order sent before could not be re-sent and Mailchimp still holds
 * it naming the old code (mapping/sent-order.ts keepsRetiredProduct); it goes once that order leaves or moves off it
 * (releaseRetiredProducts).
 * Runs inline in the product's activity, before the product's new id is recorded: a retry redoes it all.
 */
export async function retireRenamedProduct(ctx: SyncContext, productId: string, oldRemoteId: string): Promise<void> {
  const { mailchimp, config } = ctx.deps;
  if (isResending(ctx, productId)) return; // the outer sync of this product retires it once its orders are re-sent
  if (keepsRetiredProduct(oldRemoteId, await resendOrdersNaming(ctx, productId))) await clearStock(ctx, oldRemoteId);
  else await mailchimp.deleteProduct(config.storeId, oldRemoteId);
}

/**
 * An order left Mailchimp, or was re-sent with its lines moved off some product ids: an id among them that no product
 * is sent under any more (a renamed product's old code kept without stock for that order) is deleted once no other
 * order Mailchimp holds names it (keepsRetiredProduct), as a fresh full sync never has it. An id some product is sent
 * under is that product's own sync's business (one query on the products' sync state). The orders that may still name
 * a retired id are those sent before and recorded failed since (not re-sent): asked of Mailchimp, one GET each, only
 * when a retired id is found that Mailchimp still has (one GET of the product).
 */
export async function releaseRetiredProducts(ctx: SyncContext, productIds: readonly string[]): Promise<void> {
  const { state, mailchimp, config } = ctx.deps;
  if (productIds.length === 0) return;
  const live = await state.sentUnder('product', productIds);
  const retired = productIds.filter((id) => !live.has(id));
  if (retired.length === 0) return;
  let held: OrderResource[] | undefined;
  for (const id of retired) {
    if (!(await mailchimp.getProduct(config.storeId, id))) continue; // not in Mailchimp (any more): nothing to free
    held ??= await ordersHeldUnsent(ctx);
    if (!keepsRetiredProduct(id, held)) await mailchimp.deleteProduct(config.storeId, id);
  }
}

/**
 * The orders sent before and recorded failed since, as Mailchimp still holds them (an order that just left is recorded
 * deleted first; one just re-sent is held with its new lines).
 */
async function ordersHeldUnsent(ctx: SyncContext): Promise<OrderResource[]> {
  const { state, mailchimp, config } = ctx.deps;
  const failed = await state.idsWithStatus('order', 'failed');
  const states = await state.getMany('order', failed);
  const held: OrderResource[] = [];
  for (const id of failed) {
    const remoteId = states.get(id)?.remote_id;
    if (!remoteId) continue;
    const order = await mailchimp.getOrder(config.storeId, remoteId);
    if (order) held.push(order);
  }
  return held;
}
