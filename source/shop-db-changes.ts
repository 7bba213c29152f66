import type { Knex } from 'knex';
import { emailHashSql } from '../mapping/ids';
import type { Cursor, ShopSource } from './shop-source';
import type { QueuedChange, TableChange, WatchedTable } from './watched-tables';

/** Change detection on the shop database: keyset reads per watched table, and the trigger-fed mc_change_queue. */

/** customerIdForEmail in SQL (mapping/ids.ts), over a `??` column binding. */
const EMAIL_HASH_SQL = emailHashSql('??');

/** What each table's scan selects besides its key and updated_at (as parent_id and email_hash). */
const COLUMNS: Record<WatchedTable, { key: string; parent?: string; emailHash?: string }> = {
  shop_settings: { key: 'name' },
  products: { key: 'id' },
  product_variants: { key: 'id', parent: 'product_id' },
  promotions: { key: 'id' },
  promo_codes: { key: 'id', parent: 'promotion_id' },
  users: { key: 'id', emailHash: `${EMAIL_HASH_SQL}` },
  orders: { key: 'id', emailHash: `CASE WHEN user_id IS NULL THEN ${EMAIL_HASH_SQL} END` },
  order_lines: { key: 'id', parent: 'order_id' },
  carts: { key: 'id' },
  cart_lines: { key: 'id', parent: 'cart_id' },
};

const EMAIL_COLUMN: Partial<Record<WatchedTable, string>> = { users: 'email', orders: 'guest_email' };

/** MySQL DATETIME(3) literal in UTC for a cursor (the connection runs in UTC). */
export function sqlTime(isoString: string): string {
  return isoString.replace('T', ' ').replace('Z', '');
}

export function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** Keyset paging: rows strictly after (updatedAt, id), oldest first. */
export function afterCursor(q: Knex.QueryBuilder, after: Cursor | null, key = 'id'): Knex.QueryBuilder {
  q.orderBy([{ column: 'updated_at' }, { column: key }]);
  if (!after) return q;
  // Block bodies: a knex builder is thenable, and the grouping callback's return value is not used.
  return q.where((w) => {
    w.where('updated_at', '>', sqlTime(after.updatedAt)).orWhere((w2) => {
      w2.where('updated_at', '=', sqlTime(after.updatedAt)).andWhere(key, '>', after.id);
    });
  });
}

type ChangeMethods = Required<Pick<ShopSource, 'tableChangesAfter' | 'queuedChanges' | 'forgetQueued' | 'orderIdsNamingPromos'>>;

export function createShopDbChanges(db: Knex): ChangeMethods {
  return {
    async tableChangesAfter(table, after, limit) {
      const c = COLUMNS[table];
      const email = EMAIL_COLUMN[table];
      const columns: Array<string | Knex.Raw> = [`${c.key} as id`, 'updated_at'];
      if (c.parent) columns.push(`${c.parent} as parent_id`);
      if (c.emailHash && email) columns.push(db.raw(`${c.emailHash} as email_hash`, [email]));
      const rows = (await afterCursor(db(table).select(columns), after, c.key).limit(limit)) as Array<{
        id: string | number; updated_at: Date; parent_id?: string | number | null; email_hash?: string | null;
      }>;
      return rows.map((r): TableChange => ({
        id: String(r.id),
        updatedAt: iso(r.updated_at),
        parentId: r.parent_id === undefined || r.parent_id === null ? null : String(r.parent_id),
        emailHash: r.email_hash ?? null,
      }));
    },

    async queuedChanges(tables, limit, afterQueueId) {
      if (tables.length === 0) return [];
      const q = db('mc_change_queue').whereIn('table_name', tables).orderBy('id').limit(limit);
      if (afterQueueId) q.andWhere('id', '>', afterQueueId);
      const rows = (await q) as Array<{
        id: string | number; table_name: WatchedTable; row_id: string; parent_id: string | null; email_hash: string | null;
        event: QueuedChange['event']; promo_code?: string | null; product_id?: string | null;
      }>;
      return rows.map((r): QueuedChange => ({
        queueId: String(r.id), table: r.table_name, id: r.row_id, parentId: r.parent_id, emailHash: r.email_hash, event: r.event,
        promoCode: r.promo_code ?? null, productId: r.product_id ?? null,
      }));
    },

    async forgetQueued(queueIds) {
      if (queueIds.length > 0) await db('mc_change_queue').whereIn('id', queueIds).delete();
    },

    async orderIdsNamingPromos(lookup, afterId, limit) {
      if (lookup.codes.length === 0 && lookup.promotionIds.length === 0) return [];
      const q = db('orders').select('id').orderBy('id').limit(limit).where((w) => {
        if (lookup.codes.length > 0) w.orWhereIn('promo_code', lookup.codes);
        if (lookup.promotionIds.length > 0) w.orWhereIn('promo_code', db('promo_codes').select('code').whereIn('promotion_id', lookup.promotionIds));
      });
      if (afterId !== null) q.andWhere('id', '>', afterId);
      return ((await q) as Array<{ id: string | number }>).map((r) => String(r.id));
    },
  };
}
