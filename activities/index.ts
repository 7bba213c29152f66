import { cancellationSignal, heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { FAILURE_TYPES } from '../workflows/contract';
import { notifyEntityChanged, startFullResync } from '../workflows/start';
import { coversAllTypes } from '../mapping/entity-types';
import type { Activities, PageCounts, PageInput, PageResult } from '../workflows/activity-contract';
import type { EntityType } from '../source/shop-source';
import { createAudienceSnapshots } from './batch/audience';
import { syncPageInBatches, type BatchPageEnv } from './batch/page';
import { sendEach } from './batch/send-each';
import { createContext, type SyncContext, type SyncDeps } from './context';
import { memberStatus } from './entities/customer';
import { syncEntity, type SyncOutcome } from './entities';
import { forEachConcurrent } from '../util/concurrency';
import { nextInRange, planPages } from './pages';
import { retryTransient } from './retry';
import { createScanner, fullSyncReads } from './scan';
import { setStoreSyncing, setupStore } from './store';

/** Watermarks a full resync leaves start this long before it began (late commits beyond it: CHANGE_LOOKBACK). */
export const CHANGE_LAG_MS = 2000;
const PAGE_CONCURRENCY = 12;
/** Rows per chunk of a direct page (one statement for its locks, its reads, its records: ~40 queries for 500 orders). */
const DIRECT_CHUNK = 500;

export function emptyCounts(): PageCounts {
  return { synced: 0, unchanged: 0, skipped: 0, failed: 0, deleted: 0, paused: 0 };
}

function minus(iso: string, ms: number): string {
  return new Date(new Date(iso).getTime() - ms).toISOString();
}

function disabledFailure(): ApplicationFailure {
  return ApplicationFailure.nonRetryable(
    'Mailchimp sync is turned off for this shop (shop_settings.mailchimp_sync_enabled = 0). Turn it on with `mcsync enable`.',
    FAILURE_TYPES.syncDisabled,
  );
}

/**
 * The activities, built around their dependencies (the worker wires the real ones; tests wire test ones): the
 * `Activities` of workflows/activity-contract.ts, which the workflows proxy.
 */
export function createActivities(deps: SyncDeps): Activities {
  const snapshots = createAudienceSnapshots(deps.mailchimp, deps.config.listId, deps.audience);
  const target = { storeId: deps.config.storeId, taskQueue: deps.config.taskQueue, optInTimeout: deps.config.optInTimeout };

  /**
   * A double opt-in started outside the customer's own workflow (by an order, or a page of a backfill) still needs
   * a durable wait for the confirmation: the customer workflow, started to wait only.
   */
  async function afterOutcome(outcome: SyncOutcome, inCustomerWorkflow = false): Promise<void> {
    const waiting = outcome.customerAwaitsConfirmation ?? (outcome.awaitConfirmation && !inCustomerWorkflow ? outcome.entityId : undefined);
    if (waiting) await notifyEntityChanged(await deps.temporal(), target, 'customer', waiting, { awaitConfirmation: true });
  }

  /**
   * An entity a backfill page could not send becomes a failed entity workflow (`<store>:<type>:<id>`, with its
   * search attributes): the workflow syncs it once more and fails with the same reason, so the operator finds it in the
   * Web UI (`EntityType="order" AND ExecutionStatus="Failed"`) and retries it there like any other failure.
   */
  async function surfaceFailure(type: EntityType, outcome: SyncOutcome): Promise<void> {
    if (outcome.status === 'failed') await notifyEntityChanged(await deps.temporal(), target, type, outcome.entityId);
  }

  /**
   * The page loop of both backfill modes: the page's rows, synced by activities/batch/page.ts the way `lane` sends
   * (direct requests or Mailchimp batches), each entity it could not send becoming a failed entity workflow.
   */
  async function syncPageWith(input: PageInput, lane: Pick<BatchPageEnv, 'send' | 'inlineCustomers' | 'sendBuyersDirect' | 'chunk' | 'wait'>): Promise<PageResult> {
    const ctx = await createContext(deps);
    const rows = await deps.source.changedAfter(input.entityType, input.after, input.limit, input.until, input.upTo ?? undefined);
    const counts = emptyCounts();
    const outcomes = await syncPageInBatches(ctx, {
      ...lane,
      snapshots,
      direct: async (type, id) => {
        const outcome = await retryTransient(() => syncEntity(ctx, type, id));
        await afterOutcome(outcome);
        return outcome;
      },
    }, { entityType: input.entityType, rows, phaseKey: `${input.until}:${input.entityType}` });
    for (const outcome of outcomes) {
      counts[outcome.status] += 1;
      await surfaceFailure(input.entityType, outcome);
    }
    return { next: nextInRange(rows, input.limit, input.upTo), counts };
  }

  const activities: Activities = {
    /** Syncs one entity now. A failure is returned (and recorded), not thrown, so the workflow can fail with the reason. */
    async syncEntityNow(input) {
      const ctx = await createContext(deps);
      if (!ctx.settings.mailchimpSyncEnabled) return { status: 'paused', entityId: input.entityId };
      const outcome = await syncEntity(ctx, input.entityType, input.entityId, { force: input.force });
      await afterOutcome(outcome, input.entityType === 'customer');
      return outcome;
    },

    /** The contact's audience status now, for the double opt-in wait. */
    async checkMemberStatus(input) {
      const ctx = await createContext(deps);
      const known = await deps.audience.status(input.emailHash);
      if (known === 'subscribed' || known === 'unsubscribed' || known === 'cleaned') return known;
      const record = await deps.source.customer(input.emailHash);
      return record ? memberStatus(ctx, record.email) : null;
    },

    async recordConsentOutcome(input) {
      const record = await deps.source.customer(input.emailHash);
      await deps.audience.remember(input.emailHash, record?.email ?? '', input.status, 'double-opt-in');
    },

    /**
     * Checks the switch, sets up the store and raises is_syncing. Returns the source's clock at the start and how
     * the worker is configured to backfill (BACKFILL_MODE), which the workflow keeps for the whole resync.
     */
    async beginFullSync() {
      const ctx = await createContext(deps);
      if (!ctx.settings.mailchimpSyncEnabled) throw disabledFailure();
      await setupStore(ctx);
      await setStoreSyncing(ctx, true);
      const startedAt = await deps.source.now();
      await fullSyncReads(deps, CHANGE_LAG_MS).keep(startedAt);
      return { startedAt, mode: deps.config.backfillMode };
    },

    /** Lowers is_syncing (also after a failed or cancelled sync) and, after a success, moves the watermarks. */
    async endFullSync(input) {
      const ctx = await createContext(deps);
      await setStoreSyncing(ctx, false);
      await fullSyncReads(deps, CHANGE_LAG_MS).settle(input.types, input.succeeded);
      if (!input.succeeded) return;
      const from = { updatedAt: minus(input.startedAt, CHANGE_LAG_MS), id: '0' };
      for (const type of input.types) {
        const current = await deps.state.watermark(type);
        if (!current || current.updatedAt < from.updatedAt) await deps.state.setWatermark(type, from);
      }
      if (coversAllTypes(input.types)) await deps.state.setWatermark('full_sync', { updatedAt: input.startedAt, id: '0' });
    },

    /**
     * One page of a backfill (BACKFILL_MODE=direct): every row of a type after the cursor. Like a batch page, the
     * page's rows and what they need are read in bulk under their locks, built into operations and recorded in bulk
     * (activities/batch/page.ts), but each operation is its own request (sendEach): one per entity, a new buyer
     * inside its first order. What the builders leave (updates, deletions, double opt-in, refusals) goes to the
     * entity's own sync.
     */
    async syncPage(input) {
      return syncPageWith(input, { send: (operations) => sendEach(deps.mailchimp, operations), inlineCustomers: true, chunk: DIRECT_CHUNK });
    },

    /**
     * One page of a backfill through Mailchimp batch operations (BACKFILL_MODE=batch): the same outcomes as syncPage,
     * far fewer direct calls. Re-running a page after a crash is harmless: a create Mailchimp already has falls back to
     * the direct update, and PUTs are idempotent. Cancelled (BACKFILL_MODE=auto: the direct lane takes the page back),
     * it stops its batches and ends once its chunks have (submit.ts). In the auto mode's batch lane
     * (`buyersDirect`), an order page sends its new buyers inside their first orders, one request each, so it holds
     * no buyer's lock while its batch runs (activities/batch/page.ts, sendBuyersDirect).
     */
    async syncPageBatch(input) {
      return syncPageWith(input, {
        wait: {
          onPoll: (progress) => heartbeat(progress),
          signal: cancellationSignal(),
          ...(deps.config.batchStallMs === undefined ? {} : { stallMs: deps.config.batchStallMs }),
        },
        ...(input.buyersDirect ? { sendBuyersDirect: (operations: Parameters<typeof sendEach>[1]) => sendEach(deps.mailchimp, operations) } : {}),
      });
    },

    /** Splits the next rows of a type into key ranges of a page each, so a full resync runs several pages at once. */
    async planPages(input) {
      return planPages(deps.source, input);
    },

    /** Entities the sync sent that are gone from the shop (hard-deleted rows) are deleted from Mailchimp. */
    async pruneDeleted(input) {
      const ctx = await createContext(deps);
      return prune(ctx, input.entityType);
    },

    /**
     * The scheduled change scan of some entity types (activities/scan.ts): hands every entity a changed or deleted
     * row feeds to its entity workflow, then moves the cursors. Before the first full sync it starts that instead.
     */
    async dispatchChanges(input) {
      const settings = await deps.source.settings();
      if (!settings.mailchimpSyncEnabled) return { dispatched: 0, state: 'paused' };
      const client = await deps.temporal();
      const fullSync = await deps.state.watermark('full_sync');
      if (!fullSync) {
        await startFullResync(client, deps.config, { types: 'all' }, 'first sync');
        return { dispatched: 0, state: 'started-full-sync' };
      }
      // A table without a cursor yet (new in the contract, or never changed) starts where the last full sync began.
      const dispatched = await createScanner(deps, client, target).scanTypes(input.entityTypes, fullSync);
      return { dispatched, state: 'scanned' };
    },
  };

  // Long activities heartbeat while the process lives, so a killed worker is noticed within the heartbeat timeout.
  // The entity activities too: an attempt whose worker died, or whose task never reached the worker (seen under load:
  // the server held it started, nothing ran), is retried after the heartbeat timeout instead of the start-to-close one.
  return {
    ...activities,
    syncEntityNow: whileAlive(activities.syncEntityNow),
    checkMemberStatus: whileAlive(activities.checkMemberStatus),
    recordConsentOutcome: whileAlive(activities.recordConsentOutcome),
    beginFullSync: whileAlive(activities.beginFullSync),
    endFullSync: whileAlive(activities.endFullSync),
    syncPage: whileAlive(activities.syncPage),
    // Every second: a batch page taken back (cancelled, BACKFILL_MODE=auto) learns it from a heartbeat's answer.
    syncPageBatch: whileAlive(activities.syncPageBatch, 1000),
    pruneDeleted: whileAlive(activities.pruneDeleted),
    dispatchChanges: whileAlive(activities.dispatchChanges),
  };

  async function goneFromShop(type: EntityType): Promise<string[]> {
    const sent = await deps.state.idsWithStatus(type, 'synced');
    const gone: string[] = [];
    for (let i = 0; i < sent.length; i += 1000) {
      const chunk = sent.slice(i, i + 1000);
      const existing = await deps.source.existing(type, chunk);
      gone.push(...chunk.filter((id) => !existing.has(id)));
    }
    return gone;
  }

  async function prune(ctx: SyncContext, type: EntityType): Promise<number> {
    const gone = await goneFromShop(type);
    await forEachConcurrent(gone, PAGE_CONCURRENCY, async (id) => {
      await retryTransient(() => syncEntity(ctx, type, id));
    });
    return gone.length;
  }
}

/** How often a long activity heartbeats while it runs (the workflow's heartbeat timeout is a few times this). */
export const HEARTBEAT_EVERY_MS = 5000;

/**
 * Runs a long activity with a heartbeat every HEARTBEAT_EVERY_MS, independent of its progress: the heartbeat
 * timeout then detects a dead worker (killed, out of memory) quickly, while a slow but live page (Mailchimp hanging
 * up to the client timeout) keeps its attempt. Progress stays bounded by the start-to-close timeout.
 */
export function whileAlive<A extends unknown[], R>(run: (...args: A) => Promise<R>, everyMs = HEARTBEAT_EVERY_MS): (...args: A) => Promise<R> {
  return async (...args: A) => {
    const timer = setInterval(() => heartbeat(), everyMs);
    try {
      return await run(...args);
    } finally {
      clearInterval(timer);
    }
  };
}

export type { Activities, PageCounts, PageResult, SyncOutcome };
export { retryTransient };
