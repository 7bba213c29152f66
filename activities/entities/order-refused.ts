import type { OrderWithContext } from '../../mapping/shop-rows';
import type { SyncContext } from '../context';
import { syncProduct } from './product';

/**
 * An order the mapping refuses is not sent, and keeps nothing of its products in Mailchimp: the product sync keeps
 * things (the variant named after the code, a SKU no longer sold, an inactive product's placeholder, a gone product's
 * stand-in) only for the orders the sync sends (mapping/sent-order.ts; the source's queries judge them by it). A
 * product the order waits for (nothing of it can be sent) that the sync has not judged yet is synced, so that its own
 * failure says why (mcsync errors); one Mailchimp has from the sync leaves with its orders when its own sync runs
 * (syncProduct).
 */
export async function judgeProductsWaitedFor(ctx: SyncContext, order: OrderWithContext): Promise<void> {
  const waitedFor = [...new Set(order.lines.map((l) => l.product_id).filter((id) => order.refusedProducts?.[id] !== undefined))];
  const judged = await ctx.deps.state.getMany('product', waitedFor);
  for (const productId of waitedFor) {
    const status = judged.get(productId)?.status;
    if (status !== 'synced' && status !== 'failed') await syncProduct(ctx, productId);
  }
}
