import type { Knex } from 'knex';

/**
 * Carts (docs/shop-database.md): `carts` and `cart_lines` in the reference schema (a table that already exists, a
 * shop's own or a view, is left as it is), and the change detection the other contract tables have: AFTER DELETE
 * triggers into mc_change_queue on base tables (a cart deleted, a line deleted), and an index on carts.order_id and
 * carts.user_id that the conversion checks read.
 */

const ADDED = 'added by mcsync carts';

const TRIGGERS = [
  {
    name: 'mc_carts_deleted', table: 'carts',
    body: "INSERT INTO mc_change_queue (table_name, row_id, parent_id, email_hash, event) VALUES ('carts', OLD.id, NULL, NULL, 'delete')",
  },
  {
    name: 'mc_cart_lines_deleted', table: 'cart_lines',
    body: "INSERT INTO mc_change_queue (table_name, row_id, parent_id, email_hash, event) VALUES ('cart_lines', OLD.id, OLD.cart_id, NULL, 'delete')",
  },
] as const;

async function isBaseTable(knex: Knex, table: string): Promise<boolean> {
  const [rows] = (await knex.raw('SELECT TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [table])) as [Array<{ type: string }>];
  return rows[0]?.type === 'BASE TABLE';
}

export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable('carts'))) {
    await knex.schema.createTable('carts', (t) => {
      t.comment(ADDED);
      t.bigIncrements('id').primary();
      t.bigInteger('user_id').unsigned().nullable().index();
      t.string('guest_email', 320).nullable();
      t.string('guest_first_name', 255).nullable();
      t.string('currency', 3).notNullable();
      t.decimal('order_total', 12, 2).notNullable();
      t.decimal('tax_total', 12, 2).nullable();
      t.string('campaign_id', 64).nullable();
      t.string('checkout_url', 2000).nullable();
      t.bigInteger('order_id').unsigned().nullable().index();
      t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
      t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)'));
      t.index(['updated_at', 'id']);
    });
  }
  if (!(await knex.schema.hasTable('cart_lines'))) {
    await knex.schema.createTable('cart_lines', (t) => {
      t.comment(ADDED);
      t.bigIncrements('id').primary();
      t.bigInteger('cart_id').unsigned().notNullable().index();
      t.bigInteger('product_id').unsigned().notNullable();
      t.bigInteger('variant_id').unsigned().nullable();
      t.integer('quantity').notNullable();
      t.decimal('unit_price', 12, 2).notNullable();
      t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)'));
      t.index(['updated_at', 'id']);
    });
  }
  for (const t of TRIGGERS) {
    await knex.raw(`DROP TRIGGER IF EXISTS ${t.name}`);
    if (await isBaseTable(knex, t.table)) await knex.raw(`CREATE TRIGGER ${t.name} AFTER DELETE ON ${t.table} FOR EACH ROW ${t.body}`);
  }
}

/** Drops the triggers, and the tables only when this migration created them (their comment says so). */
export async function down(knex: Knex): Promise<void> {
  for (const t of TRIGGERS) await knex.raw(`DROP TRIGGER IF EXISTS ${t.name}`);
  await knex('mc_change_queue').whereIn('table_name', ['carts', 'cart_lines']).delete();
  for (const table of ['cart_lines', 'carts']) {
    const [rows] = (await knex.raw(
      'SELECT TABLE_COMMENT AS comment FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [table],
    )) as [Array<{ comment: string }>];
    if (rows[0]?.comment === ADDED) await knex.schema.dropTable(table);
  }
}
