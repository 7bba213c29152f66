import { CancellationScope, ContinueAsNew, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import type { PageCounts } from '../activities';
import { ENTITY_TYPES, PRUNED_TYPES, type EntityType, type ScanScope, TYPES_OF_SCOPE } from '../mapping/entity-types';
import type { Cursor } from '../source/shop-source';
import { batchPageActivities, pageActivities } from './activities-proxy';
import { progressQuery, type ResyncProgress } from './contract';

export type ResyncScope = 'all' | ScanScope;

/** Dependency order: what an order references is there before the order. */
const PHASES: Record<ResyncScope, readonly EntityType[]> = { all: ENTITY_TYPES, ...TYPES_OF_SCOPE };

export interface FullResyncInput {
  storeId: string;
  /** What to resync; `products` is "Sync All Products". Default `all`. */
  types?: ResyncScope;
  /** Rows per page (one activity). */
  pageSize?: number;
  /** Pages before the workflow continues as new (keeps its history short). */
  pagesPerRun?: number;
  /**
   * `direct` (a call per write) or `batch` (Mailchimp batch operations). Default: the worker's BACKFILL_MODE, as
   * beginFullSync reports it (an activity result, so replay stays deterministic).
   */
  mode?: 'direct' | 'batch';
  /** Carried across continue-as-new; never set it when starting. */
  resume?: { phaseIndex: number; cursor: Cursor | null; startedAt: string; pages: number; counts: Record<string, PageCounts>; mode?: 'direct' | 'batch' };
}

const PAGES_PER_RUN = 100;
const DEFAULT_PAGE_SIZE = 200;
/** Batch pages are larger: a page is a few batches of a few hundred operations each. */
const DEFAULT_BATCH_PAGE_SIZE = 1000;

/**
 * A full resync: store setup, then every row of each type in dependency order, a page per activity,
 * resumable after any crash (continue-as-new carries the cursor), with a `progress` query.
 * is_syncing is true while it runs and false after it, whether it succeeds, fails or is cancelled.
 */
export async function fullResyncWorkflow(input: FullResyncInput): Promise<ResyncProgress> {
  const scope = input.types ?? 'all';
  const known = PHASES[scope] as readonly EntityType[] | undefined;
  if (!known) throw new Error(`Unknown resync scope "${String(scope)}": use ${Object.keys(PHASES).join(', ')}`);
  const phases = [...known];
  const pagesPerRun = input.pagesPerRun ?? PAGES_PER_RUN;
  const resume = input.resume;
  let phaseIndex = resume?.phaseIndex ?? 0;
  let cursor: Cursor | null = resume?.cursor ?? null;
  let pages = resume?.pages ?? 0;
  const counts: Record<string, PageCounts> = resume?.counts ?? {};
  let startedAt = resume?.startedAt ?? null;
  let done = false;

  setHandler(progressQuery, () => ({
    phase: phases[phaseIndex] ?? 'finishing', phaseIndex, phases, startedAt, pages, ...failuresOf(input.storeId, counts), counts, done,
  }));

  let mode = resume?.mode ?? input.mode;
  if (!startedAt) {
    const begun = await pageActivities.beginFullSync();
    startedAt = begun.startedAt;
    mode ??= begun.mode ?? 'direct';
  }
  const since = startedAt;
  const batch = mode === 'batch';
  const pageSize = input.pageSize ?? (batch ? DEFAULT_BATCH_PAGE_SIZE : DEFAULT_PAGE_SIZE);
  const syncPage = batch ? batchPageActivities.syncPageBatch : pageActivities.syncPage;
  try {
    let pagesThisRun = 0;
    for (; phaseIndex < phases.length; phaseIndex++) {
      const type = phases[phaseIndex];
      do {
        if (pagesThisRun >= pagesPerRun || workflowInfo().continueAsNewSuggested) {
          await continueAsNew<typeof fullResyncWorkflow>({ ...input, resume: { phaseIndex, cursor, startedAt: since, pages, counts, mode } });
        }
        const page = await syncPage({ entityType: type, after: cursor, until: since, limit: pageSize });
        counts[type] = add(counts[type], page.counts);
        cursor = page.next;
        pages++;
        pagesThisRun++;
      } while (cursor);
      if (PRUNED_TYPES.has(type)) await pageActivities.pruneDeleted({ entityType: type });
    }
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    await CancellationScope.nonCancellable(() => pageActivities.endFullSync({ startedAt: since, types: phases, succeeded: false }));
    throw err;
  }
  // Not cancellable: a cancel arriving now must not leave is_syncing stuck at true.
  await CancellationScope.nonCancellable(() => pageActivities.endFullSync({ startedAt: since, types: phases, succeeded: true }));
  done = true;
  return { phase: 'done', phaseIndex, phases, startedAt, pages, ...failuresOf(input.storeId, counts), counts, done };
}

/** How many rows failed, and where their failed entity workflows are listed (nothing when none failed). */
export function failuresOf(storeId: string, counts: Record<string, PageCounts>): Pick<ResyncProgress, 'failures'> {
  const failed = Object.entries(counts).filter(([, c]) => c.failed > 0);
  const count = failed.reduce((n, [, c]) => n + c.failed, 0);
  if (count === 0) return {};
  const types = failed.map(([type]) => `"${type}"`).join(', ');
  return { failures: { count, query: `EntityType IN (${types}) AND ExecutionStatus="Failed" AND StoreId="${storeId}"` } };
}

function add(a: PageCounts | undefined, b: PageCounts): PageCounts {
  if (!a) return { ...b };
  return {
    synced: a.synced + b.synced, unchanged: a.unchanged + b.unchanged, skipped: a.skipped + b.skipped,
    failed: a.failed + b.failed, deleted: a.deleted + b.deleted, paused: a.paused + b.paused,
  };
}
