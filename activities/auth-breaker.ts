import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from 'knex';
import { MailchimpError } from '../mailchimp/mailchimp-error';

/**
 * When Mailchimp refuses the API key (401/403 "API Key Invalid"), every further request would be refused too: the
 * worker stops sending at once. Each sync activity then fails fast with a retryable `MailchimpAuthPaused` (retried
 * every PROBE_EVERY_MS, so nothing is lost), and at most one request per PROBE_EVERY_MS checks the key; the first
 * success resumes everything. The state is kept in mc_watermarks (entity_type `mailchimp_auth`: since when, and why)
 * so that `mcsync status` and `doctor` can say so, and a restarted worker starts by checking the key.
 */

export const PROBE_EVERY_MS = 30_000;
const ROW_TYPE = 'mailchimp_auth';

export interface AuthFailure {
  since: Date;
  reason: string;
}

export async function readAuthFailure(db: Knex, storeId: string): Promise<AuthFailure | null> {
  const row = (await db('mc_watermarks').where({ store_id: storeId, entity_type: ROW_TYPE }).first()) as { updated_at: Date; last_id: string } | undefined;
  return row ? { since: row.updated_at, reason: row.last_id } : null;
}

export interface AuthBreakerOptions {
  db: Knex;
  storeId: string;
  /** A cheap request that succeeds only with a working key (the audience: a missing one keeps the sync paused too). */
  probe: () => Promise<unknown>;
  probeEveryMs?: number;
  now?: () => number;
}

const isAuth = (err: unknown): err is MailchimpError => err instanceof MailchimpError && err.kind === 'auth';

export function createAuthBreaker(options: AuthBreakerOptions) {
  const { db, storeId } = options;
  const every = options.probeEveryMs ?? PROBE_EVERY_MS;
  const now = options.now ?? Date.now;
  let failure: AuthFailure | null | undefined;
  let lastProbe = 0;

  const paused = (f: AuthFailure) => ApplicationFailure.create({
    type: 'MailchimpAuthPaused',
    message: `Mailchimp refuses the API key since ${f.since.toISOString()} (${f.reason}): nothing is sent until it works again; `
      + `checked every ${Math.round(every / 1000)} s. Set a valid MAILCHIMP_API_KEY (mcsync doctor).`,
    nonRetryable: false,
    nextRetryDelay: every,
  });

  async function trip(err: MailchimpError): Promise<AuthFailure> {
    lastProbe = now();
    if (failure) return failure;
    failure = { since: new Date(now()), reason: `${err.status} ${err.title}`.slice(0, 191) };
    await db('mc_watermarks').insert({ store_id: storeId, entity_type: ROW_TYPE, updated_at: failure.since, last_id: failure.reason })
      .onConflict(['store_id', 'entity_type']).ignore();
    return failure;
  }

  /** Resolves when requests may be sent; throws MailchimpAuthPaused while the key is refused. */
  async function ready(): Promise<void> {
    if (failure === undefined) failure = await readAuthFailure(db, storeId);
    if (!failure) return;
    if (now() - lastProbe < every) throw paused(failure);
    lastProbe = now();
    try {
      await options.probe();
    } catch (err) {
      if (isAuth(err)) throw paused(failure);
      throw err;
    }
    failure = null;
    await db('mc_watermarks').where({ store_id: storeId, entity_type: ROW_TYPE }).delete();
  }

  /** Wraps activities: each waits for ready() and trips the breaker on an auth refusal. */
  function guard<T extends Record<string, unknown>>(activities: T): T {
    const wrapped: Record<string, unknown> = {};
    for (const [name, fn] of Object.entries(activities)) {
      wrapped[name] = typeof fn !== 'function' ? fn : async (...args: unknown[]) => {
        await ready();
        try {
          return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
        } catch (err) {
          if (isAuth(err)) throw paused(await trip(err));
          throw err;
        }
      };
    }
    return wrapped as T;
  }

  return { ready, guard, current: () => failure ?? null };
}
