import { log } from '@temporalio/activity';
import { toMs } from '../../config/duration';
import type { SyncStateRow } from '../../db/sync-state';
import { refusesUnknownCampaign } from '../../mailchimp/classify';
import { MailchimpError } from '../../mailchimp/mailchimp-error';
import type { CartLinePayload, CartPayload } from '../../mailchimp/schemas';
import {
  campaignDroppedNote, cartLineChanges, cartOptions, cartPatchFrom, DEFAULT_CART_MAX_AGE, mapCart, withoutCampaign, type CartOptions,
} from '../../mapping/cart';
import { customerPayload } from '../../mapping/customer';
import { consentFor } from '../../mapping/consent';
import { apiPath } from '../../mailchimp/api-path';
import type { Mapped } from '../../mapping/result';
import type { CartWithContext } from '../../mapping/shop-rows';
import { contentHash, type EntityOutcome, type SyncContext, type SyncDeps } from '../context';
import { ensureCustomer, memberStatus } from './customer';
import { syncProduct } from './product';
import { guarded, isUnchanged, recordFailure } from './record';
import { upsert } from './upsert';
import { writeLines } from './line-writes';

/** Why a cart waits: Mailchimp's automations ignore carts that arrive before the store's first sync is over. */
export const HELD_BEFORE_FIRST_SYNC = 'Held until the first full sync is over (carts sent while the store is_syncing never trigger the abandoned-cart automation)';

/** The cart options of the mapping from the configuration (CART_URL_TEMPLATE, CART_MAX_AGE) and the source's clock. */
export function cartOptionsOf(config: SyncDeps['config'], now: string): CartOptions {
  return cartOptions({ cartUrlTemplate: config.cartUrlTemplate, cartMaxAgeMs: toMs(config.cartMaxAge ?? DEFAULT_CART_MAX_AGE) }, now);
}

export interface PlannedCart {
  payload: CartPayload;
  hash: string;
  /** The customer must be sent (registered, or known to the shop) before the cart names it by id. */
  customerFirst: boolean;
}

/**
 * The cart body as the sync sends it and the hash the sync state compares. A buyer the shop knows as a customer (a
 * user, or a guest with orders) is sent by the customer sync first, and the cart names it by id; a guest known only
 * from the cart travels inline with the consent policy's opt_in_status (a guest has no consent: transactional).
 */
export async function planCart(ctx: SyncContext, found: CartWithContext, now: string): Promise<Mapped<PlannedCart>> {
  const mapped = mapCart(found, ctx.settings, cartOptionsOf(ctx.deps.config, now));
  if (mapped.kind !== 'ok') return mapped;
  const { payload, buyer } = mapped.payload;
  const known = await ctx.deps.source.customer(payload.customer.id);
  if (known) {
    const body: CartPayload = { ...payload, customer: { id: payload.customer.id } };
    return { kind: 'ok', payload: { payload: body, hash: contentHash(body), customerFirst: true } };
  }
  const status = await memberStatus(ctx, payload.customer.email_address);
  const decision = consentFor({ shopOptIn: buyer.shopOptIn }, status, ctx.settings, false);
  const body: CartPayload = { ...payload, customer: customerPayload(payload.customer, decision.customerOptIn) };
  return { kind: 'ok', payload: { payload: body, hash: contentHash(body), customerFirst: false } };
}

function sentBefore(previous: SyncStateRow | null): boolean {
  return previous?.status === 'synced' || (previous?.remote_id != null && previous.status !== 'deleted');
}

/**
 * One cart (Mailchimp's abandoned-cart automation). Sent once it has a buyer and a line, changed in place (a PATCH of
 * its fields, its lines through the line routes; never a delete and a new POST, which drops the shopper from the
 * automation), deleted when it became an order, was emptied, left the shop or aged out (CART_MAX_AGE). Held while the
 * store's first full sync has not finished. Its products are sent first; a campaign Mailchimp does not know is dropped.
 */
export function syncCart(ctx: SyncContext, cartId: string, options: { force?: boolean } = {}): Promise<EntityOutcome> {
  return guarded(ctx, 'cart', cartId, async (): Promise<EntityOutcome> => {
    const { source, state } = ctx.deps;
    const previous = await state.get('cart', cartId);
    const found = source.cart ? await source.cart(cartId) : null;
    if (!found) return removeCart(ctx, cartId, previous, 'The cart is not in the shop database');
    const planned = await planCart(ctx, found, await source.now());
    if (planned.kind === 'skip') return removeCart(ctx, cartId, previous, planned.reason);
    if (planned.kind === 'invalid') return recordFailure(ctx, 'cart', cartId, planned.reason);
    if (!(await state.watermark('full_sync'))) {
      await state.record('cart', cartId, { status: 'skipped', errorReason: HELD_BEFORE_FIRST_SYNC, remoteId: previous?.remote_id ?? null });
      return { status: 'skipped', entityId: cartId, reason: HELD_BEFORE_FIRST_SYNC };
    }
    const { payload, hash, customerFirst } = planned.payload;
    if (isUnchanged(previous, hash, options.force)) return { status: 'unchanged', entityId: cartId };

    const blocked = await ensureProducts(ctx, found, payload);
    if (blocked) return recordFailure(ctx, 'cart', cartId, `Cart ${cartId} waits for a product: ${blocked}`);
    if (customerFirst) {
      const customer = await ensureCustomer(ctx, payload.customer.id);
      if (customer.status === 'failed') return recordFailure(ctx, 'cart', cartId, `Cart ${cartId} waits for its customer: ${customer.reason}`);
    }

    let note: string | null = null;
    try {
      await writeCart(ctx, payload, sentBefore(previous));
    } catch (err) {
      if (!(err instanceof MailchimpError && refusesUnknownCampaign(err) && payload.campaign_id !== undefined)) throw err;
      note = campaignDroppedNote(cartId, payload.campaign_id);
      warn(note);
      await writeCart(ctx, withoutCampaign(payload), sentBefore(previous));
    }
    await state.record('cart', cartId, { status: 'synced', contentHash: hash, remoteId: payload.id, errorReason: note });
    return { status: 'synced', entityId: cartId };
  });
}

