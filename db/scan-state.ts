import type { Knex } from 'knex';
import type { Cursor } from '../source/shop-source';

/**
 * The change scan's memory: a cursor per watched table (rows of mc_watermarks keyed by the feed's name; the main
 * tables keep their entity type's key, which the full resync moves too), and mc_scan_seen, the rows dispatched
 * inside the look-back, so re-reading them dispatches nothing.
 */
export function createScanState(db: Knex, storeId: string) {
  return {
    async cursor(feed: string): Promise<Cursor | null> {
      const row = (await db('mc_watermarks').where({ store_id: storeId, entity_type: feed }).first()) as { updated_at: Date; last_id: string } | undefined;
      return row ? { updatedAt: row.updated_at.toISOString(), id: row.last_id } : null;
    },

    async setCursor(feed: string, cursor: Cursor): Promise<void> {
      const row = { store_id: storeId, entity_type: feed, updated_at: new Date(cursor.updatedAt), last_id: cursor.id };
      await db('mc_watermarks').insert(row).onConflict(['store_id', 'entity_type']).merge(['updated_at', 'last_id']);
    },

    /** Of these (id, updatedAt) versions, the ones already dispatched, as `id@updatedAt`. */
    async seen(feed: string, rows: ReadonlyArray<{ id: string; updatedAt: string }>): Promise<Set<string>> {
      if (rows.length === 0) return new Set();
      const found = (await db('mc_scan_seen')
        .where({ store_id: storeId, feed })
        .whereIn('row_id', [...new Set(rows.map((r) => r.id))])
        .select('row_id', 'updated_at')) as Array<{ row_id: string; updated_at: Date }>;
      return new Set(found.map((r) => seenKey(r.row_id, r.updated_at.toISOString())));
    },

    async remember(feed: string, rows: ReadonlyArray<{ id: string; updatedAt: string }>): Promise<void> {
      if (rows.length === 0) return;
      await db('mc_scan_seen')
        .insert(rows.map((r) => ({ store_id: storeId, feed, row_id: r.id, updated_at: new Date(r.updatedAt) })))
        .onConflict(['store_id', 'feed', 'row_id', 'updated_at'])
        .ignore();
    },

    /** The row ids kept under a feed. */
    async rowIds(feed: string): Promise<string[]> {
      const rows = (await db('mc_scan_seen').where({ store_id: storeId, feed }).select('row_id')) as Array<{ row_id: string }>;
      return rows.map((r) => r.row_id);
    },

    /** Adds the versions kept under `from` to `to` (those it has already stay once), then empties `from`. */
    async moveSeen(from: string, to: string): Promise<void> {
      await db.raw(
        'INSERT IGNORE INTO mc_scan_seen (store_id, feed, row_id, updated_at) SELECT store_id, ?, row_id, updated_at FROM mc_scan_seen WHERE store_id = ? AND feed = ?',
        [to, storeId, from],
      );
      await db('mc_scan_seen').where({ store_id: storeId, feed: from }).delete();
    },

    /** Forgets versions older than `before` (outside the look-back), or all of a feed's (a restarted scan). */
    async forget(feed: string, before?: string): Promise<void> {
      const q = db('mc_scan_seen').where({ store_id: storeId, feed });
      if (before) q.andWhere('updated_at', '<', new Date(before));
      await q.delete();
    },
  };
}

export function seenKey(id: string, updatedAt: string): string {
  return `${id}@${updatedAt}`;
}

export type ScanState = ReturnType<typeof createScanState>;
