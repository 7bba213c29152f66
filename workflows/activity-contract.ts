import type { EntityType } from '../mapping/entity-types';
import type { Cursor } from '../source/shop-source';

/**
 * The activities as the workflows call them: each one's name, input and result. activities/ implements them
 * (`createActivities` returns `Activities`, `createRetentionActivities` returns `RetentionActivities`) and the
 * workflows proxy them (./activities-proxy.ts). Types only: the workflows never import activities/, and activities/
 * (which starts workflows) imports this.
 */

/** How a full resync backfills (BACKFILL_MODE): the worker's setting, kept by the workflow for the whole resync. */
export type BackfillMode = 'direct' | 'batch' | 'auto';

/** What one entity sync did. `failed` carries a reason a person understands. */
export type EntityOutcome =
  | { status: 'synced' | 'unchanged' | 'deleted' | 'paused'; entityId: string }
  | { status: 'skipped'; entityId: string; reason: string }
  | { status: 'failed'; entityId: string; reason: string; detail?: string };

/** An entity's outcome with the double opt-in it started: its own wait, or its buyer's (an order's new customer). */
export type SyncOutcome = EntityOutcome & { awaitConfirmation?: boolean; customerAwaitsConfirmation?: string };

export interface PageCounts {
  synced: number;
  unchanged: number;
  skipped: number;
  failed: number;
  deleted: number;
  paused: number;
}

export interface PageResult {
  next: Cursor | null;
  counts: PageCounts;
}

/**
 * A key range of one entity type, for a full resync's pages: the rows after `after` (null: from the first) up to and
 * including `upTo` (null: to the last). Pages of different ranges run at once, on any worker.
 */
export interface PageRange {
  after: Cursor | null;
  upTo: Cursor | null;
}

export interface PagePlan {
  /** Consecutive ranges of about `limit` rows each, from `after` on. */
  ranges: PageRange[];
  /** Where the next plan starts; null when the last range is open-ended (the type is planned to its end). */
  next: Cursor | null;
}

/** One page of a backfill: the rows of a type after `after` (up to `upTo`, when given) changed before `until`. */
export interface PageInput {
  entityType: EntityType;
  after: Cursor | null;
  upTo?: Cursor | null;
  until: string;
  limit: number;
  /**
   * syncPageBatch in BACKFILL_MODE=auto's batch lane: the page's new buyers go inside their first orders as direct
   * requests, so no buyer's lock is held while a batch runs (the direct lane may need the buyer meanwhile).
   */
  buyersDirect?: boolean;
}

/**
 * The sync's activities (activities/index.ts documents each). A type, not an interface: the worker registers it as a
 * record of functions (an interface has no index signature).
 */
export type Activities = {
  syncEntityNow(input: { entityType: EntityType; entityId: string; force?: boolean }): Promise<SyncOutcome>;
  checkMemberStatus(input: { emailHash: string }): Promise<string | null>;
  recordConsentOutcome(input: { emailHash: string; status: string }): Promise<void>;
  beginFullSync(): Promise<{ startedAt: string; mode: BackfillMode }>;
  endFullSync(input: { startedAt: string; types: readonly EntityType[]; succeeded: boolean }): Promise<void>;
  syncPage(input: PageInput): Promise<PageResult>;
  syncPageBatch(input: PageInput): Promise<PageResult>;
  planPages(input: { entityType: EntityType; after: Cursor | null; until: string; limit: number; pages: number }): Promise<PagePlan>;
  pruneDeleted(input: { entityType: EntityType }): Promise<number>;
  dispatchChanges(input: { entityTypes: readonly EntityType[] }): Promise<{ dispatched: number; state: 'paused' | 'started-full-sync' | 'scanned' }>;
};

/** The maintenance activities (activities/webhook-retention.ts). */
export type RetentionActivities = {
  purgeWebhookEvents(input: { olderThanMs: number }): Promise<{ deleted: number }>;
};
