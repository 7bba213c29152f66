import { toActivityFailure } from '../mailchimp/errors';

/**
 * At the activity boundary every error becomes the one classification of mailchimp/errors: Temporal then sees
 * `Mailchimp<Kind>Error` types (validation never retried) and waits as long as a 429's Retry-After asks.
 */
export function classifyFailures<T extends Record<string, unknown>>(activities: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = typeof fn !== 'function'
      ? fn
      : async (...args: unknown[]) => {
        try {
          return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
        } catch (err) {
          throw toActivityFailure(err);
        }
      };
  }
  return wrapped as T;
}
