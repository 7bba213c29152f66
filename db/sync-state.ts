import type { Knex } from 'knex';
import type { Cursor, EntityType } from '../source/shop-source';

/** The sync's memory, one row per (store, entity type, entity id) in mc_sync_state, plus watermarks and audience knowledge. */

export type SyncStatus = 'pending' | 'synced' | 'failed' | 'skipped' | 'deleted';

export interface SyncStateRow {
  store_id: string;
  entity_type: string;
  entity_id: string;
  status: SyncStatus;
  content_hash: string | null;
  remote_id: string | null;
  attempts: number;
  error_reason: string | null;
  error_detail: string | null;
  synced_at: Date | null;
  updated_at: Date;
}

export interface SyncOutcome {
  status: SyncStatus;
  contentHash?: string | null;
  remoteId?: string | null;
  errorReason?: string | null;
  errorDetail?: string | null;
}

export function createSyncState(db: Knex, storeId: string) {
  return {
    async get(type: EntityType | 'store', id: string): Promise<SyncStateRow | null> {
      const row = (await db('mc_sync_state').where({ store_id: storeId, entity_type: type, entity_id: id }).first()) as SyncStateRow | undefined;
      return row ?? null;
    },

    async getMany(type: EntityType, ids: string[]): Promise<Map<string, SyncStateRow>> {
      if (ids.length === 0) return new Map();
      const rows = (await db('mc_sync_state').where({ store_id: storeId, entity_type: type }).whereIn('entity_id', ids)) as SyncStateRow[];
      return new Map(rows.map((r) => [r.entity_id, r]));
    },

    async record(type: EntityType | 'store', id: string, outcome: SyncOutcome): Promise<void> {
      const now = new Date();
      const failed = outcome.status === 'failed';
      const row = {
        store_id: storeId,
        entity_type: type,
        entity_id: id,
        status: outcome.status,
        content_hash: outcome.contentHash ?? null,
        remote_id: outcome.remoteId ?? null,
        attempts: 1,
        error_reason: failed ? (outcome.errorReason ?? 'unknown error').slice(0, 4000) : (outcome.errorReason ?? null),
        error_detail: failed ? (outcome.errorDetail ?? null) : null,
        synced_at: failed ? null : now,
      };
      await db('mc_sync_state')
        .insert(row)
        .onConflict(['store_id', 'entity_type', 'entity_id'])
        .merge({
          status: row.status,
          content_hash: failed ? db.raw('content_hash') : row.content_hash,
          remote_id: row.remote_id ?? db.raw('remote_id'),
          attempts: failed ? db.raw('attempts + 1') : 0,
          error_reason: row.error_reason,
          error_detail: row.error_detail,
          synced_at: failed ? db.raw('synced_at') : now,
        });
    },

    /** Records many successful writes in one statement (the batch backfill); the same row as record() with status synced. */
    async recordSyncedMany(type: EntityType, entries: ReadonlyArray<{ id: string; contentHash: string; remoteId: string }>): Promise<void> {
      if (entries.length === 0) return;
      const now = new Date();
      const rows = entries.map((e) => ({
        store_id: storeId, entity_type: type, entity_id: e.id, status: 'synced', content_hash: e.contentHash, remote_id: e.remoteId,
        attempts: 0, error_reason: null, error_detail: null, synced_at: now,
      }));
      await db('mc_sync_state')
        .insert(rows)
        .onConflict(['store_id', 'entity_type', 'entity_id'])
        .merge(['status', 'content_hash', 'remote_id', 'attempts', 'error_reason', 'error_detail', 'synced_at']);
    },

    async idsWithStatus(type: EntityType, status: SyncStatus): Promise<string[]> {
      const rows = (await db('mc_sync_state').where({ store_id: storeId, entity_type: type, status }).select('entity_id')) as Array<{ entity_id: string }>;
      return rows.map((r) => r.entity_id);
    },

    async countsByStatus(): Promise<Array<{ entity_type: string; status: SyncStatus; n: number }>> {
      const rows = (await db('mc_sync_state').where({ store_id: storeId }).select('entity_type', 'status').count('* as n').groupBy('entity_type', 'status')) as Array<{ entity_type: string; status: SyncStatus; n: number | string }>;
      return rows.map((r) => ({ ...r, n: Number(r.n) }));
    },

    async failures(type: EntityType | undefined, limit: number): Promise<SyncStateRow[]> {
      const q = db('mc_sync_state').where({ store_id: storeId, status: 'failed' }).orderBy('updated_at', 'desc').limit(limit);
      if (type) q.andWhere({ entity_type: type });
      return (await q) as SyncStateRow[];
    },

    /** Entities sent without some of their parts (a product without its refused variants): synced, with a reason. */
    async partlySent(type: EntityType | undefined, limit: number): Promise<SyncStateRow[]> {
      const q = db('mc_sync_state').where({ store_id: storeId, status: 'synced' }).whereNotNull('error_reason').orderBy('updated_at', 'desc').limit(limit);
      if (type) q.andWhere({ entity_type: type });
      return (await q) as SyncStateRow[];
    },

    async watermark(type: EntityType | 'full_sync'): Promise<Cursor | null> {
      const row = (await db('mc_watermarks').where({ store_id: storeId, entity_type: type }).first()) as { updated_at: Date; last_id: string } | undefined;
      return row ? { updatedAt: row.updated_at.toISOString(), id: row.last_id } : null;
    },

    async setWatermark(type: EntityType | 'full_sync', cursor: Cursor): Promise<void> {
      const row = { store_id: storeId, entity_type: type, updated_at: new Date(cursor.updatedAt), last_id: cursor.id };
      await db('mc_watermarks').insert(row).onConflict(['store_id', 'entity_type']).merge(['updated_at', 'last_id']);
    },

    async clearWatermarks(): Promise<void> {
      await db('mc_watermarks').where({ store_id: storeId }).delete();
    },
  };
}

export type SyncState = ReturnType<typeof createSyncState>;

/** What the sync knows of the audience: statuses read from Mailchimp or reported by its webhooks. */
export function createAudienceKnowledge(db: Knex, listId: string) {
  return {
    async status(emailHash: string): Promise<string | null> {
      const row = (await db('mc_audience_members').where({ list_id: listId, email_hash: emailHash }).first()) as { status: string } | undefined;
      return row?.status ?? null;
    },
    async remember(emailHash: string, email: string, status: string, source: string): Promise<void> {
      await db('mc_audience_members')
        .insert({ list_id: listId, email_hash: emailHash, email, status, source })
        .onConflict(['list_id', 'email_hash'])
        .merge(['email', 'status', 'source']);
    },
  };
}

export type AudienceKnowledge = ReturnType<typeof createAudienceKnowledge>;
