import knexFactory, { Knex } from 'knex';
import path from 'node:path';
import { env } from '../config/env';

export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');

/**
 * Prepared statements a connection keeps. mysql2 allocates its cache of them up front (four arrays of this many slots:
 * 16,000 by default, about 0.5 MB of heap per connection, 11 MB for a worker's 22 connections), and the sync never
 * prepares one (knex sends every query as text; so does db/entity-lock.ts), so a few slots are plenty.
 */
export const MAX_PREPARED_STATEMENTS = 16;

/**
 * One knex instance for a database URL; ids and money come back as strings, dates as UTC Date objects. All but four
 * connections may be held by entity locks during syncs (db/entity-lock.ts): 20 lets 16 entities sync at once.
 */
export function createDb(url: string = env('DATABASE_URL'), pool: Knex.PoolConfig = { min: 0, max: 20 }): Knex {
  return knexFactory({
    client: 'mysql2',
    connection: {
      uri: url, timezone: 'Z', dateStrings: false, supportBigNumbers: true, bigNumberStrings: true, decimalNumbers: false,
      maxPreparedStatements: MAX_PREPARED_STATEMENTS,
    } as unknown as Knex.StaticConnectionConfig,
    // Every DATETIME is UTC: CURRENT_TIMESTAMP(3) defaults and NOW() must agree with the driver's 'Z'.
    pool: {
      ...pool,
      afterCreate: (conn: { query: (sql: string, cb: (err: Error | null) => void) => void }, done: (err: Error | null, conn: unknown) => void) => {
        conn.query("SET time_zone = '+00:00'", (err) => done(err, conn));
      },
    },
    migrations: { directory: MIGRATIONS_DIR, loadExtensions: ['.ts', '.js'], tableName: 'knex_migrations' },
  });
}

/** Rolls every migration back: drops the shop's and the sync's tables (development databases only). */
export async function rollbackAllMigrations(db: Knex): Promise<void> {
  await db.migrate.rollback(undefined, true);
}

export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest()) as [number, string[]];
  return applied;
}

/** The migration files not applied yet (empty: the schema is current). */
export async function pendingMigrations(db: Knex): Promise<string[]> {
  const [, pending] = (await db.migrate.list()) as [unknown[], Array<{ file: string } | string>];
  return pending.map((p) => (typeof p === 'string' ? p : p.file));
}
