import type { OrderWithContext } from '../../mapping/shop-rows';
import type { SyncContext } from '../context';
import { syncProduct } from './product';
import { isResending } from './product-rename';

/**
 * An order the mapping refuses is not sent, and keeps nothing of its products in Mailchimp: the product sync keeps
 * things (the variant named after the code, a SKU no longer sold, an inactive product's placeholder, a gone product's
 * stand-in) only for the orders the sync sends (mapping/sent-order.ts; the source's queries judge them by it).
 *
 * An order refused because of a product (a line naming a product nothing of which can be sent, or a variant the
 * product is sent without) is sent again only by that product's sync, once it is written (syncProduct re-sends the
 * orders that waited). The order read the product without its lock, so the product's recorded state may not be the
 * one the order read: recorded synced with nothing refused while the order read it refused (its own sync has not run
 * since the change), or never recorded. If the change is undone before the product's own sync runs, that sync finds
 * nothing to write and the order would stay failed, though a fresh full sync sends it. So each product the refusal
 * names is synced now, under its lock (an unchanged one costs no request), unless it is recorded failed (its next
 * write re-sends the orders whatever it read) or its orders are being re-sent right now (this order's sync runs inside
 * that product's sync, which records it afterwards). The product's own failure then also says why (mcsync errors).
 * Returns whether a product was synced: the order is read again then, as the product may no longer refuse it.
 */
export async function judgeProductsWaitedFor(ctx: SyncContext, order: OrderWithContext): Promise<boolean> {
  const refusing = new Set(order.lines.filter((l) => order.refusedProducts?.[l.product_id] !== undefined
    || (l.variant_id !== null && order.refusedVariants?.[l.variant_id] !== undefined)).map((l) => l.product_id));
  const waitedFor = [...refusing];
  const judged = await ctx.deps.state.getMany('product', waitedFor);
  let synced = false;
  for (const productId of waitedFor) {
    if (judged.get(productId)?.status === 'failed' || isResending(ctx, productId)) continue;
    await syncProduct(ctx, productId);
    synced = true;
  }
  return synced;
}
