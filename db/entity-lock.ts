import { AsyncLocalStorage } from 'node:async_hooks';
import type { Knex } from 'knex';
import type { EntityType } from '../mapping/ids';

/**
 * One writer per entity at a time. Every path that reads an entity from the shop and writes it to Mailchimp (an
 * entity workflow, a full resync's page, an order syncing its customer and products on the way, a batch page) holds
 * the entity's lock from its read to its record, so whoever writes last has read the shop after the previous writer
 * finished, and no older version lands after a newer one.
 *
 * The locks are MariaDB/MySQL named locks (GET_LOCK), held on one pooled connection per async chain (a "session"):
 * an order's nested customer and product locks are taken on its session, a lock held is re-entered, and every lock
 * dies with its connection (a killed worker leaves nothing behind). Several locks at once (a batch chunk's) are taken
 * in one statement where free, then the busy ones in LOCK_RANK order, which is also the common nesting (an order, then its
 * customer, then its products; a code, then its rule). Overlapping chunks, or the rarer reverse nestings (a renamed
 * product re-sending the orders that name it, a recreated promo rule re-sending its codes), can close a cycle: the
 * server detects it at once (ER_LOCK_DEADLOCK), and the chain it picks releases every lock and runs its sync again
 * (DEADLOCK_ATTEMPTS times, then the error is Temporal's to retry). A wait longer than the timeout fails retryably.
 *
 * Each acquisition draws a write token from mc_write_sequence (strictly increasing); the sync state records it, so a
 * writer that lost its lock (its connection dropped mid-sync) can never record over a later writer (db/sync-state.ts).
 */

export interface EntityKey {
  type: EntityType;
  id: string;
}

export interface EntityLocks {
  /** Runs `work` holding the locks of `keys` (the ones this chain holds already are re-entered). */
  withLocks<T>(keys: readonly EntityKey[], work: () => Promise<T>): Promise<T>;
  /** The write token of a lock the calling async chain holds, if it holds it. */
  tokenOf(type: EntityType | 'store', id: string): number | undefined;
}

export interface EntityLockOptions {
  /** How long to wait for a lock another writer holds before failing retryably. */
  timeoutSeconds?: number;
  /** Sessions (pooled connections held for a sync's duration) at once, per knex instance; default: all the pool but QUERY_CONNECTIONS. */
  sessions?: number;
  /** Called when a lock is held by another writer, before waiting for it. */
  onWait?: (key: EntityKey) => void;
}

/** Pool connections never held as lock sessions, so the syncs holding them can always run their queries. */
const QUERY_CONNECTIONS = 4;

/**
 * Types by rank: a chain holding a lock only waits for locks of a later rank (or later in the sorted order). A record
 * over EntityType, so a new type cannot be left without a rank: a cart nests its customer and products, like an order.
 */
const LOCK_RANK: Readonly<Record<EntityType, number>> = { cart: 0, order: 1, promo_code: 2, customer: 3, promo_rule: 4, product: 5 };

export function compareKeys(a: EntityKey, b: EntityKey): number {
  const rank = LOCK_RANK[a.type] - LOCK_RANK[b.type];
  if (rank !== 0) return rank;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The lock order of a set of keys, each once. */
export function lockOrder(keys: readonly EntityKey[]): EntityKey[] {
  const unique = new Map(keys.map((k) => [keyOf(k.type, k.id), k]));
  return [...unique.values()].sort(compareKeys);
}

/** The server's answer when waiting would close a cycle of lock holders (MariaDB: 1213, MySQL: 3058). */
const DEADLOCK_ERRNOS = new Set([1213, 3058]);
const DEADLOCK_ATTEMPTS = 3;

export class EntityLockDeadlock extends Error {
  constructor(key: EntityKey) {
    super(`Waiting for ${key.type} ${key.id} would deadlock with another sync; retrying`);
    this.name = 'EntityLockDeadlock';
  }
}

/** A lock that did not come within the timeout: retryable (the other writer is slow, not wrong). */
export class EntityLockTimeout extends Error {
  constructor(key: EntityKey, seconds: number) {
    super(`Another sync of ${key.type} ${key.id} held it for more than ${seconds} s; retrying later`);
    this.name = 'EntityLockTimeout';
  }
}

interface RawConnection {
  query(sql: string, values: unknown[], callback: (err: Error | null, result: unknown) => void): void;
  destroy(): void;
}

interface Session {
  conn: RawConnection;
  /** The locks held, with the write token drawn when each was taken. */
  held: Map<string, number>;
  /** A lock query failed: the connection may still hold a lock. */
  unclean: boolean;
}

function keyOf(type: string, id: string): string {
  return `${type}\u0000${id}`;
}

function run<T>(conn: RawConnection, sql: string, values: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => conn.query(sql, values, (err, result) => (err ? reject(err) : resolve(result as T))));
}

/** The server-wide lock name: per database, store and entity, hashed to fit GET_LOCK's 64 characters. */
const LOCK_NAME = "CONCAT('mcsync:', LEFT(SHA2(CONCAT_WS(CHAR(0), DATABASE(), ?, ?, ?), 256), 40))";

