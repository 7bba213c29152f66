import { MailchimpError } from '../../mailchimp/mailchimp-error';
import { customerIdForEmail } from '../../mapping/ids';
import { mapOrder, needsOrderPut, orderLineChanges, orderPatchFrom, orderPutFrom, orderWarnings } from '../../mapping/order';
import { goneProductId, lineVariantFor, productRemoteId } from '../../mapping/product';
import { productIdsLeft } from '../../mapping/sent-order';
import { apiPath } from '../../mailchimp/api-path';
import { refusesUnknownCustomer } from '../../mailchimp/classify';
import type { OrderLinePayload, OrderPayload } from '../../mailchimp/schemas';
import type { SyncStateRow } from '../../db/sync-state';
import type { Mapped } from '../../mapping/result';
import type { OrderWithContext, ShopSettings } from '../../mapping/shop-rows';
import { contentHash, type EntityOutcome, type SyncContext } from '../context';
import { ensureCustomer, syncCustomer, syncCustomerAfterOrderLeft, type CustomerOutcome } from './customer';
import { judgeProductsWaitedFor } from './order-refused';
import { syncProduct } from './product';
import { releaseRetiredProducts } from './product-rename';
import { guarded, isUnchanged, recordFailure } from './record';
import { upsert } from './upsert';
import { writeLines } from './line-writes';

export type OrderOutcome = EntityOutcome & { customerAwaitsConfirmation?: string };

/** Syncs again those of these orders whose sync state says failed (waiting for a customer or product now sent, say). */
export async function resyncFailedOrders(ctx: SyncContext, orderIds: readonly string[]): Promise<void> {
  if (orderIds.length === 0) return;
  const states = await ctx.deps.state.getMany('order', [...orderIds]);
  for (const orderId of orderIds) {
    if (states.get(orderId)?.status === 'failed') await syncOrder(ctx, orderId);
  }
}

/**
 * One order. Completed orders are created once (a repeated create turns into an update, never a second order);
 * later changes are sent as a PATCH. Its customer and every product it references are synced first.
 */
export function syncOrder(ctx: SyncContext, orderId: string, options: { force?: boolean } = {}): Promise<OrderOutcome> {
  return guarded(ctx, 'order', orderId, () => readAndSyncOrder(ctx, orderId, options, true));
}

/**
 * The order's sync from its read on, under its lock. `judge`: a refusal because of a product first syncs the products
 * it names (judgeProductsWaitedFor), then reads the order again, once, without judging again.
 */
