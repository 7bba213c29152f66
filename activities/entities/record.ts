import { MailchimpError } from '../../mailchimp/mailchimp-error';
import type { EntityType } from '../../source/shop-source';
import type { EntityOutcome, SyncContext } from '../context';

/** Mailchimp answers that no retry can fix: the entity fails until its data changes. */
const PERMANENT_KINDS = new Set(['validation', 'compliance', 'member_exists', 'auth']);

export function isPermanent(err: unknown): err is MailchimpError {
  return err instanceof MailchimpError && PERMANENT_KINDS.has(err.kind) && err.kind !== 'auth';
}

/** Records a failure a person can read, and returns it as the entity's outcome. */
export async function recordFailure(ctx: SyncContext, type: EntityType, id: string, reason: string, detail?: unknown): Promise<EntityOutcome> {
  const detailText = detail === undefined ? undefined : JSON.stringify(detail);
  await ctx.deps.state.record(type, id, { status: 'failed', errorReason: reason, errorDetail: detailText ?? null });
  return { status: 'failed', entityId: id, reason, ...(detailText ? { detail: detailText } : {}) };
}

/**
 * Runs one entity's sync. A permanent Mailchimp refusal is recorded on the entity and returned as `failed`;
 * anything transient (5xx, 429, timeouts, database hiccups) is thrown so that Temporal retries the activity.
 */
export async function guarded(ctx: SyncContext, type: EntityType, id: string, run: () => Promise<EntityOutcome>): Promise<EntityOutcome> {
  try {
    return await run();
  } catch (err) {
    if (isPermanent(err)) return recordFailure(ctx, type, id, err.message, { title: err.title, detail: err.detail, errors: err.fieldErrors });
    throw err;
  }
}