function warn(message: string): void {
  try {
    log.warn(message);
  } catch {
    // Outside an activity (a unit test): the note is in the sync state all the same.
  }
}

/**
 * Creates the cart, or changes the one Mailchimp has in place: its fields by PATCH, then each changed line PATCHed,
 * new lines POSTed and lines the cart no longer has DELETEd (after the others, so the cart never has no line). A cart
 * Mailchimp holds for another customer (the buyer's e-mail changed) cannot be moved: it is replaced.
 */
async function writeCart(ctx: SyncContext, payload: CartPayload, exists: boolean): Promise<void> {
  const { mailchimp, config } = ctx.deps;
  await upsert(exists, () => mailchimp.createCart(config.storeId, payload), async () => {
    const updated = await mailchimp.updateCart(config.storeId, payload.id, cartPatchFrom(payload));
    const remoteCustomer = (updated.customer as { id?: unknown } | undefined)?.id;
    if (typeof remoteCustomer === 'string' && remoteCustomer !== payload.customer.id) {
      await mailchimp.deleteCart(config.storeId, payload.id);
      await mailchimp.createCart(config.storeId, payload);
      return;
    }
    await writeLines<CartLinePayload>(Array.isArray(updated.lines) ? updated.lines : undefined, {
      list: async () => (await mailchimp.list<CartLinePayload>(apiPath`/ecommerce/stores/${config.storeId}/carts/${payload.id}/lines`, { count: 1000 })).items,
      update: (lineId, patch) => mailchimp.updateCartLine(config.storeId, payload.id, lineId, patch),
      create: (line) => mailchimp.createCartLine(config.storeId, payload.id, line),
      remove: (lineId) => mailchimp.deleteCartLine(config.storeId, payload.id, lineId),
    }, (lines) => cartLineChanges(payload.lines, lines));
  });
}

/** A cart not (or no longer) to be in Mailchimp: deleted when it was sent (DELETE of a cart Mailchimp lacks counts as done). */
async function removeCart(ctx: SyncContext, cartId: string, previous: SyncStateRow | null, reason: string): Promise<EntityOutcome> {
  const { mailchimp, state, config } = ctx.deps;
  if (!sentBefore(previous)) {
    if (previous) await state.record('cart', cartId, { status: 'skipped', errorReason: reason, remoteId: previous.remote_id });
    return { status: 'skipped', entityId: cartId, reason };
  }
  const remoteId = previous?.remote_id ?? cartId;
  const sent = await mailchimp.getCart(config.storeId, remoteId);
  await mailchimp.deleteCart(config.storeId, remoteId);
  await state.record('cart', cartId, { status: 'deleted', remoteId, errorReason: reason });
  const customerId = (sent?.customer as { id?: unknown } | undefined)?.id;
  if (typeof customerId === 'string') await removeCartOnlyCustomer(ctx, cartId, customerId);
  return { status: 'deleted', entityId: cartId };
}

/**
 * A guest the shop knows only from carts reached Mailchimp with a cart (inline): when no cart of theirs is sent any
 * more and no order names them, the customer goes too, as a fresh sync would never create it. A customer the shop
 * knows (a user, a guest with orders) is the customer sync's.
 */
async function removeCartOnlyCustomer(ctx: SyncContext, cartId: string, customerId: string): Promise<void> {
  const { source, mailchimp, state, config, locks } = ctx.deps;
  await locks.withLocks([{ type: 'customer', id: customerId }], async () => {
    if (await source.customer(customerId)) return;
    const others = ((await source.cartIdsOfEmail?.(customerId)) ?? []).filter((id) => id !== cartId);
    const sentOthers = await state.getMany('cart', others);
    if ([...sentOthers.values()].some((row) => row.status === 'synced')) return;
    if ((await mailchimp.countCustomerOrders(config.storeId, customerId)) > 0) return;
    await mailchimp.deleteCustomer(config.storeId, customerId);
  });
}

/** Sends the cart's products Mailchimp does not have yet (the page's "added to cart" refresh). Returns why one cannot be sent. */
async function ensureProducts(ctx: SyncContext, found: CartWithContext, payload: CartPayload): Promise<string | undefined> {
  const sent = new Set(payload.lines.map((l) => l.id));
  const productIds = [...new Set(found.lines.filter((l) => sent.has(l.id)).map((l) => l.product_id))];
  const known = await ctx.deps.state.getMany('product', productIds);
  for (const productId of productIds) {
    if (known.get(productId)?.status === 'synced') continue;
    const outcome = await syncProduct(ctx, productId);
    if (outcome.status === 'failed') return outcome.reason;
  }
  return undefined;
}
