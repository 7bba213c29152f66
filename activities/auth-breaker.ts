import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from 'knex';
import { clearPause, describePause, pauseReason, readAuthFailure, recordPause, type AuthFailure } from '../db/sync-pause';
import { MailchimpError } from '../mailchimp/mailchimp-error';

export { describePause, pauseCause, readAuthFailure, type AuthFailure } from '../db/sync-pause';

/**
 * When Mailchimp cannot take the sync's requests at all, every further request would be refused too, so the worker
 * stops sending at once:
 * - the API key is refused (401/403 "API Key Invalid");
 * - the audience (MAILCHIMP_LIST_ID) is gone: 404 "Resource Not Found" for `GET /lists/{id}`, e.g. deleted by hand;
 * - the store the sync set up is gone: 404 for `GET /ecommerce/stores/{id}` (a store never set up is not missing:
 *   the first full sync creates it).
 * Each sync activity then fails fast with a retryable `MailchimpAuthPaused` (retried every PROBE_EVERY_MS, so nothing
 * is lost), and at most one check per PROBE_EVERY_MS asks Mailchimp again; the first check that finds the key, the
 * audience and the store working resumes everything. A 404 an activity lets through is checked the same way: only
 * when the audience or the store itself is missing does the sync pause (a missing member or product is the
 * activity's business). The state is kept in the database (db/sync-pause.ts: since when, and why) so that
 * `mcsync status`, `errors` and `doctor` can say so, and a restarted worker starts by checking again.
 */

export const PROBE_EVERY_MS = 30_000;

export interface AuthBreakerOptions {
  db: Knex;
  storeId: string;
  /**
   * Checks that Mailchimp takes requests: null when the key works and the audience and the store exist, else the
   * reason to pause (pauseReason); throws the MailchimpError of a refused key. workers/worker.ts: mailchimpBlocker.
   */
  probe: () => Promise<string | null>;
  /** Told whenever the sync pauses (since when, why) or resumes (null); the worker logs it and sets a metric. */
  onChange?: (failure: AuthFailure | null) => void;
  probeEveryMs?: number;
  now?: () => number;
}

const isAuth = (err: unknown): err is MailchimpError => err instanceof MailchimpError && err.kind === 'auth';
const isNotFound = (err: unknown): err is MailchimpError => err instanceof MailchimpError && err.kind === 'not_found';

/**
 * The probe of a real worker: the audience (`GET /lists/{id}`: refused key → throws, 404 → audience missing), then
 * the store, but only once the sync has set it up (`storeSetUp`).
 */
export function mailchimpBlocker(input: {
  getList: () => Promise<unknown>;
  /** null when Mailchimp answers 404. */
  getStore: () => Promise<unknown>;
  storeSetUp: () => Promise<boolean>;
  listId: string;
  storeId: string;
}): () => Promise<string | null> {
  return async () => {
    try {
      await input.getList();
    } catch (err) {
      if (isNotFound(err)) return pauseReason.audience(input.listId);
      throw err;
    }
    if (await input.storeSetUp() && (await input.getStore()) === null) return pauseReason.store(input.storeId);
    return null;
  };
}

export function createAuthBreaker(options: AuthBreakerOptions) {
  const { db, storeId } = options;
  const every = options.probeEveryMs ?? PROBE_EVERY_MS;
  const now = options.now ?? Date.now;
  let failure: AuthFailure | null | undefined;
  let lastProbe = 0;
  /** The check of a 404 an activity let through, shared by the activities failing at the same time. */
  let verifying: Promise<string | null> | undefined;
  let lastVerified = -Infinity;

  const paused = (f: AuthFailure) => ApplicationFailure.create({
    type: 'MailchimpAuthPaused',
    message: `${describePause(f)} Checked every ${Math.round(every / 1000)} s.`,
    nonRetryable: false,
    nextRetryDelay: every,
  });

  async function trip(reason: string): Promise<AuthFailure> {
    lastProbe = now();
    if (failure) return failure;
    failure = { since: new Date(now()), reason: reason.slice(0, 191) };
    await recordPause(db, storeId, failure);
    options.onChange?.(failure);
    return failure;
  }

  /** After a 404: is the audience or the store itself missing? At most one check per PROBE_EVERY_MS finding both there. */
  async function missingParent(): Promise<string | null> {
    if (!verifying && now() - lastVerified < every) return null;
    verifying ??= options.probe().finally(() => {
      lastVerified = now();
      verifying = undefined;
    });
    try {
      return await verifying;
    } catch {
      return null;
    }
  }

  /** Resolves when requests may be sent; throws MailchimpAuthPaused while the key is refused or the audience or store is missing. */
  async function ready(): Promise<void> {
    if (failure === undefined) {
      failure = await readAuthFailure(db, storeId);
      if (failure) options.onChange?.(failure);
    }
    if (!failure) return;
    if (now() - lastProbe < every) throw paused(failure);
    lastProbe = now();
    let blocked: string | null;
    try {
      blocked = await options.probe();
    } catch (err) {
      if (isAuth(err)) throw paused(failure);
      throw err;
    }
    if (blocked) {
      // Still paused; the reason may have changed (the key works again, but the audience is gone).
      if (blocked !== failure.reason) {
        failure = { since: failure.since, reason: blocked.slice(0, 191) };
        await recordPause(db, storeId, failure, { replace: true });
        options.onChange?.(failure);
      }
      throw paused(failure);
    }
    failure = null;
    await clearPause(db, storeId);
    options.onChange?.(null);
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
          if (isAuth(err)) throw paused(await trip(`${err.status} ${err.title}`));
          if (isNotFound(err)) {
            const missing = await missingParent();
            if (missing) throw paused(await trip(missing));
          }
          throw err;
        }
      };
    }
    return wrapped as T;
  }

  return { ready, guard, current: () => failure ?? null };
}
