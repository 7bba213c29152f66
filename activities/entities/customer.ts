import { consentFor, needsAudienceDoubleOptIn, type ConsentDecision, type MemberStatus } from '../../mapping/consent';
import { customerInputOf, customerPayload, customerWarnings, mapCustomer, pendingMemberPut, type MappedCustomer } from '../../mapping/customer';
import { isSentOrder } from '../../mapping/sent-order';
import type { Mapped } from '../../mapping/result';
import type { SyncStateRow } from '../../db/sync-state';
import type { CustomerRecord } from '../../source/shop-source';
import { MailchimpError } from '../../mailchimp/mailchimp-error';
import { contentHash, type EntityOutcome, type SyncContext } from '../context';
import { resyncFailedOrders } from './order';
import { guarded, isUnchanged, recordFailure } from './record';

export type CustomerOutcome = EntityOutcome & { awaitConfirmation?: boolean };

const MEMBER_STATUSES: readonly MemberStatus[] = ['subscribed', 'unsubscribed', 'cleaned', 'pending', 'transactional', 'archived'];

export function asMemberStatus(value: unknown): MemberStatus | null {
  return MEMBER_STATUSES.includes(value as MemberStatus) ? (value as MemberStatus) : null;
}

/** The contact's status in the audience, as Mailchimp has it now (null: not in the audience). */
export async function memberStatus(ctx: SyncContext, email: string): Promise<MemberStatus | null> {
  const member = await ctx.deps.mailchimp.getMember(ctx.deps.config.listId, email);
  return member ? asMemberStatus(member.status) : null;
}

/**
 * One customer, keyed by the hash of their email. The consent policy (mapping/consent.ts) alone decides
 * opt_in_status and whether a pending member is created for double opt-in.
 */
/** `forOrder`: an order about to be sent needs the customer (ensureCustomer). */
export function syncCustomer(ctx: SyncContext, emailHash: string, options: { force?: boolean; forOrder?: boolean } = {}): Promise<CustomerOutcome> {
  return guarded(ctx, 'customer', emailHash, async (): Promise<CustomerOutcome> => {
    const { source, state, mailchimp, audience, config } = ctx.deps;
    const record = await source.customer(emailHash);
    const previous = await state.get('customer', emailHash);
    if (!record) return removeCustomer(ctx, emailHash, previous);
    // A fresh sync creates a guest's customer only with a sent order: not for a guest whose orders are all pending.
    if (record.isGuest && !options.forOrder && previous?.status !== 'synced' && !(await guestHasOrderToSend(ctx, emailHash))) {
      return { status: 'skipped', entityId: emailHash, reason: 'A guest is sent with their first order that is not pending' };
    }
    const planned = planCustomer(ctx, record);
    if (planned.kind !== 'ok') return recordFailure(ctx, 'customer', emailHash, planned.reason);
    const { payload, hash } = planned.payload;

    if (isUnchanged(previous, hash, options.force)) return { status: 'unchanged', entityId: emailHash };

    const decision = await customerConsent(ctx, record, await memberStatus(ctx, payload.email_address));
    if (decision.member.action === 'create_pending') {
      try {
        await mailchimp.upsertMember(config.listId, payload.email_address, pendingMemberPut(payload));
      } catch (err) {
        // Someone who unsubscribed or bounced cannot be asked again by us: keep them transactional.
        if (!(err instanceof MailchimpError && err.kind === 'compliance')) throw err;
      }
      await audience.remember(emailHash, payload.email_address, 'pending', 'sync');
    }
    await mailchimp.upsertCustomer(config.storeId, customerPayload(payload, decision.customerOptIn));
    // What the customer was sent without (an address with an invalid country code) stays visible: `mcsync errors`.
    const warnings = customerWarnings(customerInputOf(record));
    await state.record('customer', emailHash, { status: 'synced', contentHash: hash, remoteId: payload.id, errorReason: warnings.length > 0 ? warnings.join('; ') : null });
    if (!record.isGuest && !options.forOrder) await resendFailedOrdersOf(ctx, emailHash);
    return { status: 'synced', entityId: emailHash, awaitConfirmation: decision.awaitConfirmation };
  });
}

/**
 * A registered user's e-mail lives on the user row, not on their orders: an order refused for its buyer (the user's
 * e-mail was not valid) or recorded as waiting for its customer does not change when the user is fixed. Once the
 * customer is in Mailchimp, the user's orders recorded as failed are synced again (a fresh sync would send them).
 * A guest's e-mail is on the order row itself, whose change re-syncs the order.
 */
async function resendFailedOrdersOf(ctx: SyncContext, emailHash: string): Promise<void> {
  const { source } = ctx.deps;
  if (!source.userOrderIdsToSend) return;
  const user = await source.userByEmailHash(emailHash);
  if (!user) return;
  await resyncFailedOrders(ctx, await source.userOrderIdsToSend(String(user.id)));
}

