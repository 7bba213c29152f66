import type { Knex } from 'knex';
import { emailHashSql } from '../../mapping/ids';

/**
 * Change detection (docs/shop-database.md, "How changes are noticed"):
 * - `updated_at` on order_lines (and on shop_settings, for a shop's own table without it), so a write to a line
 *   alone re-syncs its order;
 * - `mc_change_queue`, fed by AFTER DELETE triggers on every contract base table (and by UPDATE triggers that keep
 *   the previous e-mail of a user or guest order), drained by the change scan: hard deletes without a full resync;
 * - `mc_scan_seen`: the rows the scan dispatched inside the look-back, so re-reading them dispatches nothing.
 * A contract table that is a view gets neither column nor trigger: its deletes are found by a full resync's prune.
 */

/** Marks a column this migration added, so `down` drops only what it created. */
const ADDED = 'added by mcsync change detection';

/** The customer id of an e-mail column, as the sync computes it (mapping/ids.ts; was MD5(LOWER(TRIM(…))) before 20261201004000). */
const EMAIL_HASH = (column: string) => emailHashSql(column);

interface Trigger {
  name: string;
  table: string;
  event: 'DELETE' | 'UPDATE';
  /** Columns (table_name, row_id, parent_id, email_hash, event) as SQL over OLD/NEW. */
  values: [string, string, string, string];
  /** UPDATE triggers only queue when this holds. */
  when?: string;
}

const TRIGGERS: Trigger[] = [
  { name: 'mc_products_deleted', table: 'products', event: 'DELETE', values: ['OLD.id', 'NULL', 'NULL', "'delete'"] },
  { name: 'mc_product_variants_deleted', table: 'product_variants', event: 'DELETE', values: ['OLD.id', 'OLD.product_id', 'NULL', "'delete'"] },
  { name: 'mc_promotions_deleted', table: 'promotions', event: 'DELETE', values: ['OLD.id', 'NULL', 'NULL', "'delete'"] },
  { name: 'mc_promo_codes_deleted', table: 'promo_codes', event: 'DELETE', values: ['OLD.id', 'OLD.promotion_id', 'NULL', "'delete'"] },
  { name: 'mc_users_deleted', table: 'users', event: 'DELETE', values: ['OLD.id', 'NULL', EMAIL_HASH('OLD.email'), "'delete'"] },
  {
    name: 'mc_orders_deleted', table: 'orders', event: 'DELETE',
    values: ['OLD.id', 'NULL', `IF(OLD.user_id IS NULL, ${EMAIL_HASH('OLD.guest_email')}, NULL)`, "'delete'"],
  },
  { name: 'mc_order_lines_deleted', table: 'order_lines', event: 'DELETE', values: ['OLD.id', 'OLD.order_id', 'NULL', "'delete'"] },
  // The customer of the previous address must be looked at again (it may be gone, or left to guest orders).
  {
    name: 'mc_users_email_changed', table: 'users', event: 'UPDATE',
    values: ['OLD.id', 'NULL', EMAIL_HASH('OLD.email'), "'email_changed'"],
    when: `NOT (${EMAIL_HASH('OLD.email')} <=> ${EMAIL_HASH('NEW.email')})`,
  },
  {
    name: 'mc_orders_guest_changed', table: 'orders', event: 'UPDATE',
    values: ['OLD.id', 'NULL', EMAIL_HASH('OLD.guest_email'), "'email_changed'"],
    when: `OLD.user_id IS NULL AND OLD.guest_email IS NOT NULL AND (NEW.user_id IS NOT NULL OR NOT (${EMAIL_HASH('OLD.guest_email')} <=> ${EMAIL_HASH('NEW.guest_email')}))`,
  },
];

/** Single-statement bodies: valid on MySQL 8 and MariaDB without DELIMITER. */
function triggerSql(t: Trigger): string {
  const [rowId, parentId, emailHash, event] = t.values;
  const columns = 'INSERT INTO mc_change_queue (table_name, row_id, parent_id, email_hash, event)';
  const body = t.when
    ? `${columns} SELECT '${t.table}', ${rowId}, ${parentId}, ${emailHash}, ${event} FROM DUAL WHERE ${t.when}`
    : `${columns} VALUES ('${t.table}', ${rowId}, ${parentId}, ${emailHash}, ${event})`;
  return `CREATE TRIGGER ${t.name} AFTER ${t.event} ON ${t.table} FOR EACH ROW ${body}`;
}

