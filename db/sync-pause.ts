/**
 * Whether the worker has paused sending to Mailchimp, since when and why (activities/auth-breaker.ts decides): a row
 * of mc_watermarks with entity_type `mailchimp_auth` (the reason in last_id, the time in updated_at). Read by
 * `mcsync status`, `errors` and `doctor`; one wording of it for all of them (describePause).
 */
import type { Knex } from 'knex';

const ROW_TYPE = 'mailchimp_auth';

export interface AuthFailure {
  since: Date;
  /** `401 API Key Invalid`, `404 audience <id> not found` or `404 store <id> not found` (pauseReason). */
  reason: string;
}

export type PauseCause = 'key' | 'audience' | 'store';

/** The recorded reasons of a missing audience or store (the others are the key's refusal: `<status> <title>`). */
export const pauseReason = {
  audience: (listId: string) => `404 audience ${listId} not found`,
  store: (storeId: string) => `404 store ${storeId} not found`,
};

export function pauseCause(reason: string): PauseCause {
  if (/^404 audience /.test(reason)) return 'audience';
  if (/^404 store /.test(reason)) return 'store';
  return 'key';
}

/** One sentence for logs, activity failures, `mcsync status` and `errors`: what stopped, since when, what to do. */
export function describePause(f: AuthFailure): string {
  const since = f.since.toISOString();
  switch (pauseCause(f.reason)) {
    case 'audience':
      return `The Mailchimp audience is missing since ${since} (${f.reason}): nothing is sent until it exists again. `
        + 'Set MAILCHIMP_LIST_ID to an existing audience (mcsync doctor; the runbook: "The sync is paused").';
    case 'store':
      return `The Mailchimp store is missing since ${since} (${f.reason}; deleted in Mailchimp?): nothing is sent until it exists again. `
        + 'To send everything again set a new MAILCHIMP_STORE_ID, or turn the sync off (mcsync disable); the runbook: "The sync is paused".';
    default:
      return `Mailchimp refuses the API key since ${since} (${f.reason}): nothing is sent until it works again. Set a valid MAILCHIMP_API_KEY (mcsync doctor).`;
  }
}

export async function readAuthFailure(db: Knex, storeId: string): Promise<AuthFailure | null> {
  const row = (await db('mc_watermarks').where({ store_id: storeId, entity_type: ROW_TYPE }).first()) as { updated_at: Date; last_id: string } | undefined;
  return row ? { since: row.updated_at, reason: row.last_id } : null;
}

/** Records the pause (the first reason wins unless `replace`: the same pause, a new reason). */
export async function recordPause(db: Knex, storeId: string, failure: AuthFailure, options: { replace?: boolean } = {}): Promise<void> {
  if (options.replace) {
    await db('mc_watermarks').where({ store_id: storeId, entity_type: ROW_TYPE }).update({ last_id: failure.reason });
    return;
  }
  await db('mc_watermarks').insert({ store_id: storeId, entity_type: ROW_TYPE, updated_at: failure.since, last_id: failure.reason })
    .onConflict(['store_id', 'entity_type']).ignore();
}

export async function clearPause(db: Knex, storeId: string): Promise<void> {
  await db('mc_watermarks').where({ store_id: storeId, entity_type: ROW_TYPE }).delete();
}
