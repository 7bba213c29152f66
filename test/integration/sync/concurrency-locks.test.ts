import { createEntityLocks, EntityLockTimeout, type EntityKey } from '../../../db/entity-lock';
import { createSyncState, StaleRecordError } from '../../../db/sync-state';
import { createTestDatabase, type TestDatabase } from '../../support/db';

/** The entity locks and the record that cannot go back, on MariaDB. */

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('entity locks', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.destroy());

  it('excludes a second holder, in another instance too, until the first releases', async () => {
    const waited: EntityKey[] = [];
    const waiting = deferred();
    const first = createEntityLocks(t.db, 'shop-a');
    const second = createEntityLocks(t.db, 'shop-a', {
      onWait: (key) => {
        waited.push(key);
        waiting.resolve();
      },
    });
    const events: string[] = [];
    const held = deferred();
    const done = deferred();
    const firstRun = first.withLocks([{ type: 'product', id: '1' }], async () => {
      events.push('first in');
      held.resolve();
      await done.promise;
      events.push('first out');
    });
    await held.promise;
    const secondRun = second.withLocks([{ type: 'product', id: '1' }], async () => {
      events.push('second in');
    });
    await waiting.promise;
    // Another entity, and the same id in another store, are not held.
    await second.withLocks([{ type: 'product', id: '2' }], async () => events.push('other entity'));
    await createEntityLocks(t.db, 'shop-b').withLocks([{ type: 'product', id: '1' }], async () => events.push('other store'));
    expect(waited).toEqual([{ type: 'product', id: '1' }]);
    done.resolve();
    await Promise.all([firstRun, secondRun]);
    expect(events).toEqual(['first in', 'other entity', 'other store', 'first out', 'second in']);
  });

  it('takes a chunk of locks at once, waiting only for the ones another writer holds', async () => {
    const waited: EntityKey[] = [];
    const holder = createEntityLocks(t.db, 'shop-d');
    const chunk = createEntityLocks(t.db, 'shop-d', { onWait: (key) => waited.push(key) });
    const held = deferred();
    const done = deferred();
    const events: string[] = [];
    const holding = holder.withLocks([{ type: 'customer', id: 'b' }], async () => {
      held.resolve();
      await done.promise;
      events.push('holder out');
    });
    await held.promise;
    const keys: EntityKey[] = ['a', 'b', 'c'].map((id) => ({ type: 'customer', id }));
    const chunkRun = chunk.withLocks(keys, async () => {
      events.push('chunk in');
      return keys.map((k) => chunk.tokenOf(k.type, k.id));
    });
    await holder.withLocks([{ type: 'customer', id: 'd' }], async () => events.push('free one'));
    done.resolve();
    const [tokens] = await Promise.all([chunkRun, holding]);
    expect(waited).toEqual([{ type: 'customer', id: 'b' }]);
    expect(events).toEqual(['free one', 'holder out', 'chunk in']);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).toEqual(expect.any(Number));
  });

  it('answers in one result shape whatever the number of keys (mysql2 compiles and keeps a row parser per shape)', async () => {
    type Callback = (err: Error | null, result: unknown, fields?: Array<{ name: string }>) => void;
    interface Spied { query(sql: string, values: unknown[], cb: Callback): void; spied?: boolean }
    const shapes = new Set<string>();
    const client = t.db.client as { acquireConnection(): Promise<Spied> };
    const acquire = client.acquireConnection.bind(client);
    client.acquireConnection = async () => {
      const conn = await acquire();
      if (!conn.spied) {
        const query = conn.query.bind(conn);
        conn.query = (sql, values, cb) => query(sql, values, (err, result, fields) => {
          if (fields) shapes.add(fields.map((f) => f.name).join(','));
          cb(err, result, fields);
        });
        conn.spied = true;
      }
      return conn;
    };
    try {
      const holder = createEntityLocks(t.db, 'shop-f');
      const blocked = deferred();
      const chunk = createEntityLocks(t.db, 'shop-f', { onWait: () => blocked.resolve() });
      const held = deferred();
      const done = deferred();
      const holding = holder.withLocks([{ type: 'order', id: '3' }], async () => {
        held.resolve();
        await done.promise;
      });
      await held.promise;
      const taken: string[][] = [];
      // Chunks of 1 to 12 keys (key 3, held by another writer, in most of them: taken once it is free below).
      const runs = Array.from({ length: 12 }, (_v, n) => {
        const keys: EntityKey[] = Array.from({ length: n + 1 }, (_w, i) => ({ type: 'order', id: String(i + 1) }));
        return () => chunk.withLocks(keys, async () => {
          taken.push(keys.filter((k) => chunk.tokenOf(k.type, k.id) !== undefined).map((k) => k.id));
        });
      });
      await runs[0]();
      await runs[1]();
      const waiting = runs[2]();
      await blocked.promise;
      done.resolve();
      await Promise.all([holding, waiting]);
      for (const run of runs.slice(3)) await run();
      expect(taken.map((ids) => ids.length)).toEqual(Array.from({ length: 12 }, (_v, n) => n + 1));
      expect([...shapes].sort()).toEqual(['got', 'taken']);
    } finally {
      client.acquireConnection = acquire;
    }
  });

  it('is re-entrant within one chain, takes nested locks on the same session, and draws an increasing token per acquisition', async () => {
    const waited: EntityKey[] = [];
    const locks = createEntityLocks(t.db, 'shop-a', { onWait: (key) => waited.push(key) });
    const tokens: Array<number | undefined> = [];
    await locks.withLocks([{ type: 'order', id: '7' }], async () => {
      tokens.push(locks.tokenOf('order', '7'));
      await locks.withLocks([{ type: 'customer', id: 'c' }, { type: 'order', id: '7' }], async () => {
        tokens.push(locks.tokenOf('order', '7'), locks.tokenOf('customer', 'c'));
      });
      tokens.push(locks.tokenOf('customer', 'c'));
    });
    tokens.push(locks.tokenOf('order', '7'));
    await locks.withLocks([{ type: 'order', id: '7' }], async () => {
      tokens.push(locks.tokenOf('order', '7'));
    });
    const [order, orderNested, customer, customerAfter, outside, again] = tokens;
    expect(waited).toEqual([]);
    expect(orderNested).toBe(order);
    expect(customer).toBeGreaterThan(order ?? Infinity);
    expect(customerAfter).toBeUndefined();
    expect(outside).toBeUndefined();
    expect(again).toBeGreaterThan(customer ?? Infinity);
  });

  it('runs a sync again when its nested lock would close a cycle (a renamed product re-sending an order that waits for it)', async () => {
    const locks = createEntityLocks(t.db, 'shop-c');
    const orderHeld = deferred();
    const productHeld = deferred();
    let runs = 0;
    const order = locks.withLocks([{ type: 'order', id: '1' }], async () => {
      runs += 1;
      orderHeld.resolve();
      await productHeld.promise;
      await locks.withLocks([{ type: 'product', id: '1' }], async () => undefined);
      return 'order done';
    });
    const product = locks.withLocks([{ type: 'product', id: '1' }], async () => {
      runs += 1;
      productHeld.resolve();
      await orderHeld.promise;
      await locks.withLocks([{ type: 'order', id: '1' }], async () => undefined);
      return 'product done';
    });
    expect(await Promise.all([order, product])).toEqual(['order done', 'product done']);
    expect(runs).toBe(3);
  });

  it('fails retryably when the lock stays held past the timeout', async () => {
    const holder = createEntityLocks(t.db, 'shop-a');
    const impatient = createEntityLocks(t.db, 'shop-a', { timeoutSeconds: 1 });
    const held = deferred();
    const done = deferred();
    const holding = holder.withLocks([{ type: 'promo_rule', id: '3' }], async () => {
      held.resolve();
      await done.promise;
    });
    await held.promise;
    let ran = false;
    await expect(impatient.withLocks([{ type: 'promo_rule', id: '3' }], async () => {
      ran = true;
    })).rejects.toBeInstanceOf(EntityLockTimeout);
    done.resolve();
    await holding;
    expect(ran).toBe(false);
    // Nothing is left held: the lock is free at once afterwards.
    await impatient.withLocks([{ type: 'promo_rule', id: '3' }], async () => {
      ran = true;
    });
    expect(ran).toBe(true);
  });
});