async function readAndSyncOrder(ctx: SyncContext, orderId: string, options: { force?: boolean }, judge: boolean): Promise<OrderOutcome> {
  const { source, state } = ctx.deps;
  const found = await source.order(orderId);
  const previous = await state.get('order', orderId);
  if (!found) return removeOrder(ctx, orderId, previous, 'The order is not in the shop database', { gone: true });
  const planned = planOrder(found, ctx.settings);
  if (planned.kind === 'skip') {
    // An order sent before that went back to pending: a fresh sync would not send it, so it leaves Mailchimp
    // (`skipped`: it already left), and so does what only it kept there (its products' needs change).
    if (mayStillBeSent(previous)) {
      await removeOrder(ctx, orderId, previous, planned.reason);
      await reconsiderProductsOf(ctx, found, { needsChanged: true });
    }
    return recordOrderSkipped(ctx, orderId, planned.reason);
  }
  if (planned.kind !== 'ok') {
    // Refused because of a product whose recorded state may not be what this read saw: the product is synced first,
    // and the order read again (the product may send what it names by now, as a fresh sync would see it).
    if (judge && (await judgeProductsWaitedFor(ctx, found))) return readAndSyncOrder(ctx, orderId, options, false);
    // Sent before, refused now: a fresh sync would not send it either, so it leaves Mailchimp, and so does what only
    // it kept there (the product sync keeps things for sent orders only: mapping/sent-order.ts).
    if (mayStillBeSent(previous)) {
      await removeOrder(ctx, orderId, previous, planned.reason);
      await reconsiderProductsOf(ctx, found, { needsChanged: true });
    }
    return recordFailure(ctx, 'order', orderId, planned.reason);
  }
  const { payload, hash, buyerEmail } = planned.payload;
  if (isUnchanged(previous, hash, options.force)) return { status: 'unchanged', entityId: orderId };

  const customer = await ensureBuyer(ctx, buyerEmail);
  if (customer.status === 'failed') {
    return recordFailure(ctx, 'order', orderId, `Order ${found.order.order_number} waits for its customer: ${customer.reason}`);
  }
  const blocked = await ensureProducts(ctx, found);
  if (blocked) return recordFailure(ctx, 'order', orderId, `Order ${found.order.order_number} waits for a product: ${blocked}`);

  // A changed order number is a new Mailchimp order; the one under the old number is deleted once it is written.
  const renamedFrom = previous?.remote_id != null && previous.remote_id !== payload.id ? previous.remote_id : undefined;
  const sentBefore = orderSentBefore(previous) && renamedFrom === undefined;
  try {
    await writeOrder(ctx, payload, sentBefore);
  } catch (err) {
    if (isMissingCustomer(err) && buyerEmail) {
      // The sync state says the customer was sent, but Mailchimp no longer has it (deleted by hand): send it again,
      // then the order. Without this the order would fail for good, since nothing changes the customer's hash.
      const resent = await syncCustomer(ctx, customerIdForEmail(buyerEmail), { force: true, forOrder: true });
      if (resent.status === 'failed') {
        return recordFailure(ctx, 'order', orderId, `Order ${found.order.order_number} waits for its customer: ${resent.reason}`);
      }
      await writeOrder(ctx, payload, sentBefore);
    } else {
      const healed = await afterMissingDependency(ctx, err, found, payload, sentBefore);
      if (healed) return recordFailure(ctx, 'order', orderId, healed.message, { detail: healed.detail });
    }
  }
  if (renamedFrom !== undefined && previous?.status !== 'deleted') await ctx.deps.mailchimp.deleteOrder(ctx.deps.config.storeId, renamedFrom);
  // What the order was sent without (an address with an invalid country code) stays visible: `mcsync errors`.
  const warnings = orderWarnings(found);
  await state.record('order', orderId, { status: 'synced', contentHash: hash, remoteId: payload.id, errorReason: warnings.length > 0 ? warnings.join('; ') : null });
  return {
    status: 'synced',
    entityId: orderId,
    ...(customer.awaitConfirmation ? { customerAwaitsConfirmation: customer.entityId } : {}),
  };
}

/**
 * The order write failed: a product we thought Mailchimp had is gone (deleted by hand), or a line names a variant the
 * shop no longer sells. Returns Mailchimp's refusal when even the retry fails; anything else is thrown.
 */
async function afterMissingDependency(
  ctx: SyncContext, err: unknown, found: OrderWithContext, payload: OrderPayload, sentBefore: boolean,
): Promise<MailchimpError | undefined> {
  if (!isMissingDependency(err)) throw err;
  // Resend the products that are really gone (a forced resend deletes the variants the shop no longer sells, which
  // would race with another order putting back the variant it needs), keep each variant the order names (without
  // stock), then the order.
  if (await ensureLineVariants(ctx, payload)) {
    await ensureProducts(ctx, found, true);
    await ensureLineVariants(ctx, payload);
  }
  try {
    await writeOrder(ctx, payload, sentBefore);
  } catch (again) {
    if (!isMissingDependency(again)) throw again;
    return again;
  }
  return undefined;
}

/**
 * The order body as the sync sends it (the customer by id only: the caller upserts the customer with its consent
 * first), the hash the sync state compares, and the buyer's e-mail; or why it is skipped or cannot be sent.
 */
export function planOrder(
  found: OrderWithContext, settings: ShopSettings,
): Mapped<{ payload: OrderPayload; hash: string; buyerEmail: string | undefined; warnings: string[] }> {
  const seen: { warnings?: string[] } = {};
  const mapped = mapOrder(found, settings, seen);
  if (mapped.kind !== 'ok') return mapped;
  const payload: OrderPayload = { ...mapped.payload, customer: { id: mapped.payload.customer.id } };
  return {
    kind: 'ok',
    payload: { payload, hash: contentHash(payload), buyerEmail: mapped.payload.customer.email_address, warnings: seen.warnings ?? orderWarnings(found) },
  };
}

