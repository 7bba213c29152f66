import { MailchimpError } from '../mailchimp/mailchimp-error';

const TRANSIENT_ATTEMPTS = 3;

/**
 * Retries one entity of a page a few times when Mailchimp answers 5xx, 429 or not at all, waiting Retry-After when
 * given (else 250 ms, 500 ms). Without it, one transient failure among the hundreds of calls of a page fails the whole
 * page, and at a few percent of failed calls almost no page completes on the first attempts (Temporal's backoff then
 * dominates the sync time). Whatever still fails is thrown, and Temporal retries the page as before.
 */
export async function retryTransient<T>(run: () => Promise<T>, attempts = TRANSIENT_ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      const transient = err instanceof MailchimpError && (err.kind === 'transient' || err.kind === 'rate_limited');
      if (!transient || attempt >= attempts) throw err;
      const wait = Math.min(err.retryAfterMs ?? 250 * 2 ** (attempt - 1), 10_000);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

