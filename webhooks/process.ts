import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { createAudienceKnowledge, type AudienceMemberFields } from '../db/sync-state';
import { withdrawMarketingConsent } from '../source/shop-db-consent';
import { customerIdForEmail, normaliseEmail } from '../mapping/ids';
import { confirmOptIn, notifyEntityChanged } from '../workflows/start';
import { obj, str, type AudienceWebhookEvent } from './events';

/** What processing an audience event needs. */
export interface ProcessContext {
  listId: string;
  storeId: string;
  taskQueue: string;
  /** OPT_IN_TIMEOUT, for a customer workflow an event starts (else the workflow's 7-day default would apply). */
  optInTimeout?: string;
  temporalClient: Client;
}

/** Status recorded for a contact first seen through a profile or upemail event (no status in the event). */
export const UNKNOWN_STATUS = 'unknown';
const SOURCE = 'webhook';

/** A source field saying the change came from the API (our own writes): present in some payloads. */
function causedByApi(event: AudienceWebhookEvent): boolean {
  const sources = [str(event.data.source), str(event.form.source)].map((s) => s?.trim().toLowerCase());
  return sources.includes('api');
}

async function upsertMember(trx: Knex.Transaction, listId: string, hash: string, email: string, fields: AudienceMemberFields): Promise<void> {
  await createAudienceKnowledge(trx, listId).report(hash, email, SOURCE, UNKNOWN_STATUS, fields);
}

async function signalOptInConfirmed(ctx: ProcessContext, hash: string): Promise<string> {
  try {
    await confirmOptIn(ctx.temporalClient, ctx.storeId, hash);
    return 'confirmation signalled';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'no customer workflow waiting';
    throw err;
  }
}

export interface Applied {
  /** Stored with the event. */
  outcome: string;
  /** Runs after the transaction committed (best effort: the change scan would catch up anyway). */
  afterCommit?: () => Promise<unknown>;
}

/**
 * Applies one audience event inside the transaction that marks it processed. Throws when it could not be applied
 * (the event stays unprocessed and the receiver answers 500, so Mailchimp delivers it again).
 */
export async function applyAudienceEvent(trx: Knex.Transaction, ctx: ProcessContext, event: AudienceWebhookEvent): Promise<Applied> {
  const outcome = await apply(trx, ctx, event);
  return typeof outcome === 'string' ? { outcome } : outcome;
}

/** Mailchimp's fired_at ("YYYY-MM-DD HH:MM:SS", UTC) as a Date; undefined when absent or not a date. */
export function firedAtDate(firedAt: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(firedAt.trim());
  if (!m) return undefined;
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The address an event is about (the new one for an address change). */
function subjectEmail(event: AudienceWebhookEvent): string | undefined {
  return event.type === 'upemail' ? str(event.data.new_email) : str(event.data.email);
}

/**
 * An event fired before the newest one already applied to its address is stale (a late redelivery): applying it
 * would undo the newer change, e.g. resurrect a subscribe after an unsubscribe.
 */
async function staleFor(trx: Knex.Transaction, ctx: ProcessContext, event: AudienceWebhookEvent): Promise<{ stale: boolean; firedAt?: Date; hash?: string }> {
  const email = subjectEmail(event);
  const firedAt = firedAtDate(event.firedAt);
  if (!email || !firedAt) return { stale: false };
  const hash = customerIdForEmail(email);
  const lastEventAt = await createAudienceKnowledge(trx, ctx.listId).lastEventAt(hash);
  return { stale: !!lastEventAt && lastEventAt.getTime() > firedAt.getTime(), firedAt, hash };
}

async function apply(trx: Knex.Transaction, ctx: ProcessContext, event: AudienceWebhookEvent): Promise<string | Applied> {
  if (causedByApi(event)) return 'ignored: caused by an API write';
  const listId = str(event.data.list_id);
  if (listId && listId !== ctx.listId) return `ignored: event of another audience (${listId})`;
  const order = await staleFor(trx, ctx, event);
  if (order.stale) return `ignored: fired at ${event.firedAt}, before the newest event already applied to this address`;
  const outcome = await applyInOrder(trx, ctx, event);
  if (order.firedAt && order.hash) {
    await createAudienceKnowledge(trx, ctx.listId).setLastEventAt(order.hash, order.firedAt);
  }
  return outcome;
}

async function applyInOrder(trx: Knex.Transaction, ctx: ProcessContext, event: AudienceWebhookEvent): Promise<string | Applied> {

  switch (event.type) {
    case 'subscribe': {
      const email = str(event.data.email);
      if (!email) return 'ignored: no data[email]';
      const hash = customerIdForEmail(email);
      const merges = obj(event.data.merges);
      const names = {
        ...(str(merges.FNAME) !== undefined ? { first_name: str(merges.FNAME) } : {}),
        ...(str(merges.LNAME) !== undefined ? { last_name: str(merges.LNAME) } : {}),
      };
      await upsertMember(trx, ctx.listId, hash, normaliseEmail(email), { status: 'subscribed', ...names });
      return `subscribed; ${await signalOptInConfirmed(ctx, hash)}`;
    }
    case 'unsubscribe':
    case 'cleaned': {
      const email = str(event.data.email);
      if (!email) return 'ignored: no data[email]';
      const hash = customerIdForEmail(email);
      const status = event.type === 'unsubscribe' ? 'unsubscribed' : 'cleaned';
      await upsertMember(trx, ctx.listId, hash, normaliseEmail(email), { status });
      const users = await withdrawMarketingConsent(trx, hash);
      const outcome = `${status}; marketing_opt_in cleared on ${users} user(s)`;
      if (users === 0) return outcome;
      // The shop's consent changed: the customer's workflow sends opt_in_status false now rather than at the next scan.
      return {
        outcome,
        afterCommit: () => notifyEntityChanged(ctx.temporalClient, { storeId: ctx.storeId, taskQueue: ctx.taskQueue, optInTimeout: ctx.optInTimeout }, 'customer', hash),
      };
    }
    case 'upemail': {
      const oldEmail = str(event.data.old_email);
      const newEmail = str(event.data.new_email);
      if (!oldEmail || !newEmail) return 'ignored: no data[old_email] or data[new_email]';
      const oldHash = customerIdForEmail(oldEmail);
      const newHash = customerIdForEmail(newEmail);
      const members = createAudienceKnowledge(trx, ctx.listId);
      const previous = await members.member(oldHash);
      if (oldHash !== newHash) await members.forget(oldHash);
      await upsertMember(trx, ctx.listId, newHash, normaliseEmail(newEmail), {
        status: previous?.status ?? UNKNOWN_STATUS,
        first_name: previous?.first_name ?? null,
        last_name: previous?.last_name ?? null,
        previous_email: normaliseEmail(oldEmail),
      });
      return `email changed ${oldHash} → ${newHash}; the shop's users.email is left as it is`;
    }
    case 'profile': {
      const email = str(event.data.email);
      if (!email) return 'ignored: no data[email]';
      const merges = obj(event.data.merges);
      const hash = customerIdForEmail(email);
      await upsertMember(trx, ctx.listId, hash, normaliseEmail(email), {
        first_name: str(merges.FNAME) ?? null,
        last_name: str(merges.LNAME) ?? null,
      });
      return 'profile recorded';
    }
    default:
      return `ignored: ${event.type} events are not used`;
  }
}
