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

/** A row as record() writes it; the rest (attempts, synced_at, write_seq) follows from the status and the writer. */
interface RecordedRow {
  entity_id: string;
  status: SyncStatus;
  content_hash: string | null;
  remote_id: string | null;
  error_reason: string | null;
  error_detail: string | null;
}

/** A record refused because a later writer of the entity recorded first (see createSyncState's `tokenOf`). */
export class StaleRecordError extends Error {
  constructor(type: string, ids: readonly string[]) {
    super(`A later sync of ${type} ${ids.join(', ')} recorded first; this write is redone`);
    this.name = 'StaleRecordError';
  }
}

/**
 * `tokenOf` gives the write token of the entity lock the caller holds (db/entity-lock.ts). A record with a token
 * never replaces one with a later token: a writer that lost its lock mid-sync cannot put back its older hash. Such a
 * record clears the entity's hash instead (Mailchimp may hold either write, so the next sync writes again) and
 * throws StaleRecordError, which is retryable. A record without a token (the store, a caller holding no lock) is
 * written as before.
 */
export function createSyncState(db: Knex, storeId: string, tokenOf: (type: EntityType | 'store', id: string) => number | undefined = () => undefined) {
  // In ON DUPLICATE KEY UPDATE, assignments run left to right: write_seq goes last, so every condition sees the
  // stored token, and VALUES(write_seq) is the token of the writer (NULL: none).
  const fresh = 'VALUES(write_seq) IS NULL OR write_seq IS NULL OR write_seq <= VALUES(write_seq)';
  const ifFresh = (value: string, column: string) => db.raw(`IF(${fresh}, ${value}, ${column})`);
  const merge = {
    status: ifFresh('VALUES(status)', 'status'),
    content_hash: ifFresh("IF(VALUES(status) = 'failed', content_hash, VALUES(content_hash))", 'content_hash'),
    remote_id: ifFresh('COALESCE(VALUES(remote_id), remote_id)', 'remote_id'),
    attempts: ifFresh("IF(VALUES(status) = 'failed', attempts + 1, 0)", 'attempts'),
    error_reason: ifFresh('VALUES(error_reason)', 'error_reason'),
    error_detail: ifFresh('VALUES(error_detail)', 'error_detail'),
    synced_at: ifFresh("IF(VALUES(status) = 'failed', synced_at, VALUES(synced_at))", 'synced_at'),
    write_seq: ifFresh('COALESCE(VALUES(write_seq), write_seq)', 'write_seq'),
  };

  async function recordRows(type: EntityType | 'store', rows: readonly RecordedRow[]): Promise<void> {
    if (rows.length === 0) return;
    const now = new Date();
    const tokens = new Map<string, number>();
    const inserted = rows.map((r) => {
      const token = tokenOf(type, r.entity_id);
      if (token !== undefined) tokens.set(r.entity_id, token);
      const failed = r.status === 'failed';
      return {
        store_id: storeId, entity_type: type, ...r, attempts: failed ? 1 : 0, synced_at: failed ? null : now, write_seq: token ?? null,
      };
    });
    await db('mc_sync_state').insert(inserted).onConflict(['store_id', 'entity_type', 'entity_id']).merge(merge);
    if (tokens.size === 0) return;
    const stored = (await db('mc_sync_state')
      .where({ store_id: storeId, entity_type: type })
      .whereIn('entity_id', [...tokens.keys()])
      .select('entity_id', 'write_seq')) as Array<{ entity_id: string; write_seq: string | number | null }>;
    const stale = stored.filter((r) => Number(r.write_seq) > (tokens.get(r.entity_id) ?? Infinity)).map((r) => r.entity_id);
    if (stale.length === 0) return;
    await db('mc_sync_state').where({ store_id: storeId, entity_type: type }).whereIn('entity_id', stale).update({ content_hash: null });
    throw new StaleRecordError(type, stale);
  }

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
      const failed = outcome.status === 'failed';
      await recordRows(type, [{
        entity_id: id,
        status: outcome.status,
        content_hash: outcome.contentHash ?? null,
        remote_id: outcome.remoteId ?? null,
        error_reason: failed ? (outcome.errorReason ?? 'unknown error').slice(0, 4000) : (outcome.errorReason ?? null),
        error_detail: failed ? (outcome.errorDetail ?? null) : null,
      }]);
    },

    /**
     * Records many successful writes in one statement (the backfill pages); the same rows as record() with status
     * synced (errorReason: what the entity was sent without, as record() keeps it).
     */
    async recordSyncedMany(type: EntityType, entries: ReadonlyArray<{ id: string; contentHash: string; remoteId: string; errorReason?: string | null }>): Promise<void> {
      await recordRows(type, entries.map((e) => ({
        entity_id: e.id, status: 'synced', content_hash: e.contentHash, remote_id: e.remoteId, error_reason: e.errorReason ?? null, error_detail: null,
      })));
    },

    /** Records many entities skipped with their reasons in one statement; the same rows as record() with status skipped. */
    async recordSkippedMany(type: EntityType, entries: ReadonlyArray<{ id: string; reason: string }>): Promise<void> {
      await recordRows(type, entries.map((e) => ({
        entity_id: e.id, status: 'skipped', content_hash: null, remote_id: null, error_reason: e.reason, error_detail: null,
      })));
    },

    /** The failures recorded with a reason: `type:entity id` → reason. */
    async failureReasons(): Promise<Map<string, string>> {
      const rows = (await db('mc_sync_state').where({ store_id: storeId, status: 'failed' }).select('entity_type', 'entity_id', 'error_reason')) as Array<{
        entity_type: string; entity_id: string; error_reason: string | null;
      }>;
      return new Map(rows.filter((r) => r.error_reason?.trim()).map((r) => [`${r.entity_type}:${r.entity_id}`, String(r.error_reason)]));
    },

    /** The entities the sync sent under these remote ids (any type). */
    async byRemoteIds(remoteIds: readonly string[]): Promise<Array<{ entity_type: string; entity_id: string; remote_id: string }>> {
      if (remoteIds.length === 0) return [];
      return (await db('mc_sync_state')
        .where({ store_id: storeId })
        .whereIn('remote_id', [...remoteIds])
        .select('entity_type', 'entity_id', 'remote_id')) as Array<{ entity_type: string; entity_id: string; remote_id: string }>;
    },

    /** The remote ids among these that some entity of this type is sent under and not deleted since (indexed by remote id). */
    async sentUnder(type: EntityType, remoteIds: readonly string[]): Promise<Set<string>> {
      if (remoteIds.length === 0) return new Set();
      const rows = (await db('mc_sync_state')
        .where({ store_id: storeId, entity_type: type })
        .whereIn('remote_id', [...remoteIds])
        .whereNot({ status: 'deleted' })
        .select('remote_id')) as Array<{ remote_id: string }>;
      return new Set(rows.map((r) => r.remote_id));
    },

    /** Forgets the content hash of these entities, so that their next sync writes again. */
    async forgetHashes(type: EntityType, entityIds: readonly string[]): Promise<void> {
      if (entityIds.length === 0) return;
      await db('mc_sync_state').where({ store_id: storeId, entity_type: type }).whereIn('entity_id', [...entityIds]).update({ content_hash: null });
    },

    /** Forgets the content hash of whatever the sync sent under this remote id (e.g. an item deleted from Mailchimp). */
    async forgetHashOfRemote(type: EntityType, remoteId: string): Promise<void> {
      await db('mc_sync_state').where({ store_id: storeId, entity_type: type, remote_id: remoteId }).update({ content_hash: null });
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
    /** The whole row (null: the audience member is unknown). */
    async member(emailHash: string): Promise<AudienceMemberRow | null> {
      const row = (await db('mc_audience_members').where({ list_id: listId, email_hash: emailHash }).first()) as AudienceMemberRow | undefined;
      return row ?? null;
    },
    /**
     * Creates or updates a member with what an audience event reported: `email` and `source` always, the other
     * columns only when `fields` names them (a new row without a status gets `defaultStatus`).
     */
    async report(emailHash: string, email: string, source: string, defaultStatus: string, fields: AudienceMemberFields): Promise<void> {
      const row = { list_id: listId, email_hash: emailHash, email, status: fields.status ?? defaultStatus, source, ...fields };
      await db('mc_audience_members').insert(row).onConflict(['list_id', 'email_hash']).merge(['email', 'source', ...Object.keys(fields)]);
    },
    async forget(emailHash: string): Promise<void> {
      await db('mc_audience_members').where({ list_id: listId, email_hash: emailHash }).delete();
    },
    /** When the newest audience event applied to the address was fired (null: none yet, or no such member). */
    async lastEventAt(emailHash: string): Promise<Date | null> {
      const row = (await db('mc_audience_members').where({ list_id: listId, email_hash: emailHash }).first('last_event_at')) as
        | { last_event_at: Date | null }
        | undefined;
      return row?.last_event_at ?? null;
    },
    async setLastEventAt(emailHash: string, firedAt: Date): Promise<void> {
      await db('mc_audience_members').where({ list_id: listId, email_hash: emailHash }).update({ last_event_at: firedAt });
    },
    /** A backfill phase's listing of the audience (activities/batch/audience.ts), by the listing's id. */
    listing: audienceListing(db, listId),
  };
}

