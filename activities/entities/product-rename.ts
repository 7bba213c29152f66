import type { SyncContext } from '../context';
import { orderSentBefore, syncOrder } from './order';
import { clearStock } from './product-write';

/**
 * After a product was created under its new code: every order that names the product is synced again (its lines
 * now name the new ids; Mailchimp updates them in place), then the product under the old code is deleted. An order
 * sent before that cannot be re-sent (refused now, for instance) still names the old product: it is kept, without
 * stock, like any product only old orders need.
 * Runs inline in the product's activity, before the product's new id is recorded: a retry redoes it all.
 */
export async function retireRenamedProduct(ctx: SyncContext, productId: string, oldRemoteId: string): Promise<void> {
  const { source, state, mailchimp, config } = ctx.deps;
  let stillNamed = false;
  for (const orderId of (await source.orderIdsNamingProduct?.(productId)) ?? []) {
    const outcome = await syncOrder(ctx, orderId);
    if (outcome.status === 'synced' || outcome.status === 'unchanged') continue;
    if (orderSentBefore(await state.get('order', orderId))) stillNamed = true;
  }
  if (stillNamed) await clearStock(ctx, oldRemoteId);
  else await mailchimp.deleteProduct(config.storeId, oldRemoteId);
}
