/**
 * What an order keeps in Mailchimp. A guest's customer and the stand-in (`deleted-<id>`, stock-less) of a product the
 * shop no longer has are kept only for an order the sync sends there (the mapping accepts it: not skipped as pending,
 * not refused): a fresh full sync creates those only on the way of such an order (an order syncs its customer and the
 * products its lines name first), so the incremental syncs decide by the same predicate. So does what the product
 * sync keeps of a product the shop still has for order lines (the variant named after the code, a SKU no longer sold,
 * an inactive product's placeholder): the source's productIdsOrderedWithoutVariant, orderedVariantSkus and
 * productIdsReferencedByOrders narrow to orders that are not pending in SQL, then judge those by this predicate.
 */
import type { OrderWithContext, ShopSettings } from './shop-rows';
import { mapOrder } from './order';

/** Whether the sync sends this order to Mailchimp. */
export function isSentOrder(order: OrderWithContext, settings: ShopSettings): boolean {
  return mapOrder(order, settings).kind === 'ok';
}
