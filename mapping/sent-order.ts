/**
 * What an order keeps in Mailchimp. Only an order the sync sends there (the mapping accepts it: not skipped as
 * pending, not refused) names anything in Mailchimp: a guest's customer, and the stand-in (`deleted-<id>`, stock-less)
 * of a product the shop no longer has. A fresh full sync creates those only on the way of such an order (an order
 * syncs its customer and the products its lines name first), so the incremental syncs decide by the same predicate.
 */
import type { OrderWithContext, ShopSettings } from '../source/types';
import { mapOrder } from './order';

/** Whether the sync sends this order to Mailchimp. */
export function isSentOrder(order: OrderWithContext, settings: ShopSettings): boolean {
  return mapOrder(order, settings).kind === 'ok';
}
