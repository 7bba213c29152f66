import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import mysql from 'mysql2/promise';
import { env } from '../../config/env';
import { createDb, migrateLatest } from '../../db/knex';

export interface TestDatabase {
  db: Knex;
  url: string;
  name: string;
  destroy(): Promise<void>;
}

async function admin<T>(fn: (conn: mysql.Connection) => Promise<T>): Promise<T> {
  const u = new URL(env('DATABASE_URL'));
  const conn = await mysql.createConnection({
    host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password),
  });
  try {
    return await fn(conn);
  } finally {
    await conn.end();
  }
}

/** A fresh, uniquely named database with every migration applied; each test file gets its own. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `mcsync_test_${randomBytes(5).toString('hex')}`;
  await admin((conn) => conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`));
  const u = new URL(env('DATABASE_URL'));
  u.pathname = `/${name}`;
  const url = u.toString();
  const db = createDb(url);
  if (options.migrate !== false) await migrateLatest(db);
  return {
    db,
    url,
    name,
    async destroy() {
      await db.destroy();
      await admin((conn) => conn.query(`DROP DATABASE IF EXISTS \`${name}\``));
    },
  };
}