async function isBaseTable(knex: Knex, table: string): Promise<boolean> {
  const [rows] = (await knex.raw('SELECT TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [table])) as [Array<{ type: string }>];
  return rows[0]?.type === 'BASE TABLE';
}

async function columnComment(knex: Knex, table: string, column: string): Promise<string | null> {
  const [rows] = (await knex.raw(
    'SELECT COLUMN_COMMENT AS comment FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?',
    [table, column],
  )) as [Array<{ comment: string }>];
  return rows.length === 0 ? null : rows[0].comment;
}

async function addUpdatedAt(knex: Knex, table: string, key: string): Promise<boolean> {
  if (!(await isBaseTable(knex, table)) || (await knex.schema.hasColumn(table, 'updated_at'))) return false;
  await knex.raw(
    `ALTER TABLE ?? ADD COLUMN updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3) COMMENT '${ADDED}', ADD INDEX ?? (updated_at, ??)`,
    [table, `mc_${table}_updated_at`, key],
  );
  return true;
}

export async function up(knex: Knex): Promise<void> {
  if (await addUpdatedAt(knex, 'order_lines', 'id')) {
    // Existing lines take their order's time, so the first scan after the upgrade does not re-send every order.
    await knex.raw('UPDATE order_lines l JOIN orders o ON o.id = l.order_id SET l.updated_at = o.updated_at');
  }
  await addUpdatedAt(knex, 'shop_settings', 'name');

  await knex.schema.createTable('mc_change_queue', (t) => {
    t.bigIncrements('id').primary();
    t.string('table_name', 64).notNullable();
    t.string('row_id', 191).notNullable();
    t.string('parent_id', 191).nullable();
    t.string('email_hash', 32).nullable();
    t.enu('event', ['delete', 'email_changed']).notNullable();
    t.datetime('queued_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
    t.index(['table_name', 'id']);
  });

  await knex.schema.createTable('mc_scan_seen', (t) => {
    t.string('store_id', 64).notNullable();
    t.string('feed', 32).notNullable();
    t.string('row_id', 191).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.primary(['store_id', 'feed', 'row_id', 'updated_at']);
    t.index(['store_id', 'feed', 'updated_at']);
  });

  for (const trigger of TRIGGERS) {
    await knex.raw(`DROP TRIGGER IF EXISTS ${trigger.name}`);
    if (await isBaseTable(knex, trigger.table)) await createTrigger(knex, trigger);
  }
}

/** Re-creates the triggers that queue an e-mail's customer id, with the current emailHashSql (20261201004000_email_hash_index). */
export async function recreateEmailHashTriggers(knex: Knex): Promise<void> {
  for (const trigger of TRIGGERS.filter((t) => t.values[2] !== 'NULL')) {
    await knex.raw(`DROP TRIGGER IF EXISTS ${trigger.name}`);
    if (await isBaseTable(knex, trigger.table)) await createTrigger(knex, trigger);
  }
}

async function createTrigger(knex: Knex, trigger: Trigger): Promise<void> {
  try {
    await knex.raw(triggerSql(trigger));
  } catch (err) {
    if ((err as { errno?: number }).errno !== 1419) throw err;
    throw new Error(
      `Cannot create the trigger ${trigger.name}: binary logging is on and the database user lacks SUPER. ` +
        'Start the server with --log-bin-trust-function-creators=1 (docker-compose.yml does), or run the migration as a user with SUPER.',
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const trigger of TRIGGERS) await knex.raw(`DROP TRIGGER IF EXISTS ${trigger.name}`);
  await knex.schema.dropTableIfExists('mc_scan_seen');
  await knex.schema.dropTableIfExists('mc_change_queue');
  for (const table of ['order_lines', 'shop_settings']) {
    if ((await columnComment(knex, table, 'updated_at')) !== ADDED) continue;
    await knex.raw('ALTER TABLE ?? DROP INDEX ??, DROP COLUMN updated_at', [table, `mc_${table}_updated_at`]);
  }
}
