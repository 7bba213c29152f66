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

/** An order as Mailchimp holds it, as far as the rule below reads it: the product ids its lines name. */
export interface HeldOrder {
  lines?: ReadonlyArray<{ product_id?: unknown }>;
}

/**
 * A product id the sync no longer sends any product under (a renamed product's old code, kept without stock) stays in
 * Mailchimp only while an order Mailchimp still holds names it: one sent with it that could not be re-sent since. A
 * fresh full sync never creates it. The one rule, for the rename itself and for every order that leaves Mailchimp or
 * moves its lines off such an id later.
 */
export function keepsRetiredProduct(productId: string, held: readonly HeldOrder[]): boolean {
  return held.some((order) => order.lines?.some((line) => line.product_id === productId) ?? false);
}

/** The product ids an order's lines named before that its lines name no more (all of them, for an order that left). */
export function productIdsLeft(before: readonly HeldOrder[], after: ReadonlyArray<{ product_id: string }> = []): string[] {
  const still = new Set(after.map((line) => line.product_id));
  const named = before.flatMap((order) => order.lines ?? []).map((line) => line.product_id);
  return [...new Set(named.filter((id): id is string => typeof id === 'string' && !still.has(id)))];
}