describe('record with write tokens', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.destroy());

  function stateWithToken(storeId: string) {
    let token: number | undefined;
    const state = createSyncState(t.db, storeId, () => token);
    return { state, as: (value: number | undefined) => (token = value) };
  }

  async function row(storeId: string, id: string) {
    return (await t.db('mc_sync_state').where({ store_id: storeId, entity_type: 'product', entity_id: id }).first()) as
      { status: string; content_hash: string | null; write_seq: string | number | null; attempts: number };
  }

  it('never replaces a later writer: an older token is refused, and the hash is cleared so the next sync writes again', async () => {
    const { state, as } = stateWithToken('s1');
    as(5);
    await state.record('product', 'p', { status: 'synced', contentHash: 'newer', remoteId: 'P' });
    as(3);
    await expect(state.record('product', 'p', { status: 'synced', contentHash: 'older', remoteId: 'P' })).rejects.toBeInstanceOf(StaleRecordError);
    expect(await row('s1', 'p')).toMatchObject({ status: 'synced', content_hash: null });
    expect(Number((await row('s1', 'p')).write_seq)).toBe(5);
    await expect(state.record('product', 'p', { status: 'failed', errorReason: 'late refusal' })).rejects.toBeInstanceOf(StaleRecordError);
    expect(await row('s1', 'p')).toMatchObject({ status: 'synced', attempts: 0 });

    as(8);
    await state.record('product', 'p', { status: 'synced', contentHash: 'latest', remoteId: 'P' });
    expect(await row('s1', 'p')).toMatchObject({ status: 'synced', content_hash: 'latest' });
    expect(Number((await row('s1', 'p')).write_seq)).toBe(8);
    // The same writer may record again (a failure after a partial write, say); a record without a token is written as before.
    await state.record('product', 'p', { status: 'failed', errorReason: 'refused' });
    expect(await row('s1', 'p')).toMatchObject({ status: 'failed', content_hash: 'latest', attempts: 1 });
    as(undefined);
    await state.record('product', 'p', { status: 'synced', contentHash: 'untokened', remoteId: 'P' });
    expect(await row('s1', 'p')).toMatchObject({ status: 'synced', content_hash: 'untokened' });
    expect(Number((await row('s1', 'p')).write_seq)).toBe(8);
  });

  it('applies the same rule row by row to the batch backfill\'s many records', async () => {
    const { state, as } = stateWithToken('s2');
    as(10);
    await state.record('product', 'a', { status: 'synced', contentHash: 'a-newer', remoteId: 'A' });
    as(9);
    await expect(state.recordSyncedMany('product', [
      { id: 'a', contentHash: 'a-older', remoteId: 'A' },
      { id: 'b', contentHash: 'b-first', remoteId: 'B' },
    ])).rejects.toThrow(/product a\b/);
    expect(await row('s2', 'a')).toMatchObject({ content_hash: null });
    expect(await row('s2', 'b')).toMatchObject({ status: 'synced', content_hash: 'b-first' });
    expect(Number((await row('s2', 'b')).write_seq)).toBe(9);
  });
});
