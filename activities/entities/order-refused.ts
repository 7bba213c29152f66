import { lineRemoteIds } from '../../mapping/order';
import { goneProductId } from '../../mapping/product';
import type { OrderWithContext } from '../../source/types';
import type { SyncContext } from '../context';
import { syncProduct } from './product';

/**
 * An order that is not pending but that the mapping refuses is not sent. The product sync still keeps, for every order
 * that is not pending, what its lines name (source productIdsOrderedWithoutVariant, orderedVariantSkus and
 * productIdsReferencedByOrders: the variant named after the code, a SKU the shop no longer sells without stock, an
 * inactive product's placeholder), and a fresh full sync's product phase writes them. A product synced before the
 * refused order arrived never saw it: each product its lines name that Mailchimp lacks, or whose copy lacks the
 * variant a line names, is synced again (forced) so that it ends as a fresh full sync writes it. One GET per product
 * when nothing is missing. A product the shop no longer has is left alone: only a sent order keeps its stand-in
 * (mapping/sent-order.ts); so is a line naming a variant the product mapping refuses (never kept for orders). A product
 * nothing of which can be sent (the order waits for it) is only judged, once.
 */
export async function keepWhatRefusedLinesName(ctx: SyncContext, order: OrderWithContext): Promise<void> {
  const { mailchimp, config } = ctx.deps;
  const named = new Map<string, { remoteId: string; variantIds: Set<string> }>();
  const waitedFor = new Set<string>();
  for (const line of order.lines) {
    if (order.refusedProducts?.[line.product_id] !== undefined) {
      waitedFor.add(line.product_id);
      continue;
    }
    const { productId: remoteId, variantId } = lineRemoteIds(line);
    if (remoteId === '' || remoteId === goneProductId(line.product_id)) continue;
    if (line.variant_id !== null && order.refusedVariants?.[line.variant_id] !== undefined) continue;
    const entry = named.get(line.product_id) ?? { remoteId, variantIds: new Set<string>() };
    entry.variantIds.add(variantId);
    named.set(line.product_id, entry);
  }
  for (const [productId, { remoteId, variantIds }] of named) {
    const remote = await mailchimp.getProduct(config.storeId, remoteId);
    const has = new Set((remote?.variants ?? []).map((v) => String(v.id)));
    if (remote && [...variantIds].every((id) => has.has(id))) continue;
    await syncProduct(ctx, productId, { force: true });
  }
  // A product the order waits for that the sync has not judged yet is synced, so its own failure says why (mcsync
  // errors); one Mailchimp has from the sync leaves with its orders when its own sync runs (syncProduct).
  const judged = await ctx.deps.state.getMany('product', [...waitedFor]);
  for (const productId of waitedFor) {
    const status = judged.get(productId)?.status;
    if (status !== 'synced' && status !== 'failed') await syncProduct(ctx, productId);
  }
}
