import { z } from 'zod';
import { isPlainObject } from './util';

/** Everything tunable at run time (`POST /_emulator/config` merges into it). */
export interface EmulatorConfig {
  /** Added to every /3.0 request: latencyMs plus a uniform 0..jitterMs. */
  latencyMs: number;
  jitterMs: number;
  /** Simultaneous /3.0 requests per API key; one more gets 429. */
  maxConcurrent: number;
  /** Seed of the fault and shuffle random numbers; null = random. */
  seed: number | null;
  faults: {
    /** Probabilities (0..1) per /3.0 request. */
    error500Rate: number;
    error503Rate: number;
    rateLimitRate: number;
    /** `Retry-After` of injected 429s, in seconds. */
    retryAfterSeconds: number;
    hangRate: number;
    /** How long a hanging request waits before it is answered. */
    hangMs: number;
    resetRate: number;
    /** Every /3.0 call answers 503 while true. */
    outage: boolean;
    /** Every /3.0 call answers 503 until this time (ISO 8601), if set. */
    outageUntil: string | null;
    /** Throttling at very high volume: a 429 or a 403 with no body at all (no JSON, no Retry-After). */
    bodiless429Rate: number;
    bodiless403Rate: number;
    /** Mailchimp's server timeout: a call held longer is cut off (the connection closes without an answer). */
    serverTimeoutMs: number;
    /** The API key is refused (401 "API Key Invalid") while true, as for a key revoked or disabled in the account. */
    keyRevoked: boolean;
  };
  batches: {
    /** Operations executed per second for the account. */
    opsPerSecond: number;
    /** Time between the last operation and `finished` (results archive being built). */
    finalizeDelayMs: number;
    /** How long a new batch stays `preprocessing` before its operations start (Mailchimp splits it meanwhile). */
    preprocessMs: number;
    /** Batches not yet finished; one more gets 429. */
    maxPending: number;
    /** Execute a batch's operations in a shuffled order. */
    shuffle: boolean;
  };
  webhooks: {
    /** Timeout of the URL check on create and of each delivery. */
    timeoutMs: number;
    /** Extra delivery attempts after a failure. */
    retries: number;
  };
}

export function defaultConfig(): EmulatorConfig {
  return {
    latencyMs: 0,
    jitterMs: 0,
    maxConcurrent: 10,
    seed: null,
    faults: {
      error500Rate: 0,
      error503Rate: 0,
      rateLimitRate: 0,
      retryAfterSeconds: 1,
      hangRate: 0,
      hangMs: 130_000,
      resetRate: 0,
      outage: false,
      outageUntil: null,
      bodiless429Rate: 0,
      bodiless403Rate: 0,
      serverTimeoutMs: 120_000,
      keyRevoked: false,
    },
    batches: { opsPerSecond: 1000, finalizeDelayMs: 0, preprocessMs: 0, maxPending: 500, shuffle: true },
    webhooks: { timeoutMs: 10_000, retries: 2 },
  };
}

const rate = z.number().min(0).max(1);
const ms = z.number().int().min(0);

/** What `POST /_emulator/config` accepts: any subset of the config. */
export const configPatchSchema = z
  .object({
    latencyMs: ms,
    jitterMs: ms,
    maxConcurrent: z.number().int().min(1),
    seed: z.number().int().nullable(),
    faults: z
      .object({
        error500Rate: rate,
        error503Rate: rate,
        rateLimitRate: rate,
        retryAfterSeconds: z.number().int().min(0),
        hangRate: rate,
        hangMs: ms,
        resetRate: rate,
        outage: z.boolean(),
        outageUntil: z.string().datetime({ offset: true }).nullable(),
        bodiless429Rate: rate,
        bodiless403Rate: rate,
        serverTimeoutMs: ms,
        keyRevoked: z.boolean(),
      })
      .partial()
      .strict(),
    batches: z
      .object({ opsPerSecond: z.number().positive(), finalizeDelayMs: ms, preprocessMs: ms, maxPending: z.number().int().min(1), shuffle: z.boolean() })
      .partial()
      .strict(),
    webhooks: z.object({ timeoutMs: ms, retries: z.number().int().min(0) }).partial().strict(),
  })
  .partial()
  .strict();

export type ConfigPatch = z.infer<typeof configPatchSchema>;

/** JSON merge: objects merge key by key, everything else replaces. */
export function mergeConfig(base: EmulatorConfig, patch: ConfigPatch): EmulatorConfig {
  return deepMerge(base as unknown as Record<string, unknown>, patch as Record<string, unknown>) as unknown as EmulatorConfig;
}

function deepMerge(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}
