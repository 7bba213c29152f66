import type { EmulatorConfig } from './config';
import type { Random } from '../util/random';

/** What to do to one /3.0 request, decided before it reaches a handler. */
export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'outage' }
  | { kind: 'reset' }
  | { kind: 'hang'; ms: number }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'error'; status: 500 | 503 }
  | { kind: 'bodiless'; status: 429 | 403 };

export function inOutage(config: EmulatorConfig, now: number = Date.now()): boolean {
  const { outage, outageUntil } = config.faults;
  return outage || (outageUntil !== null && now < Date.parse(outageUntil));
}

/** Independent draws in a fixed order: outage, reset, hang, 429, 500, 503, bodiless 429, bodiless 403. */
export function decideFault(config: EmulatorConfig, random: Random, now: number = Date.now()): FaultDecision {
  const f = config.faults;
  if (inOutage(config, now)) return { kind: 'outage' };
  if (random.chance(f.resetRate)) return { kind: 'reset' };
  if (random.chance(f.hangRate)) return { kind: 'hang', ms: f.hangMs };
  if (random.chance(f.rateLimitRate)) return { kind: 'rate-limit', retryAfterSeconds: f.retryAfterSeconds };
  if (random.chance(f.error500Rate)) return { kind: 'error', status: 500 };
  if (random.chance(f.error503Rate)) return { kind: 'error', status: 503 };
  if (random.chance(f.bodiless429Rate)) return { kind: 'bodiless', status: 429 };
  if (random.chance(f.bodiless403Rate)) return { kind: 'bodiless', status: 403 };
  return { kind: 'none' };
}

/** latencyMs plus a uniform share of jitterMs. */
export function latencyFor(config: EmulatorConfig, random: Random): number {
  return config.latencyMs + (config.jitterMs > 0 ? Math.floor(random.next() * (config.jitterMs + 1)) : 0);
}
