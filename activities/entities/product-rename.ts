import type { SyncContext } from '../context';
import { orderSentBefore, syncOrder } from './order';
import { clearStock } from './product-write';

/**
 * Syncs again every sent order that names the product (their lines may now name other ids: a new product code, or
 * the code variant for a line whose variant row was deleted; Mailchimp updates lines in place). An unchanged order
 * costs no request (its content hash). True when some order sent before could not be re-sent and did not leave
 * either, so Mailchimp still holds it as it was.
 */
export async function resendOrdersNaming(ctx: SyncContext, productId: string): Promise<boolean> {
  const { source, state, mailchimp, config } = ctx.deps;
  let stale = false;
  await once(ctx, productId, async () => {
    for (const orderId of (await source.orderIdsNamingProduct?.(productId)) ?? []) {
      const outcome = await syncOrder(ctx, orderId);
      if (outcome.status === 'synced' || outcome.status === 'unchanged') continue;
      // Only an order Mailchimp still has keeps the old product: one that left on the way (refused now, back to
      // pending) names nothing there, and a fresh sync would have neither. A refused order's state says failed
      // whether or not it left, so Mailchimp is asked (one GET, only for an order that was not re-sent).
      const after = await state.get('order', orderId);
      if (!orderSentBefore(after) || after?.status === 'deleted' || after?.status === 'skipped') continue;
      if (await mailchimp.getOrder(config.storeId, after?.remote_id ?? orderId)) stale = true;
    }
  });
  return stale;
}

/** Products whose orders this activity is re-sending: an order that syncs the product again on its way does not recurse. */
const resending = new WeakMap<SyncContext, Set<string>>();

function isResending(ctx: SyncContext, productId: string): boolean {
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
 * old code is deleted; kept without stock, like any product only old orders need, while an order sent before cannot
 * be re-sent (refused now, for instance) and so still names it.
 * Runs inline in the product's activity, before the product's new id is recorded: a retry redoes it all.
 */
export async function retireRenamedProduct(ctx: SyncContext, productId: string, oldRemoteId: string): Promise<void> {
  const { mailchimp, config } = ctx.deps;
  if (isResending(ctx, productId)) return; // the outer sync of this product retires it once its orders are re-sent
  if (await resendOrdersNaming(ctx, productId)) await clearStock(ctx, oldRemoteId);
  else await mailchimp.deleteProduct(config.storeId, oldRemoteId);
}
