import fc from 'fast-check';
import { createRateLimiter } from '../../../webhooks/rate-limit';

describe('webhook rate limiter', () => {
  it('allows a burst, then refuses until tokens come back at the configured rate', () => {
    let t = 0;
    const limiter = createRateLimiter({ perSecond: 2, burst: 3 }, () => t);
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([true, true, true, false]);
    expect(limiter.retryAfterSeconds('a')).toBe(1);
    t = 499;
    expect(limiter.take('a')).toBe(false);
    t = 500;
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('b')).toBe(true);
  });

  it('never lets more than burst + rate × elapsed requests through, whatever the arrival times', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 50 }), fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 300 }),
      (perSecond, burst, gaps) => {
        let t = 0;
        const limiter = createRateLimiter({ perSecond, burst }, () => t);
        let allowed = 0;
        for (const gap of gaps) {
          t += gap;
          if (limiter.take('x')) allowed += 1;
        }
        expect(allowed).toBeLessThanOrEqual(burst + Math.floor((t / 1000) * perSecond) + 1);
      },
    ));
  });

  it('a slow retry-after for a slow bucket', () => {
    let t = 0;
    const limiter = createRateLimiter({ perSecond: 0.2, burst: 1 }, () => t);
    expect(limiter.take('ip')).toBe(true);
    expect(limiter.take('ip')).toBe(false);
    expect(limiter.retryAfterSeconds('ip')).toBe(5);
    t = 5000;
    expect(limiter.take('ip')).toBe(true);
  });
});
