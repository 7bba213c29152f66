import { createHash, randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Knex } from 'knex';
import { env, envInt } from '../config/env';
import { connectionGateFor, type ConnectionGate } from '../mailchimp/connection-gate';
import { divideConnections, type HolderDemand } from '../mailchimp/connection-share';
import { createDb } from './knex';

/**
 * Mailchimp allows `total` (10) connections per API key, however many workers use the key. The workers of one database
 * divide them with leases in their own tables (db/migrations/…_connection_leases.ts):
 *
 * - `mc_connection_slots` has a row per connection slot; a worker may have as many requests in flight as slots it
 *   leases, so the key never has more than `total` in flight in all.
 * - Every `tickMs` each worker renews its leases (`ttlMs`), publishes its demand (the most requests it had in flight or
 *   waiting since its last tick) in `mc_connection_holders`, and computes every live worker's share from the published
 *   demands (mailchimp/connection-share.ts: one each, the rest by demand). Above its share it stops admitting new
 *   requests, and frees the slots nobody is using; below it, it takes free slots (sooner while requests wait).
 * - A worker that cannot renew stops admitting requests once its leases lapse (its own clock, counted from before the
 *   renewal it sent). A lapsed slot is taken over only `grace_ms` (the holder's request timeout) after it lapsed, when
 *   every request sent under it has ended. A killed worker's slots are free again after `ttlMs` plus its timeout; a
 *   stopped worker frees them at once.
 *
 * Only processes that start the leases take part (the workers); a CLI command's few calls are not counted.
 */
export interface ConnectionLeaseOptions {
  db: Knex;
  apiKey: string;
  /** The key's connections in all (MAILCHIMP_MAX_CONNECTIONS; every worker must be given the same). */
  total: number;
  /** This worker's Mailchimp request timeout (MAILCHIMP_TIMEOUT_MS). */
  requestTimeoutMs: number;
  tickMs?: number;
  ttlMs?: number;
  /** Told when a renewal fails (the worker goes on, and stops sending once its leases lapse). */
  onError?: (err: unknown) => void;
  /** The gate to drive; default: this process's gate of the key (the one every Mailchimp client of the key uses). */
  gate?: ConnectionGate;
}

export interface ConnectionLeases {
  /** This worker's name in the tables. */
  readonly holder: string;
  /** Slots leased now. */
  held(): number;
  /** Renews, rebalances and claims now (also runs by itself every tick). */
  tick(): Promise<void>;
  /** Frees every slot and stops; the gate goes back to the whole `total` for this process alone. */
  stop(): Promise<void>;
}

const TICK_MS = 1000;
/** While requests wait for a slot this worker could take, it looks again this soon. */
const CLAIM_TICK_MS = 200;
const TTL_MS = 5000;

/** The name a key has in the tables: a hash, never the key. */
export function keyIdOf(apiKey: string): string {
  return createHash('sha256').update(`mailchimp-connections:${apiKey}`).digest('hex').slice(0, 32);
}

const micros = (ms: number) => Math.max(0, Math.round(ms * 1000));