/** One listing of the audience per id; starting one drops the list's others. */
function audienceListing(db: Knex, listId: string) {
  return {
    async isComplete(listing: string): Promise<boolean> {
      const row = (await db('mc_audience_listings').where({ list_id: listId, listing }).whereNotNull('completed_at').first('listing')) as object | undefined;
      return row !== undefined;
    },
    async begin(listing: string): Promise<void> {
      await db('mc_audience_listing').where({ list_id: listId }).andWhereNot({ listing }).delete();
      await db('mc_audience_listings').where({ list_id: listId }).andWhereNot({ listing }).delete();
      await db('mc_audience_listings').insert({ list_id: listId, listing }).onConflict(['list_id', 'listing']).ignore();
    },
    async add(listing: string, members: ReadonlyArray<{ emailHash: string; status: string }>): Promise<void> {
      if (members.length === 0) return;
      const rows = members.map((m) => ({ list_id: listId, listing, email_hash: m.emailHash, status: m.status }));
      await db('mc_audience_listing').insert(rows).onConflict(['list_id', 'listing', 'email_hash']).merge(['status']);
    },
    async complete(listing: string): Promise<void> {
      await db('mc_audience_listings').where({ list_id: listId, listing }).update({ completed_at: db.raw('NOW(3)') });
    },
    /** The listed status of these contacts (absent: not in the listing). */
    async statuses(listing: string, emailHashes: readonly string[]): Promise<Map<string, string>> {
      if (emailHashes.length === 0) return new Map();
      const rows = (await db('mc_audience_listing').select('email_hash', 'status')
        .where({ list_id: listId, listing }).whereIn('email_hash', [...emailHashes])) as Array<{ email_hash: string; status: string }>;
      return new Map(rows.map((r) => [r.email_hash, r.status]));
    },
  };
}

/** Columns of mc_audience_members an audience event may report. */
export interface AudienceMemberFields {
  status?: string;
  first_name?: string | null;
  last_name?: string | null;
  previous_email?: string | null;
}

export interface AudienceMemberRow {
  list_id: string;
  email_hash: string;
  email: string;
  status: string;
  source: string;
  first_name: string | null;
  last_name: string | null;
  previous_email: string | null;
  last_event_at: Date | null;
  updated_at: Date;
}

export type AudienceKnowledge = ReturnType<typeof createAudienceKnowledge>;
