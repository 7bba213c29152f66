import { CancelledFailure } from '@temporalio/common';
import { toActivityFailure } from '../mailchimp/errors';

/**
 * At the activity boundary every error becomes the one classification of mailchimp/errors: Temporal then sees
 * `Mailchimp<Kind>Error` types (validation never retried) and waits as long as a 429's Retry-After asks. The text
 * is scrubbed of `secrets` (config/secrets.ts) before it reaches Temporal's history.
 */
export function classifyFailures<T extends Record<string, unknown>>(activities: T, secrets: readonly string[] = []): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = typeof fn !== 'function'
      ? fn
      : async (...args: unknown[]) => {
        try {
          return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
        } catch (err) {
          // A cancelled activity (a batch page taken back) must end as cancelled, not as a failure to retry.
          if (err instanceof CancelledFailure) throw err;
          throw toActivityFailure(err, secrets);
        }
      };
  }
  return wrapped as T;
}
