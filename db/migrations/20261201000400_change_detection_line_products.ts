import type { Knex } from 'knex';

/**
 * A product that only orders keep in Mailchimp (inactive or deleted, sent stock-less while an order line names it)
 * must be looked at again when the last line naming it goes: the trigger queue also names the product of an order
 * line deleted, or of a line moved to another product or variant. Base tables only, like the earlier
 * change-detection migrations.
 */

const QUEUE = 'INSERT INTO mc_change_queue (table_name, row_id, parent_id, email_hash, event, product_id)';

const TRIGGERS = [
  {
    name: 'mc_order_lines_deleted', event: 'DELETE',
    body: `${QUEUE} VALUES ('order_lines', OLD.id, OLD.order_id, NULL, 'delete', OLD.product_id)`,
    previous: "INSERT INTO mc_change_queue (table_name, row_id, parent_id, email_hash, event) VALUES ('order_lines', OLD.id, OLD.order_id, NULL, 'delete')",
  },
  {
    name: 'mc_order_lines_moved', event: 'UPDATE',
    body: `${QUEUE} SELECT 'order_lines', OLD.id, OLD.order_id, NULL, 'product_unlinked', OLD.product_id FROM DUAL`
      + ' WHERE NOT (OLD.product_id <=> NEW.product_id) OR NOT (OLD.variant_id <=> NEW.variant_id)',
    previous: null,
  },
] as const;

async function isBaseTable(knex: Knex, table: string): Promise<boolean> {
  const [rows] = (await knex.raw('SELECT TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [table])) as [Array<{ type: string }>];
  return rows[0]?.type === 'BASE TABLE';
}

export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE mc_change_queue ADD COLUMN product_id VARCHAR(191) NULL');
  const lines = await isBaseTable(knex, 'order_lines');
  for (const t of TRIGGERS) {
    await knex.raw(`DROP TRIGGER IF EXISTS ${t.name}`);
    if (lines) await knex.raw(`CREATE TRIGGER ${t.name} AFTER ${t.event} ON order_lines FOR EACH ROW ${t.body}`);
  }
}

export async function down(knex: Knex): Promise<void> {
  const lines = await isBaseTable(knex, 'order_lines');
  for (const t of TRIGGERS) {
    await knex.raw(`DROP TRIGGER IF EXISTS ${t.name}`);
    if (lines && t.previous) await knex.raw(`CREATE TRIGGER ${t.name} AFTER ${t.event} ON order_lines FOR EACH ROW ${t.previous}`);
  }
  await knex('mc_change_queue').where({ event: 'product_unlinked' }).delete();
  await knex.raw('ALTER TABLE mc_change_queue DROP COLUMN product_id');
}
