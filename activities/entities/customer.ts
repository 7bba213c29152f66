import { decideConsent, type MemberStatus } from '../../mapping/consent';
import { mapCustomer } from '../../mapping/customer';
import { MailchimpError } from '../../mailchimp/mailchimp-error';
import { contentHash, type EntityOutcome, type SyncContext } from '../context';
import { guarded, recordFailure } from './record';

export type CustomerOutcome = EntityOutcome & { awaitConfirmation?: boolean };

const MEMBER_STATUSES: readonly MemberStatus[] = ['subscribed', 'unsubscribed', 'cleaned', 'pending', 'transactional', 'archived'];

function asMemberStatus(value: unknown): MemberStatus | null {
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
export function syncCustomer(ctx: SyncContext, emailHash: string, options: { force?: boolean } = {}): Promise<CustomerOutcome> {
  return guarded(ctx, 'customer', emailHash, async (): Promise<CustomerOutcome> => {
    const { source, state, mailchimp, audience, config } = ctx.deps;
    const record = await source.customer(emailHash);
    if (!record) return { status: 'skipped', entityId: emailHash, reason: 'No user or guest order has this email any more' };
    const mapped = mapCustomer({ email: record.email, firstName: record.firstName, lastName: record.lastName, isGuest: record.isGuest });
    if (mapped.kind !== 'ok') return recordFailure(ctx, 'customer', emailHash, mapped.reason);
    const payload = mapped.payload;

    const previous = await state.get('customer', emailHash);
    const hash = contentHash({ payload, shopOptIn: record.shopOptIn, alwaysOptIn: ctx.settings.alwaysOptIn });
    if (!options.force && previous?.status === 'synced' && previous.content_hash === hash) {
      return { status: 'unchanged', entityId: emailHash };
    }

    const current = await memberStatus(ctx, payload.email_address);
    const decision = decideConsent({
      memberStatus: current,
      shopOptIn: record.shopOptIn,
      alwaysOptIn: ctx.settings.alwaysOptIn,
      doubleOptIn: current === null && record.shopOptIn ? await ctx.doubleOptIn() : false,
    });
    if (decision.member.action === 'create_pending') {
      try {
        await mailchimp.upsertMember(config.listId, payload.email_address, { email_address: payload.email_address, status_if_new: 'pending' });
      } catch (err) {
        // Someone who unsubscribed or bounced cannot be asked again by us: keep them transactional.
        if (!(err instanceof MailchimpError && err.kind === 'compliance')) throw err;
      }
      await audience.remember(emailHash, payload.email_address, 'pending', 'sync');
    }
    await mailchimp.upsertCustomer(config.storeId, { ...payload, opt_in_status: decision.customerOptIn });
    await state.record('customer', emailHash, { status: 'synced', contentHash: hash, remoteId: payload.id });
    return { status: 'synced', entityId: emailHash, awaitConfirmation: decision.awaitConfirmation };
  });
}

/** Makes sure the customer exists in Mailchimp before something references it. */
export async function ensureCustomer(ctx: SyncContext, emailHash: string): Promise<CustomerOutcome> {
  const previous = await ctx.deps.state.get('customer', emailHash);
  if (previous?.status === 'synced') return { status: 'unchanged', entityId: emailHash };
  return syncCustomer(ctx, emailHash);
}
