import { heartbeat } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { notifyEntityChanged, type EntityTarget } from '../workflows/start';
import { toMs } from '../config/duration';
import { seenKey } from '../db/scan-state';
import type { Cursor, EntityType } from '../source/shop-source';
import {
  distinctEntities, entitiesOf, MAIN_TABLE, promoLookup, SETTINGS_FEEDING, STORE_SETTINGS, TABLES_FEEDING,
  type EntityRef, type PromoLookup, type TableChange, type WatchedTable,
} from '../source/watched-tables';
import { createContext, type SyncDeps } from './context';
import { forEachConcurrent } from '../util/concurrency';
import { cartOptionsOf } from './entities/cart';
import { setupStore } from './store';
import { AFTER_SYNCING_TYPES, ENTITY_TYPES } from '../mapping/entity-types';

/**
 * The change scan of some entity types (docs/shop-database.md, "How changes are noticed"): for every table that
 * feeds them, the rows whose (updated_at, id) passed the table's cursor, re-read from CHANGE_LOOKBACK before it
 * so a late commit is still found (versions already dispatched are skipped), then what the delete triggers queued.
 */

export const DEFAULT_CHANGE_LOOKBACK = '5m';
const PAGE = 500;
const DISPATCH_CONCURRENCY = 8;
/** Where a restarted scan begins: before any row. */
const BEGINNING: Cursor = { updatedAt: '1970-01-01T00:00:00.000Z', id: '0' };

/**
 * The cursor of a table: its entity type's watermark for a main table (the full resync moves those), else its name;
 * shop_settings has one per entity type that reads it, so no scan moves another scan's cursor.
 */
export function feedKey(table: WatchedTable, type: EntityType): string {
  if (table === 'shop_settings') return `shop_settings:${type}`;
  return MAIN_TABLE[table] ?? table;
}

/** Where a scan re-reads from: the look-back before the cursor, from the smallest id. */
export function rereadFrom(cursor: Cursor, lookbackMs: number): Cursor {
  return { updatedAt: new Date(new Date(cursor.updatedAt).getTime() - lookbackMs).toISOString(), id: '0' };
}

/** The later of two keyset positions. */
export function laterOf(a: Cursor, b: Cursor): Cursor {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt > b.updatedAt ? a : b;
  return compareIds(a.id, b.id) >= 0 ? a : b;
}

/** Ids compare as the database does: numerically when both are whole numbers. */
function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return a.length !== b.length ? a.length - b.length : a.localeCompare(b);
  return a.localeCompare(b);
}

/** Where the versions a full sync will read wait for its end, per feed (see fullSyncReads). */
const PENDING_PREFIX = 'full_sync:';
/** The queued promo changes a full sync answers (kept by queue id). */
const PENDING_PROMOS = `${PENDING_PREFIX}promo_changed`;
const PROMO_TABLES: readonly WatchedTable[] = ['promotions', 'promo_codes'];

/** Each feed (cursor key) of the tables a type's full-sync pages read, with its table: settings aside. */
function rowFeedsOf(types: readonly EntityType[]): Map<string, WatchedTable> {
  const feeds = new Map<string, WatchedTable>();
  for (const type of types) {
    for (const table of TABLES_FEEDING[type]) if (table !== 'shop_settings') feeds.set(feedKey(table, type), table);
  }
  return feeds;
}

