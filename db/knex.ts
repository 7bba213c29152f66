import knexFactory, { Knex } from 'knex';
import path from 'node:path';
import { env } from '../config/env';

export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');

/** One knex instance for a database URL; dates are read as UTC strings-free Date objects. */
export function createDb(url: string = env('DATABASE_URL'), pool: Knex.PoolConfig = { min: 0, max: 10 }): Knex {
  return knexFactory({
    client: 'mysql2',
    connection: { uri: url, timezone: 'Z', dateStrings: false, supportBigNumbers: true, bigNumberStrings: true, decimalNumbers: false } as unknown as Knex.StaticConnectionConfig,
    pool,
    migrations: { directory: MIGRATIONS_DIR, loadExtensions: ['.ts', '.js'], tableName: 'knex_migrations' },
  });
}

export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest()) as [number, string[]];
  return applied;
}