/** An order sent before that has not left Mailchimp since (removeOrder looks before it deletes). */
function mayStillBeSent(previous: SyncStateRow | null): boolean {
  return orderSentBefore(previous) && previous?.status !== 'deleted' && previous?.status !== 'skipped';
}

/**
 * After an order left Mailchimp, the products its lines name are synced again: a product the shop no longer has loses
 * its stand-in unless another sent order names it (mapping/sent-order.ts); when the order no longer counts for the
 * product sync at all (back to pending), the variants only it needed go too, which takes a forced write (the
 * product's hash does not cover them). Products Mailchimp does not have from the sync are left alone.
 */
async function reconsiderProductsOf(ctx: SyncContext, order: OrderWithContext, options: { needsChanged: boolean }): Promise<void> {
  const productIds = [...new Set(order.lines.map((l) => l.product_id))];
  const known = await ctx.deps.state.getMany('product', productIds);
  for (const productId of productIds) {
    if (known.get(productId)?.status !== 'synced') continue;
    const gone = order.lines.some((l) => l.product_id === productId && productRemoteId(l.product_code) === goneProductId(productId));
    if (gone) await syncProduct(ctx, productId);
    else if (options.needsChanged) await syncProduct(ctx, productId, { force: true });
  }
}

/** The products the sync sent under these Mailchimp ids, synced again with what orders need of them now. */
async function reconsiderProductsSentUnder(ctx: SyncContext, remoteIds: readonly string[]): Promise<void> {
  const sent = (await ctx.deps.state.byRemoteIds(remoteIds)).filter((r) => r.entity_type === 'product');
  const known = await ctx.deps.state.getMany('product', sent.map((r) => r.entity_id));
  for (const { entity_id: productId } of sent) {
    if (known.get(productId)?.status === 'synced') await syncProduct(ctx, productId, { force: true });
  }
}

/** An order Mailchimp may already have: written with an update first. */
export function orderSentBefore(previous: SyncStateRow | null | undefined): boolean {
  return previous?.status === 'synced' || previous?.remote_id != null;
}

export async function recordOrderSkipped(ctx: SyncContext, orderId: string, reason: string): Promise<OrderOutcome> {
  await ctx.deps.state.record('order', orderId, { status: 'skipped', errorReason: reason });
  return { status: 'skipped', entityId: orderId, reason };
}

/** Many orders skipped at once (a backfill page's pending orders): one statement, the same rows as recordOrderSkipped. */
export async function recordOrdersSkipped(ctx: SyncContext, skipped: ReadonlyArray<{ id: string; reason: string }>): Promise<OrderOutcome[]> {
  if (skipped.length > 0) await ctx.deps.state.recordSkippedMany('order', skipped);
  return skipped.map((s) => ({ status: 'skipped', entityId: s.id, reason: s.reason }));
}

/**
 * Every variant the order's lines point at exists in Mailchimp afterwards; returns true when a product is missing. A variant the product no longer sells is
 * written with no stock: a past order must keep its line, and Mailchimp refuses a line whose variant it lacks.
 */
