/**
 * Writes generated shop rows through knex: batch inserts in chunks, one transaction per table.
 *
 * Idempotent: every row is inserted with ON DUPLICATE KEY UPDATE on its primary key, so writing the same data twice
 * leaves the same rows (and, the values being equal, does not even touch updated_at). Unique columns (product code,
 * SKU, order number) are functions of the row id, so different seeds or sizes also merge by id without clashing;
 * rows from a larger earlier run stay, though: `reset` empties the contract tables first for an exact state.
 */
import type { Knex } from 'knex';
import type { ShopData } from './generate';

/** The contract tables, in the order they are written; each with its primary key. */
export const SHOP_TABLES = [
  { key: 'settings', table: 'shop_settings', primaryKey: 'name' },
  { key: 'products', table: 'products', primaryKey: 'id' },
  { key: 'variants', table: 'product_variants', primaryKey: 'id' },
  { key: 'users', table: 'users', primaryKey: 'id' },
  { key: 'promotions', table: 'promotions', primaryKey: 'id' },
  { key: 'promoCodes', table: 'promo_codes', primaryKey: 'id' },
  { key: 'orders', table: 'orders', primaryKey: 'id' },
  { key: 'orderLines', table: 'order_lines', primaryKey: 'id' },
  { key: 'carts', table: 'carts', primaryKey: 'id' },
  { key: 'cartLines', table: 'cart_lines', primaryKey: 'id' },
] as const satisfies ReadonlyArray<{ key: keyof ShopData; table: string; primaryKey: string }>;

export type ShopTableName = (typeof SHOP_TABLES)[number]['table'];

export interface WriteOptions {
  /** Empty the contract tables first (the sync's own `mc_` tables are left alone). */
  reset?: boolean;
  /** Rows per INSERT statement (default 1000). */
  chunkSize?: number;
  /** Called after each table is written. */
  onTable?: (table: ShopTableName, rows: number) => void;
}

/** Rows written per table. */
export type WriteSummary = Record<ShopTableName, number>;

export const DEFAULT_CHUNK_SIZE = 1000;

/** Empties every contract table (TRUNCATE: ids restart, no transaction). */
export async function resetShop(db: Knex): Promise<void> {
  for (const { table } of [...SHOP_TABLES].reverse()) {
    await db(table).truncate();
  }
}

/**
 * Writes every table of `data` (all keys of ShopData; an empty array writes nothing).
 * Without `reset`, existing rows with the same primary key are overwritten with the given values.
 */
export async function writeShop(db: Knex, data: ShopData, options: WriteOptions = {}): Promise<WriteSummary> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new Error(`chunkSize must be a positive whole number, got ${chunkSize}`);
  if (options.reset) await resetShop(db);

  const summary = {} as WriteSummary;
  for (const { key, table, primaryKey } of SHOP_TABLES) {
    const rows = data[key] as unknown as Array<Record<string, unknown>>;
    if (rows.length > 0) {
      await db.transaction(async (trx) => {
        for (let start = 0; start < rows.length; start += chunkSize) {
          await trx(table).insert(rows.slice(start, start + chunkSize)).onConflict(primaryKey).merge();
        }
      });
    }
    summary[table] = rows.length;
    options.onTable?.(table, rows.length);
  }
  return summary;
}

/** Rows currently in each contract table. */
export async function countShop(db: Knex): Promise<WriteSummary> {
  const summary = {} as WriteSummary;
  for (const { table } of SHOP_TABLES) {
    const [row] = (await db(table).count({ n: '*' })) as Array<{ n: number | string }>;
    summary[table] = Number(row.n);
  }
  return summary;
}
