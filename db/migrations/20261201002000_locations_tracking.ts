import type { Knex } from 'knex';
import { OPTIONAL_ORDER_COLUMNS, OPTIONAL_USER_COLUMNS, type OptionalColumn } from '../../mapping/address-columns';

/**
 * Locations and complete orders (docs/shop-database.md, "Optional columns"): the address columns of `users`, the
 * shipping and billing address and tracking columns of `orders`, all NULL-able. Added to a base table that lacks them
 * (an instant, metadata-only ALTER on MariaDB 10.3+ and MySQL 8.0.12+); a view may leave them out, and the sync then
 * sends no address or tracking. Each added column is marked, so `down` drops only what this migration created.
 */

const ADDED = 'added by mcsync locations';

async function isBaseTable(knex: Knex, table: string): Promise<boolean> {
  const [rows] = (await knex.raw('SELECT TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [table])) as [Array<{ type: string }>];
  return rows[0]?.type === 'BASE TABLE';
}

async function columnsOf(knex: Knex, table: string): Promise<Map<string, string>> {
  const [rows] = (await knex.raw(
    'SELECT COLUMN_NAME AS name, COLUMN_COMMENT AS comment FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
    [table],
  )) as [Array<{ name: string; comment: string }>];
  return new Map(rows.map((r) => [r.name, r.comment]));
}

async function addMissing(knex: Knex, table: string, columns: readonly OptionalColumn[]): Promise<void> {
  if (!(await isBaseTable(knex, table))) return;
  const have = await columnsOf(knex, table);
  const missing = columns.filter((c) => !have.has(c.name));
  if (missing.length === 0) return;
  const clauses = missing.map((c) => `ADD COLUMN \`${c.name}\` VARCHAR(${c.length}) NULL COMMENT '${ADDED}'`);
  await knex.raw(`ALTER TABLE ?? ${clauses.join(', ')}`, [table]);
}

export async function up(knex: Knex): Promise<void> {
  await addMissing(knex, 'users', OPTIONAL_USER_COLUMNS);
  await addMissing(knex, 'orders', OPTIONAL_ORDER_COLUMNS);
}

export async function down(knex: Knex): Promise<void> {
  for (const [table, columns] of [['users', OPTIONAL_USER_COLUMNS], ['orders', OPTIONAL_ORDER_COLUMNS]] as const) {
    if (!(await knex.schema.hasTable(table))) continue;
    const have = await columnsOf(knex, table);
    const ours = columns.filter((c) => have.get(c.name) === ADDED);
    if (ours.length > 0) await knex.raw(`ALTER TABLE ?? ${ours.map((c) => `DROP COLUMN \`${c.name}\``).join(', ')}`, [table]);
  }
}