async function ensureLineVariants(ctx: SyncContext, payload: OrderPayload): Promise<boolean> {
  const { mailchimp, config } = ctx.deps;
  const seen = new Set<string>();
  let productMissing = false;
  for (const line of payload.lines) {
    const key = `${line.product_id}\u0000${line.product_variant_id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const product = await mailchimp.getProduct(config.storeId, line.product_id);
    if (!product) productMissing = true;
    if (!product || product.variants?.some((v) => v.id === line.product_variant_id)) continue;
    await mailchimp.upsertVariant(config.storeId, line.product_id, lineVariantFor({ ...product, id: line.product_id }, line.product_variant_id));
  }
  return productMissing;
}

function isMissingDependency(err: unknown): err is MailchimpError {
  return err instanceof MailchimpError && err.kind === 'missing_dependency';
}

function isMissingCustomer(err: unknown): err is MailchimpError {
  return err instanceof MailchimpError && refusesUnknownCustomer(err);
}

function writeOrder(ctx: SyncContext, payload: OrderPayload, sentBefore: boolean): Promise<void> {
  const { mailchimp, config } = ctx.deps;
  return upsert(sentBefore, () => mailchimp.createOrder(config.storeId, payload), () => updateOrder(ctx, payload));
}

/**
 * PATCHes the order's fields, then its lines through the line routes (Mailchimp documents no line ids in an order
 * PATCH): a changed line (a new product or variant id included) is PATCHed in place, a new one POSTed, and a line the
 * shop no longer has DELETEd, after the others so the order never has no line. A cancellation the order no longer has
 * is emptied by replacing the order (PUT), under the customer it was sent with.
 */
async function updateOrder(ctx: SyncContext, payload: OrderPayload): Promise<void> {
  const { mailchimp, config } = ctx.deps;
  const updated = await mailchimp.updateOrder(config.storeId, payload.id, orderPatchFrom(payload));
  if (needsOrderPut(updated, payload)) {
    await mailchimp.replaceOrder(config.storeId, payload.id, orderPutFrom(payload, updated.customer?.id ?? payload.customer.id));
    await releaseRetiredProducts(ctx, productIdsLeft([updated], payload.lines));
    return;
  }
  const current = await writeLines<OrderLinePayload>(Array.isArray(updated.lines) ? updated.lines : undefined, {
    list: async () => (await mailchimp.list<OrderLinePayload>(apiPath`/ecommerce/stores/${config.storeId}/orders/${payload.id}/lines`, { count: 1000 })).items,
    update: (lineId, patch) => mailchimp.updateOrderLine(config.storeId, payload.id, lineId, patch),
    create: (line) => mailchimp.createOrderLine(config.storeId, payload.id, line),
    remove: (lineId) => mailchimp.deleteOrderLine(config.storeId, payload.id, lineId),
  }, (lines) => orderLineChanges(payload.lines, lines));
  // An order that could not be re-sent when its product was renamed kept the old code; re-sent now, it may free it.
  await releaseRetiredProducts(ctx, productIdsLeft([{ lines: current }], payload.lines));
}

/**
 * An order the shop no longer has (or no longer sends) is deleted from Mailchimp, then its customer is looked at again
 * (syncCustomerAfterOrderLeft): a guest's customer no other order in Mailchimp names goes too.
 */
async function removeOrder(
  ctx: SyncContext, orderId: string, previous: SyncStateRow | null, reason: string, options: { gone?: boolean } = {},
): Promise<OrderOutcome> {
  const { mailchimp, state, config } = ctx.deps;
  if (!orderSentBefore(previous) || previous?.status === 'deleted') return { status: 'skipped', entityId: orderId, reason };
  const remoteId = previous?.remote_id ?? orderId;
  const sent = await mailchimp.getOrder(config.storeId, remoteId);
  if (sent) await mailchimp.deleteOrder(config.storeId, remoteId);
  await state.record('order', orderId, { status: 'deleted', remoteId });
  // A renamed product's old code kept without stock for this order goes with it, unless another order holds it.
  if (sent) await releaseRetiredProducts(ctx, productIdsLeft([sent]));
  // What its products kept only for it (a variant no longer sold, kept without stock) goes too. An order the shop still
  // has is read by its callers, which reconsider its products themselves (reconsiderProductsOf).
  if (sent && options.gone) await reconsiderProductsSentUnder(ctx, productIdsLeft([sent]));
  const customerId = sent?.customer?.id;
  if (customerId) await syncCustomerAfterOrderLeft(ctx, customerId);
  return { status: 'deleted', entityId: orderId };
}

async function ensureBuyer(ctx: SyncContext, email: string | undefined): Promise<CustomerOutcome> {
  if (!email) return { status: 'failed', entityId: '', reason: 'the order has no buyer email' };
  return ensureCustomer(ctx, customerIdForEmail(email));
}

/** Syncs the order's products that Mailchimp does not have yet. Returns why one cannot be sent, if so. */
async function ensureProducts(ctx: SyncContext, order: OrderWithContext, force = false): Promise<string | undefined> {
  const productIds = [...new Set(order.lines.map((l) => l.product_id))];
  const known = await ctx.deps.state.getMany('product', productIds);
  for (const productId of productIds) {
    const state = known.get(productId);
    if (!force && state?.status === 'synced') continue;
    const outcome = await syncProduct(ctx, productId, { force });
    if (outcome.status === 'failed') return outcome.reason;
  }
  return undefined;
}