/** Starts leasing this process's share of the key's connections; resolves after the first claim. */
export async function startConnectionLeases(options: ConnectionLeaseOptions): Promise<ConnectionLeases> {
  const { db, total } = options;
  const tickMs = options.tickMs ?? TICK_MS;
  const ttlMs = options.ttlMs ?? TTL_MS;
  if (ttlMs <= tickMs) throw new Error(`The connection lease (${ttlMs} ms) must outlast its renewal interval (${tickMs} ms)`);
  const keyId = keyIdOf(options.apiKey);
  const holder = `${os.hostname().slice(0, 30)}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const gate: ConnectionGate = options.gate ?? connectionGateFor(options.apiKey, total);
  const pollMs = Math.min(CLAIM_TICK_MS, tickMs);
  gate.setLimit(0);
  let held = 0;
  let target = 0;
  let lastTick = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let lapse: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const slots = Array.from({ length: total }, (_, slot) => ({ key_id: keyId, slot }));
  await db('mc_connection_slots').insert(slots).onConflict(['key_id', 'slot']).ignore();

  const expiry = () => db.raw('DATE_ADD(NOW(3), INTERVAL ? MICROSECOND)', [micros(ttlMs)]);

  async function renewAndBalance(): Promise<void> {
    const sentAt = Date.now();
    const demand = Math.min(total, gate.takePeakDemand());
    await db('mc_connection_holders').insert({ key_id: keyId, holder, demand, expires_at: expiry() })
      .onConflict(['key_id', 'holder']).merge(['demand', 'expires_at']);
    await db('mc_connection_slots').where({ key_id: keyId, holder }).update({ expires_at: expiry(), grace_ms: options.requestTimeoutMs });
    const live = (await db('mc_connection_holders').select('holder', 'demand').where({ key_id: keyId })
      .andWhere('expires_at', '>', db.raw('NOW(3)'))) as HolderDemand[];
    if (!live.some((h) => h.holder === holder)) live.push({ holder, demand });
    target = divideConnections(total, live).get(holder) ?? 0;
    const mine = (await db('mc_connection_slots').count('* as n').where({ key_id: keyId, holder }).first()) as { n: number | string } | undefined;
    held = Number(mine?.n ?? 0);
    if (held > target) {
      gate.setLimit(target);
      const free = held - Math.max(target, gate.inFlight);
      if (free > 0) {
        const freed = await db('mc_connection_slots').where({ key_id: keyId, holder }).orderBy('slot', 'desc').limit(free)
          .update({ holder: null, expires_at: null });
        held -= freed;
      }
    } else if (held < target) {
      const claimed = await db('mc_connection_slots')
        .where({ key_id: keyId }).andWhere('slot', '<', total)
        .andWhere((w) => {
          w.whereNull('holder').orWhereRaw('DATE_ADD(expires_at, INTERVAL grace_ms * 1000 MICROSECOND) < NOW(3)');
        })
        .orderBy('slot').limit(target - held)
        .update({ holder, expires_at: expiry(), grace_ms: options.requestTimeoutMs });
      held += claimed;
    }
    if (stopped) return;
    gate.setLimit(Math.min(held, target));
    // The leases run out ttlMs after the renewal was sent (the database's expiry is later): no new request after that.
    if (lapse) clearTimeout(lapse);
    lapse = setTimeout(() => gate.setLimit(0), Math.max(0, sentAt + ttlMs - Date.now()));
    lapse.unref();
    if (Math.random() < 0.01) {
      await db('mc_connection_holders').where({ key_id: keyId }).andWhere('expires_at', '<', db.raw('DATE_SUB(NOW(3), INTERVAL 1 HOUR)')).delete();
    }
  }

  function tick(): Promise<void> {
    lastTick = Date.now();
    running ??= renewAndBalance().finally(() => {
      running = undefined;
    });
    return running;
  }

  // A cheap local look every CLAIM_TICK_MS; the database only every tickMs, or sooner while requests wait for a
  // slot this worker's share allows and it does not hold yet.
  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      const since = Date.now() - lastTick;
      const due = since >= tickMs || (gate.waiters > 0 && held < target && since >= pollMs);
      if (!due || running) {
        schedule();
        return;
      }
      tick().catch((err: unknown) => options.onError?.(err)).finally(schedule);
    }, pollMs);
    timer.unref();
  }

  await tick();
  schedule();
  return {
    holder,
    held: () => held,
    tick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (lapse) clearTimeout(lapse);
      await running?.catch(() => undefined);
      gate.setLimit(0);
      // Slots are freed once the requests sent under them have ended (at most the request timeout).
      const until = Date.now() + options.requestTimeoutMs;
      while (gate.inFlight > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
      await db('mc_connection_slots').where({ key_id: keyId, holder }).update({ holder: null, expires_at: null });
      await db('mc_connection_holders').where({ key_id: keyId, holder }).delete();
      held = 0;
      gate.setLimit(gate.capacity);
    },
  };
}

/**
 * A worker's leases as the environment configures them (MAILCHIMP_CONNECTION_SHARING=database, the default), on a
 * connection pool of their own so a renewal never waits behind the syncs; null with `process`. Start it before the
 * worker sends anything, stop it after the worker stopped.
 */
export async function startConnectionLeasesFromEnv(onError?: (err: unknown) => void): Promise<ConnectionLeases | null> {
  if (env('MAILCHIMP_CONNECTION_SHARING') !== 'database') return null;
  const db = createDb(env('DATABASE_URL'), { min: 0, max: 2 });
  try {
    const leases = await startConnectionLeases({
      db, apiKey: env('MAILCHIMP_API_KEY'), total: envInt('MAILCHIMP_MAX_CONNECTIONS'), requestTimeoutMs: envInt('MAILCHIMP_TIMEOUT_MS'), onError,
    });
    return {
      ...leases,
      async stop() {
        try {
          await leases.stop();
        } finally {
          await db.destroy();
        }
      },
    };
  } catch (err) {
    await db.destroy();
    throw err;
  }
}
