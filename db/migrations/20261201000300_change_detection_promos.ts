import type { Knex } from 'knex';

/**
 * Orders are built from promotions too (a promo's type is its code's promotion's discount_type): the trigger queue
 * also names the promo code (text) whose orders must be looked at again when a code is added, renamed, moved to
 * another promotion or deleted, and a promotion whose discount type changed. orders.promo_code gets an index so
 * those orders are found without reading every order. Base tables only, like 20261201000001_change_detection.
 */

const ADDED_INDEX = 'mc_orders_promo_code';

interface Trigger {
  name: string;
  table: string;
  event: 'INSERT' | 'UPDATE' | 'DELETE';
  body: string;
}

const QUEUE = 'INSERT INTO mc_change_queue (table_name, row_id, parent_id, email_hash, event, promo_code)';

const TRIGGERS: Trigger[] = [
  {
    name: 'mc_promo_codes_deleted', table: 'promo_codes', event: 'DELETE',
    body: `${QUEUE} VALUES ('promo_codes', OLD.id, OLD.promotion_id, NULL, 'delete', OLD.code)`,
  },
  {
    name: 'mc_promo_codes_added', table: 'promo_codes', event: 'INSERT',
    body: `${QUEUE} VALUES ('promo_codes', NEW.id, NEW.promotion_id, NULL, 'promo_changed', NEW.code)`,
  },
  {
    name: 'mc_promo_codes_changed', table: 'promo_codes', event: 'UPDATE',
    body: `${QUEUE} SELECT 'promo_codes', OLD.id, OLD.promotion_id, NULL, 'promo_changed', OLD.code FROM DUAL`
      + ' WHERE NOT (OLD.code <=> NEW.code) OR NOT (OLD.promotion_id <=> NEW.promotion_id)'
      + ` UNION ALL SELECT 'promo_codes', NEW.id, NEW.promotion_id, NULL, 'promo_changed', NEW.code FROM DUAL`
      + ' WHERE NOT (OLD.code <=> NEW.code)',
  },
  {
    name: 'mc_promotions_type_changed', table: 'promotions', event: 'UPDATE',
    body: `${QUEUE} SELECT 'promotions', OLD.id, NULL, NULL, 'promo_changed', NULL FROM DUAL WHERE NOT (OLD.discount_type <=> NEW.discount_type)`,
  },
];

/** The code trigger of the first change-detection migration, restored by `down`. */
const PREVIOUS_CODE_DELETE = "CREATE TRIGGER mc_promo_codes_deleted AFTER DELETE ON promo_codes FOR EACH ROW INSERT INTO mc_change_queue (table_name, row_id, parent_id, email_hash, event) VALUES ('promo_codes', OLD.id, OLD.promotion_id, NULL, 'delete')";

async function isBaseTable(knex: Knex, table: string): Promise<boolean> {
  const [rows] = (await knex.raw('SELECT TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [table])) as [Array<{ type: string }>];
  return rows[0]?.type === 'BASE TABLE';
}

async function hasIndex(knex: Knex, table: string, name: string): Promise<boolean> {
  const [rows] = (await knex.raw(
    'SELECT 1 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME = ?', [table, name],
  )) as [unknown[]];
  return rows.length > 0;
}

export async function up(knex: Knex): Promise<void> {
  await knex.raw("ALTER TABLE mc_change_queue MODIFY event VARCHAR(32) NOT NULL, ADD COLUMN promo_code VARCHAR(191) NULL");
  if ((await isBaseTable(knex, 'orders')) && !(await hasIndex(knex, 'orders', ADDED_INDEX))) {
    await knex.raw(`CREATE INDEX ${ADDED_INDEX} ON orders (promo_code)`);
  }
  for (const t of TRIGGERS) {
    await knex.raw(`DROP TRIGGER IF EXISTS ${t.name}`);
    if (await isBaseTable(knex, t.table)) await knex.raw(`CREATE TRIGGER ${t.name} AFTER ${t.event} ON ${t.table} FOR EACH ROW ${t.body}`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const t of TRIGGERS) await knex.raw(`DROP TRIGGER IF EXISTS ${t.name}`);
  if (await isBaseTable(knex, 'promo_codes')) await knex.raw(PREVIOUS_CODE_DELETE);
  if (await hasIndex(knex, 'orders', ADDED_INDEX)) await knex.raw(`DROP INDEX ${ADDED_INDEX} ON orders`);
  await knex('mc_change_queue').whereNotIn('event', ['delete', 'email_changed']).delete();
  await knex.raw("ALTER TABLE mc_change_queue DROP COLUMN promo_code, MODIFY event ENUM('delete', 'email_changed') NOT NULL");
}
