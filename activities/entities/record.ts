import { NON_RETRYABLE_KINDS } from '../../mailchimp/error-types';
import { MailchimpError } from '../../mailchimp/mailchimp-error';
import type { SyncStateRow } from '../../db/sync-state';
import type { EntityType } from '../../source/shop-source';
import type { EntityOutcome, SyncContext } from '../context';

/** The content-hash skip: an entity Mailchimp has, sent with the same content, needs no call (unless forced). */
export function isUnchanged(previous: SyncStateRow | null | undefined, hash: string, force = false): boolean {
  return !force && previous?.status === 'synced' && previous.content_hash === hash;
}

/** A Mailchimp answer no retry can fix (NON_RETRYABLE_KINDS): the entity fails until its data changes. */
export function isPermanent(err: unknown): err is MailchimpError {
  return err instanceof MailchimpError && NON_RETRYABLE_KINDS.includes(err.kind);
}

/** Records a failure a person can read, and returns it as the entity's outcome. */
export async function recordFailure(ctx: SyncContext, type: EntityType, id: string, reason: string, detail?: unknown): Promise<EntityOutcome> {
  const detailText = detail === undefined ? undefined : JSON.stringify(detail);
  await ctx.deps.state.record(type, id, { status: 'failed', errorReason: reason, errorDetail: detailText ?? null });
  return { status: 'failed', entityId: id, reason, ...(detailText ? { detail: detailText } : {}) };
}

/**
 * Runs one entity's sync, holding the entity's lock from its read to its record (db/entity-lock.ts), nested syncs
 * (an order's customer and products) included. A permanent Mailchimp refusal is recorded on the entity and
 * returned as `failed`; anything transient (5xx, 429, timeouts, database hiccups) is thrown so that Temporal
 * retries the activity.
 */
export function guarded(ctx: SyncContext, type: EntityType, id: string, run: () => Promise<EntityOutcome>): Promise<EntityOutcome> {
  return ctx.deps.locks.withLocks([{ type, id }], async () => {
    try {
      return await run();
    } catch (err) {
      if (isPermanent(err)) return recordMailchimpFailure(ctx, type, id, err);
      throw err;
    }
  });
}

/** Records Mailchimp's refusal of an entity: its message, with the title, detail and field errors as the detail. */
export function recordMailchimpFailure(ctx: SyncContext, type: EntityType, id: string, err: MailchimpError): Promise<EntityOutcome> {
  return recordFailure(ctx, type, id, err.message, { title: err.title, detail: err.detail, errors: err.fieldErrors });
}
