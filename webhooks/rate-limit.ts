/**
 * Per-source rate limiting for the webhook receivers: a token bucket per key (the client's address). A flood
 * from one address is answered 429 with Retry-After, and neither reaches the database nor slows other senders.
 * Mailchimp and Stripe both deliver again after a non-2xx answer, so nothing they send is lost.
 */

export interface RateLimit {
  /** Tokens added per second. */
  perSecond: number;
  /** Bucket size: how many requests may arrive at once. */
  burst: number;
}

export interface RateLimiter {
  /** Takes one token for this key; false when its bucket is empty. */
  take(key: string): boolean;
  /** Seconds until the key has a token again (at least 1), for Retry-After. */
  retryAfterSeconds(key: string): number;
}

/** Delivered events: generous, Mailchimp sends bursts when many contacts change at once. */
export const DELIVERY_LIMIT: RateLimit = { perSecond: 50, burst: 200 };
/** Requests refused for a wrong secret or signature: a few, then the address waits (no brute force). */
export const REFUSED_LIMIT: RateLimit = { perSecond: 0.2, burst: 10 };
/** Buckets kept at most; the least recently used are dropped first (bounded memory under many addresses). */
const MAX_KEYS = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

export function createRateLimiter(limit: RateLimit, now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, Bucket>();

  function refill(key: string): Bucket {
    const t = now();
    const found = buckets.get(key);
    const bucket = found ?? { tokens: limit.burst, at: t };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((t - bucket.at) / 1000) * limit.perSecond);
    bucket.at = t;
    buckets.delete(key);
    buckets.set(key, bucket);
    if (buckets.size > MAX_KEYS) buckets.delete(buckets.keys().next().value as string);
    return bucket;
  }

  return {
    take(key) {
      const bucket = refill(key);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
    retryAfterSeconds(key) {
      const bucket = refill(key);
      return Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond));
    },
  };
}
