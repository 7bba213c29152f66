import type { Knex } from 'knex';

/**
 * An index on order_lines (product_id, order_id) when order_lines is a base table that has none: what the product sync
 * keeps for the orders it sends (source/shop-db.ts productIdsReferencedByOrders, productIdsOrderedWithoutVariant,
 * orderedVariantSkus, orderIdsNamingProduct) reads the (product, order) pairs of a product's lines. Without it each of
 * those reads every order line: on the benchmark's medium shop (44,909 lines) 0.2-0.7 s per product synced
 * (bench/sent-keys.ts). A view, or a table that already has an index starting with product_id, is left as it is.
 */

const ADDED_INDEX = 'mc_order_lines_product';

async function isBaseTable(knex: Knex, table: string): Promise<boolean> {
  const [rows] = (await knex.raw('SELECT TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [table])) as [Array<{ type: string }>];
  return rows[0]?.type === 'BASE TABLE';
}

/** Whether some index of the table starts with this column (or, with `name`, whether that index exists). */
async function hasIndex(knex: Knex, table: string, where: { column: string } | { name: string }): Promise<boolean> {
  const [rows] = (await knex.raw(
    'column' in where
      ? 'SELECT 1 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ? AND SEQ_IN_INDEX = 1'
      : 'SELECT 1 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME = ?',
    [table, 'column' in where ? where.column : where.name],
  )) as [unknown[]];
  return rows.length > 0;
}

export async function up(knex: Knex): Promise<void> {
  if (!(await isBaseTable(knex, 'order_lines')) || (await hasIndex(knex, 'order_lines', { column: 'product_id' }))) return;
  await knex.raw(`CREATE INDEX ${ADDED_INDEX} ON order_lines (product_id, order_id)`);
}

export async function down(knex: Knex): Promise<void> {
  if (await hasIndex(knex, 'order_lines', { name: ADDED_INDEX })) await knex.raw(`DROP INDEX ${ADDED_INDEX} ON order_lines`);
}
