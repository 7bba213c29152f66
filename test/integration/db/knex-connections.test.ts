import { env } from '../../../config/env';
import { createDb, MAX_PREPARED_STATEMENTS } from '../../../db/knex';

/** What mysql2 keeps per connection (its config, its prepared statements), as far as these tests look. */
interface DriverConnection {
  config: { maxPreparedStatements: number; timezone: string };
  execute(sql: string, values: unknown[], cb: (err: Error | null, rows: unknown) => void): void;
}

const db = createDb(env('DATABASE_URL'), { min: 0, max: 1 });
afterAll(async () => {
  await db.destroy();
});

test('a connection keeps a small prepared-statement cache (mysql2 allocates 16,000 slots, ~0.5 MB, by default)', async () => {
  const conn = (await db.client.acquireConnection()) as DriverConnection;
  try {
    expect(conn.config.maxPreparedStatements).toBe(MAX_PREPARED_STATEMENTS);
    expect(MAX_PREPARED_STATEMENTS).toBeLessThanOrEqual(64);
    // The other settings still apply with it.
    expect(conn.config.timezone).toBe('Z');
  } finally {
    await db.client.releaseConnection(conn);
  }
});

test('more distinct prepared statements than the cache holds still run (the oldest are closed)', async () => {
  const conn = (await db.client.acquireConnection()) as DriverConnection;
  try {
    for (let i = 0; i < MAX_PREPARED_STATEMENTS * 2 + 1; i++) {
      const rows = await new Promise<unknown>((resolve, reject) => {
        conn.execute(`SELECT CONCAT(?, '-${i}') AS s`, ['x'], (err, result) => (err ? reject(err) : resolve(result)));
      });
      expect(rows).toEqual([{ s: `x-${i}` }]);
    }
  } finally {
    await db.client.releaseConnection(conn);
  }
  expect(await db.raw('SELECT 1 AS one').then(([rows]: [Array<{ one: number }>]) => rows[0].one)).toBe(1);
});