/**
 * Whether a fresh sync would send one of this guest's orders (not pending, and mapped: an order the mapping refuses
 * never creates its customer), since a guest's customer reaches Mailchimp only with an order. A source that cannot
 * list a guest's orders answers yes.
 */
async function guestHasOrderToSend(ctx: SyncContext, emailHash: string): Promise<boolean> {
  const ids = await ctx.deps.source.guestOrderIdsToSend?.(emailHash);
  if (ids === undefined) return true;
  for (const id of ids) {
    const found = await ctx.deps.source.order(id);
    if (found && isSentOrder(found, ctx.settings)) return true;
  }
  return false;
}

/**
 * After an order left Mailchimp (deleted from the shop, or back to pending): a registered customer stays (synced as
 * usual), but one nobody registered has is deleted unless another order in Mailchimp names it, since a fresh sync
 * creates a guest's customer only through an order it sends, or a cart: a guest's customer a sent cart names stays
 * (synced from what the shop has of them, as the cart's sync sends it first; cart.ts).
 */
export function syncCustomerAfterOrderLeft(ctx: SyncContext, emailHash: string): Promise<CustomerOutcome> {
  return guarded(ctx, 'customer', emailHash, async (): Promise<CustomerOutcome> => {
    const record = await ctx.deps.source.customer(emailHash);
    if (record && !record.isGuest) return syncCustomer(ctx, emailHash);
    if (record && (await sentCartNames(ctx, emailHash))) return syncCustomer(ctx, emailHash, { forOrder: true });
    return removeCustomer(ctx, emailHash, await ctx.deps.state.get('customer', emailHash));
  });
}

/** Whether a cart the sync has in Mailchimp (recorded synced) has this buyer. */
async function sentCartNames(ctx: SyncContext, emailHash: string): Promise<boolean> {
  const ids = (await ctx.deps.source.cartIdsOfEmail?.(emailHash)) ?? [];
  if (ids.length === 0) return false;
  const states = await ctx.deps.state.getMany('cart', ids);
  return ids.some((id) => states.get(id)?.status === 'synced');
}

/**
 * No user and no guest order of the shop has this email any more (the user row deleted, or its email changed): the
 * Mailchimp customer is deleted, unless an order already sent to Mailchimp names it (Mailchimp cannot move an order to
 * another customer, so the customer stays with it; the order's deletion syncs the customer again) or a cart the sync
 * sent does (a fresh sync creates it for the cart). The audience member is never touched: consent is not the store's
 * to take away.
 */
async function removeCustomer(ctx: SyncContext, emailHash: string, previous: SyncStateRow | null): Promise<CustomerOutcome> {
  const { mailchimp, state, config } = ctx.deps;
  const gone = 'No user or guest order has this email any more';
  if (!previous || previous.status === 'deleted' || (previous.status !== 'synced' && previous.remote_id == null)) {
    return { status: 'skipped', entityId: emailHash, reason: gone };
  }
  const remoteId = previous.remote_id ?? emailHash;
  if ((await mailchimp.countCustomerOrders(config.storeId, remoteId)) > 0) {
    return { status: 'skipped', entityId: emailHash, reason: `${gone}; kept in Mailchimp for the orders sent with it` };
  }
  // A cart sent with its buyer embedded (a guest known only by the cart) made the customer: a fresh sync makes it too.
  if (await sentCartNames(ctx, emailHash)) return { status: 'skipped', entityId: emailHash, reason: `${gone}; kept in Mailchimp for the cart that names it` };
  await mailchimp.deleteCustomer(config.storeId, remoteId);
  await state.record('customer', emailHash, { status: 'deleted', remoteId });
  return { status: 'deleted', entityId: emailHash };
}

/** The customer body (without opt_in_status) and the hash the sync state compares, or why it cannot be sent. */
export function planCustomer(ctx: Pick<SyncContext, 'settings'>, record: CustomerRecord): Mapped<{ payload: MappedCustomer; hash: string }> {
  const mapped = mapCustomer(customerInputOf(record));
  if (mapped.kind !== 'ok') return mapped;
  const hash = contentHash({ payload: mapped.payload, shopOptIn: record.shopOptIn, alwaysOptIn: ctx.settings.alwaysOptIn });
  return { kind: 'ok', payload: { payload: mapped.payload, hash } };
}

/** The consent policy's answer for this contact, given their audience status now (null: not in the audience). */
export async function customerConsent(ctx: SyncContext, record: CustomerRecord, current: MemberStatus | null): Promise<ConsentDecision> {
  const asksAudience = needsAudienceDoubleOptIn(record, current);
  return consentFor(record, current, ctx.settings, asksAudience ? await ctx.doubleOptIn() : false);
}

/** Makes sure the customer exists in Mailchimp before something references it. */
export async function ensureCustomer(ctx: SyncContext, emailHash: string): Promise<CustomerOutcome> {
  const previous = await ctx.deps.state.get('customer', emailHash);
  if (previous?.status === 'synced') return { status: 'unchanged', entityId: emailHash };
  return syncCustomer(ctx, emailHash, { forOrder: true });
}