export function createEntityLocks(db: Knex, storeId: string, options: EntityLockOptions = {}): EntityLocks {
  const timeout = options.timeoutSeconds ?? 60;
  const poolMax = (db.client.config as { pool?: { max?: number } }).pool?.max ?? 10;
  const slots = sessionSlots(db, options.sessions ?? Math.max(1, poolMax - QUERY_CONNECTIONS));
  const chain = new AsyncLocalStorage<Session>();

  const names = (keys: readonly EntityKey[]) => keys.flatMap((k) => [storeId, k.type, k.id]);

  /**
   * Takes whichever of the keys are free, in one statement; returns which it took. The answers come back in one column
   * (a character per key: GET_LOCK's 1 taken, 0 held by another, NULL an error as 2), whatever the number of keys:
   * mysql2 compiles a row parser for every result shape it meets and keeps it (up to 15,000), so a column per key cost
   * a parser for every number of keys ever locked at once, a heap that grew with the shop (about 6 MB for 1 to 250).
   */
  async function takeFree(session: Session, keys: readonly EntityKey[]): Promise<boolean[]> {
    const answers = keys.map(() => `IFNULL(GET_LOCK(${LOCK_NAME}, 0), 2)`).join(', ');
    const [row] = await run<Array<{ taken: string | Buffer }>>(session.conn, `SELECT CONCAT(${answers}) AS taken`, names(keys));
    const taken = Buffer.isBuffer(row.taken) ? row.taken.toString('latin1') : String(row.taken);
    return keys.map((_k, i) => taken[i] === '1');
  }

  async function wait(session: Session, key: EntityKey): Promise<void> {
    options.onWait?.(key);
    const [row] = await run<Array<{ got: number | null }>>(session.conn, `SELECT GET_LOCK(${LOCK_NAME}, ?) AS got`, [...names([key]), timeout]).catch((err: unknown) => {
      throw DEADLOCK_ERRNOS.has((err as { errno?: number }).errno ?? 0) ? new EntityLockDeadlock(key) : err;
    });
    if (row.got !== 1) throw new EntityLockTimeout(key, timeout);
  }

  /** Releases the keys in one statement; DO answers no rows, so there is no result shape per number of keys (takeFree). */
  async function release(session: Session, keys: readonly EntityKey[]): Promise<void> {
    if (keys.length === 0) return;
    const calls = keys.map(() => `RELEASE_LOCK(${LOCK_NAME})`).join(', ');
    await run(session.conn, `DO ${calls}`, names(keys)).catch(() => {
      session.unclean = true;
    });
  }

  async function nextToken(session: Session): Promise<number> {
    const result = await run<{ insertId: number | string; affectedRows: number }>(
      session.conn, 'UPDATE mc_write_sequence SET value = LAST_INSERT_ID(value + 1) WHERE id = 1', [],
    );
    if (result.affectedRows !== 1) throw new Error('mc_write_sequence has no row: run the migrations (npm run migrate)');
    return Number(result.insertId);
  }

  async function holding<T>(session: Session, keys: readonly EntityKey[], work: () => Promise<T>): Promise<T> {
    // Locks this chain holds already are re-entered: the frame that took them releases them.
    const fresh = lockOrder(keys).filter((k) => !session.held.has(keyOf(k.type, k.id)));
    const acquired: EntityKey[] = [];
    try {
      if (fresh.length > 0) {
        try {
          const free = await takeFree(session, fresh);
          acquired.push(...fresh.filter((_k, i) => free[i]));
          for (const key of fresh.filter((_k, i) => !free[i])) {
            await wait(session, key);
            acquired.push(key);
          }
          const token = await nextToken(session);
          for (const key of fresh) session.held.set(keyOf(key.type, key.id), token);
        } catch (err) {
          if (!(err instanceof EntityLockTimeout || err instanceof EntityLockDeadlock)) session.unclean = true;
          throw err;
        }
      }
      return await work();
    } finally {
      for (const key of acquired) session.held.delete(keyOf(key.type, key.id));
      await release(session, acquired);
    }
  }

  /** A session's connection goes back to the pool holding no lock; one that cannot say so is closed instead. */
  async function giveBack(session: Session): Promise<void> {
    if (session.unclean) {
      try {
        await run(session.conn, 'SELECT RELEASE_ALL_LOCKS()', []);
      } catch (_err) {
        session.conn.destroy();
      }
    }
    await db.client.releaseConnection(session.conn);
  }

  return {
    async withLocks(keys, work) {
      const current = chain.getStore();
      if (current) return holding(current, keys, work);
      await slots.take();
      let session: Session | undefined;
      try {
        session = { conn: (await db.client.acquireConnection()) as RawConnection, held: new Map(), unclean: false };
        for (let attempt = 1; ; attempt++) {
          try {
            return await chain.run(session, () => holding(session!, keys, work));
          } catch (err) {
            if (!(err instanceof EntityLockDeadlock) || attempt >= DEADLOCK_ATTEMPTS) throw err;
          }
        }
      } finally {
        if (session) await giveBack(session);
        slots.give();
      }
    },

    tokenOf(type, id) {
      return chain.getStore()?.held.get(keyOf(type, id));
    },
  };
}

const slotsByDb = new WeakMap<Knex, ReturnType<typeof semaphore>>();

/** One limit per knex instance (its pool), however many lock instances share it. */
function sessionSlots(db: Knex, size: number): ReturnType<typeof semaphore> {
  const existing = slotsByDb.get(db);
  if (existing) return existing;
  const created = semaphore(size);
  slotsByDb.set(db, created);
  return created;
}

function semaphore(size: number) {
  let free = size;
  const waiting: Array<() => void> = [];
  return {
    take(): Promise<void> {
      if (free > 0) {
        free -= 1;
        return Promise.resolve();
      }
      return new Promise((resolve) => waiting.push(resolve));
    },
    give(): void {
      const next = waiting.shift();
      if (next) next();
      else free += 1;
    },
  };
}