/**
 * What a full sync read counts as dispatched. The first scans after a full sync re-read the look-back before its
 * watermark; without this, every row changed in the look-back before the sync began (a shop just imported, a bulk
 * edit) went to its entity workflow once more, one workflow per entity, with nothing to send (the content hash) but
 * queued in front of the next real change on the task queue. At the start (beginFullSync), before any page reads,
 * the versions then visible inside that window are kept aside (every page reads them, or a newer version, which is
 * not kept); a successful end moves them to their feeds' seen versions, a failed one drops them. A version committed
 * later (a late commit the pages missed) is not among them, so the look-back still finds it. Types sent after
 * is_syncing is lowered (carts) run after the end: their versions are dropped, and the scan looks at them as before.
 * The same for the promo changes the triggers queued before the start (a code added, renamed, moved; a discount type
 * changed): they only ask for the orders naming the code to be looked at again, which the orders phase does, so a
 * successful sync that included orders removes those entries from the queue (a shop's codes imported before the first
 * sync no longer send every order naming one to its workflow). Deletions and e-mail changes stay queued: the full
 * sync does not remove what is gone from the shop for every type.
 * Costs one keyset read per table of the rows changed inside the look-back, and one read of the queued promo changes.
 */
export function fullSyncReads(deps: SyncDeps, lagMs: number) {
  const { source, scan } = deps;
  const lookbackMs = toMs(deps.config.changeLookback ?? DEFAULT_CHANGE_LOOKBACK);
  const all = rowFeedsOf(ENTITY_TYPES);
  return {
    /** Keeps aside the versions with updated_at in [startedAt − lag − look-back, startedAt] (what the first scans re-read). */
    async keep(startedAt: string): Promise<void> {
      const from: Cursor = { updatedAt: new Date(new Date(startedAt).getTime() - lagMs - lookbackMs - 1).toISOString(), id: '0' };
      for (const [feed, table] of all) {
        const pending = PENDING_PREFIX + feed;
        await scan.forget(pending);
        if (!source.tableChangesAfter) continue;
        let cursor: Cursor | null = from;
        while (cursor) {
          const rows = await source.tableChangesAfter(table, cursor, PAGE);
          const inside = rows.filter((r) => r.updatedAt <= startedAt);
          await scan.remember(pending, inside);
          heartbeat({ table, kept: inside.length });
          const last = rows[rows.length - 1];
          cursor = rows.length === PAGE && inside.length === rows.length ? { updatedAt: last.updatedAt, id: last.id } : null;
        }
      }
      await scan.forget(PENDING_PROMOS);
      if (!source.queuedChanges) return;
      for (let after: string | null = null; ;) {
        const queued = await source.queuedChanges(PROMO_TABLES, PAGE, after);
        await scan.remember(PENDING_PROMOS, queued.filter((q) => q.event === 'promo_changed').map((q) => ({ id: q.queueId, updatedAt: startedAt })));
        heartbeat({ queue: PROMO_TABLES, kept: queued.length });
        if (queued.length < PAGE) break;
        after = queued[queued.length - 1].queueId;
      }
    },

    /** After the full sync of `types`: its kept versions become seen (a success) or are dropped. */
    async settle(types: readonly EntityType[], succeeded: boolean): Promise<void> {
      const sent = succeeded ? rowFeedsOf(types.filter((t) => !AFTER_SYNCING_TYPES.has(t))) : new Map<string, WatchedTable>();
      for (const feed of all.keys()) {
        if (sent.has(feed)) await scan.moveSeen(PENDING_PREFIX + feed, feed);
        else await scan.forget(PENDING_PREFIX + feed);
      }
      if (succeeded && types.includes('order') && source.forgetQueued) {
        const ids = await scan.rowIds(PENDING_PROMOS);
        for (let i = 0; i < ids.length; i += PAGE) await source.forgetQueued(ids.slice(i, i + PAGE));
      }
      await scan.forget(PENDING_PROMOS);
    },
  };
}

export function createScanner(deps: SyncDeps, client: Client, target: EntityTarget) {
  const { source, scan } = deps;
  const lookbackMs = toMs(deps.config.changeLookback ?? DEFAULT_CHANGE_LOOKBACK);
  let dispatched = 0;

  async function dispatch(refs: EntityRef[]): Promise<void> {
    const distinct = distinctEntities(refs);
    await forEachConcurrent(distinct, DISPATCH_CONCURRENCY, (r) => notifyEntityChanged(client, target, r.type, r.id, { coalesceMs: 0 }).then(() => undefined));
    dispatched += distinct.length;
  }

  /** A table's rows changed since its cursor (and inside the look-back before it) that were not dispatched yet. */
  async function scanTable(table: WatchedTable, type: EntityType, start: Cursor, onFresh: (rows: TableChange[]) => Promise<void>): Promise<void> {
    const key = feedKey(table, type);
    // Settings are single-row writes, not long checkouts: no look-back, so a full sync's own settings never look new.
    const lookback = table === 'shop_settings' ? 0 : lookbackMs;
    const mark = (await scan.cursor(key)) ?? start;
    let newest = mark;
    let cursor: Cursor | null = rereadFrom(mark, lookback);
    while (cursor) {
      const rows = await readTable(table, cursor);
      const seen = await scan.seen(key, rows);
      const fresh = rows.filter((r) => !seen.has(seenKey(r.id, r.updatedAt)));
      await onFresh(fresh);
      await scan.remember(key, fresh);
      const last = rows[rows.length - 1];
      if (last) {
        newest = laterOf(newest, { updatedAt: last.updatedAt, id: last.id });
        await scan.setCursor(key, newest);
        // Versions before the next scan's re-read start are never compared again.
        await scan.forget(key, rereadFrom(newest, lookback).updatedAt);
      }
      heartbeat({ table, dispatched });
      cursor = rows.length === PAGE ? { updatedAt: last.updatedAt, id: last.id } : null;
    }
  }

  async function readTable(table: WatchedTable, after: Cursor): Promise<TableChange[]> {
    if (source.tableChangesAfter) return source.tableChangesAfter(table, after, PAGE);
    // A source without per-table reads (Stripe): only the main table, by its entity type's own read.
    const type = MAIN_TABLE[table];
    if (!type) return [];
    const rows = await source.changedAfter(type, after, PAGE);
    return rows.map((r) => ({ id: r.id, updatedAt: r.updatedAt, parentId: null, emailHash: type === 'customer' ? r.entityId : null }));
  }

  /** Rows the delete and e-mail triggers queued: each dispatched, then removed from the queue. */
  async function drainQueue(tables: readonly WatchedTable[]): Promise<void> {
    if (!source.queuedChanges || !source.forgetQueued) return;
    for (;;) {
      const queued = await source.queuedChanges(tables, PAGE);
      await dispatch(queued.flatMap((q) => entitiesOf(q.table, q, q.event)));
      for (const table of new Set(queued.map((q) => q.table))) {
        await dispatchCarts(table, queued.filter((q) => q.table === table && q.event === 'delete'));
      }
      await dispatchOrdersNaming(promoLookup(queued));
      await source.forgetQueued(queued.map((q) => q.queueId));
      heartbeat({ queue: tables, dispatched });
      if (queued.length < PAGE) return;
    }
  }

  /** A changed row's entities, and the carts it changes (cartsReached). */
  async function dispatchRows(table: WatchedTable, rows: TableChange[]): Promise<void> {
    await dispatch(rows.flatMap((r) => entitiesOf(table, r)));
    await dispatchCarts(table, rows);
  }

  /**
   * Carts are built from more than their rows: an order placed or changed may convert carts of its buyer; a product
   * or variant changed or deleted may stop a cart line from being sent; a user's e-mail changed or the user deleted
   * changes the buyer of their carts.
   */
  async function dispatchCarts(table: WatchedTable, rows: ReadonlyArray<{ id: string; parentId: string | null }>): Promise<void> {
    if (rows.length === 0) return;
    let ids: string[] = [];
    if (table === 'orders' && source.cartIdsForOrders) ids = await source.cartIdsForOrders(rows.map((r) => r.id));
    else if (source.cartIdsNaming && (table === 'products' || table === 'product_variants' || table === 'users')) {
      const keys = rows.flatMap((r) => (table === 'product_variants' ? (r.parentId === null ? [] : [r.parentId]) : [r.id]));
      ids = await source.cartIdsNaming(table === 'users' ? { productIds: [], userIds: keys } : { productIds: keys, userIds: [] });
    }
    await dispatch(ids.map((id) => ({ type: 'cart', id })));
  }

  /**
   * Carts in Mailchimp that aged out (no change for CART_MAX_AGE) change no row: each cart scan looks at the carts the
   * sync sent (indexed reads, 500 at a time) and hands the aged ones to their workflows, which delete them.
   */
  async function dispatchAgedCarts(): Promise<void> {
    if (!source.cartIdsUnchangedSince) return;
    const since = new Date(new Date(await source.now()).getTime() - cartOptionsOf(deps.config, new Date().toISOString()).maxAgeMs).toISOString();
    const sent = await deps.state.idsWithStatus('cart', 'synced');
    for (let i = 0; i < sent.length; i += PAGE) {
      await dispatch((await source.cartIdsUnchangedSince(sent.slice(i, i + PAGE), since)).map((id) => ({ type: 'cart', id })));
      heartbeat({ agedCarts: i, dispatched });
    }
  }

  /** The orders whose promos a promo change alters (their type is the code's promotion's), a page at a time. */
  async function dispatchOrdersNaming(lookup: PromoLookup): Promise<void> {
    if (!source.orderIdsNamingPromos) return;
    let after: string | null = null;
    for (;;) {
      const ids = await source.orderIdsNamingPromos(lookup, after, PAGE);
      await dispatch(ids.map((id) => ({ type: 'order', id })));
      if (ids.length < PAGE) return;
      after = ids[ids.length - 1];
      heartbeat({ orders: after, dispatched });
    }
  }

  /**
   * The store is built from store_name, store_domain and store_currency (the product scan sets it up again); product
   * and variant URLs and promo redemption URLs from the domain too (and prices are checked against the currency): a
   * change of either restarts the type's own scan from the beginning, which re-dispatches every product or code once.
   */
  async function settingsChanged(type: EntityType, rows: TableChange[]): Promise<void> {
    const names = new Set(rows.map((r) => r.id));
    if (type === 'product' && [...names].some((n) => STORE_SETTINGS.has(n)) && !(await storeSetUp())) return;
    if (![...names].some((n) => SETTINGS_FEEDING[type]?.has(n))) return;
    const main = TABLES_FEEDING[type].find((t) => MAIN_TABLE[t] === type);
    if (!main) return;
    await scan.forget(feedKey(main, type));
    await scan.setCursor(feedKey(main, type), BEGINNING);
  }

  async function storeSetUp(): Promise<boolean> {
    try {
      await setupStore(await createContext(deps));
    } catch (err) {
      if (!(err instanceof ApplicationFailure && err.nonRetryable)) throw err;
      // A store Mailchimp cannot change (another currency): recorded where `mcsync errors` shows it, and nothing is
      // re-sent against settings the store refuses; the other changes keep flowing.
      await deps.state.record('store', deps.config.storeId, { status: 'failed', errorReason: err.message });
      return false;
    }
    await deps.state.record('store', deps.config.storeId, { status: 'synced', remoteId: deps.config.storeId });
    return true;
  }

  return {
    /** Scans every table feeding these types; `start` is where a table without a cursor yet begins (the last full sync). */
    async scanTypes(types: readonly EntityType[], start: Cursor): Promise<number> {
      for (const type of types) {
        for (const table of TABLES_FEEDING[type]) {
          await scanTable(table, type, start, (rows) => (table === 'shop_settings' ? settingsChanged(type, rows) : dispatchRows(table, rows)));
        }
        await drainQueue(TABLES_FEEDING[type]);
        if (type === 'cart') await dispatchAgedCarts();
      }
      return dispatched;
    },
  };
}
