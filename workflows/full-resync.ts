import { CancellationScope, ContinueAsNew, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import type { PageCounts, PageResult } from '../activities';
import type { PageRange } from '../activities/pages';
import { AFTER_SYNCING_TYPES, ENTITY_TYPES, PRUNED_TYPES, type EntityType, type ScanScope, TYPES_OF_SCOPE } from '../mapping/entity-types';
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
  /**
   * Pages of one entity type in flight at once (a sliding window over key ranges), run by whichever workers poll the
   * task queue. Default 4 (direct) or 2 (batch: each page has a few batches in flight already).
   */
  window?: number;
  /** Carried across continue-as-new; never set it when starting. */
  resume?: {
    phaseIndex: number; cursor: Cursor | null; startedAt: string; pages: number; counts: Record<string, PageCounts>; mode?: 'direct' | 'batch';
    /** Ranges of the phase planned but not done yet, in key order; `cursor` is where planning goes on (after it). */
    ranges?: PageRange[];
    /** The phase's last range is planned (`cursor` is then meaningless). */
    planned?: boolean;
    /** is_syncing was lowered already (the phases of types sent after it run). */
    ended?: boolean;
  };
}

const PAGES_PER_RUN = 100;
/** Direct pages read and record in bulk (activities/index.ts syncPage): 500 rows keep it under 0.1 queries per entity. */
const DEFAULT_PAGE_SIZE = 500;
/** Batch pages are larger: a page is a few batches of a few hundred operations each. */
const DEFAULT_BATCH_PAGE_SIZE = 1000;
const DEFAULT_WINDOW = 4;
const DEFAULT_BATCH_WINDOW = 2;
/** Ranges planned at a time, in windows (one query reading only the rows' keys). */
const PLAN_WINDOWS = 2;

/**
 * A full resync: store setup, then every row of each type in dependency order (a type's pages all finish before the
 * next type's start), a page per activity, `window` pages of a type at once over consecutive key ranges (planned
 * ahead by reading only the keys), so every worker polling the task queue runs some. Resumable after any crash:
 * continue-as-new waits for the pages in flight, then carries the ranges not done and where planning stands.
 * A `progress` query.
 * is_syncing is true while it runs and false after it, whether it succeeds, fails or is cancelled. The types sent only
 * once is_syncing is false (carts: Mailchimp's automations ignore what arrives while the store syncs) run last, after
 * endFullSync lowered it.
 */
export async function fullResyncWorkflow(input: FullResyncInput): Promise<ResyncProgress> {
  const scope = input.types ?? 'all';
  const known = PHASES[scope] as readonly EntityType[] | undefined;
  if (!known) throw new Error(`Unknown resync scope "${String(scope)}": use ${Object.keys(PHASES).join(', ')}`);
  // The types Mailchimp's automations need sent once is_syncing is false (carts) come after endFullSync lowered it.
  const phases = [...known.filter((t) => !AFTER_SYNCING_TYPES.has(t)), ...known.filter((t) => AFTER_SYNCING_TYPES.has(t))];
  const syncingPhases = phases.filter((t) => !AFTER_SYNCING_TYPES.has(t)).length;
  const pagesPerRun = input.pagesPerRun ?? PAGES_PER_RUN;
  const resume = input.resume;
  let phaseIndex = resume?.phaseIndex ?? 0;
  let cursor: Cursor | null = resume?.cursor ?? null;
  // A run continued from before windows (a cursor only) plans from its cursor.
  let ranges: PageRange[] = resume?.ranges ?? [];
  let planned = resume?.planned ?? false;
  let pages = resume?.pages ?? 0;
  const counts: Record<string, PageCounts> = resume?.counts ?? {};
  let startedAt = resume?.startedAt ?? null;
  let done = false;
  let ended = resume?.ended ?? false;

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
  const window = Math.max(1, Math.floor(input.window ?? (batch ? DEFAULT_BATCH_WINDOW : DEFAULT_WINDOW)));
  try {
    let pagesThisRun = 0;
    for (; phaseIndex < phases.length; phaseIndex++) {
      const type = phases[phaseIndex];
      if (phaseIndex === syncingPhases && !ended) {
        await CancellationScope.nonCancellable(() => pageActivities.endFullSync({ startedAt: since, types: phases, succeeded: true }));
        ended = true;
      }
      const inFlight = new Map<number, Promise<{ id: number; range: PageRange; page: PageResult }>>();
      let nextId = 0;
      const due = () => pagesThisRun >= pagesPerRun || workflowInfo().continueAsNewSuggested;
      for (;;) {
        if (ranges.length < window && !planned && !due()) {
          const plan = await pageActivities.planPages({ entityType: type, after: cursor, until: since, limit: pageSize, pages: window * PLAN_WINDOWS });
          ranges.push(...plan.ranges);
          cursor = plan.next;
          planned = plan.next === null;
        }
        while (inFlight.size < window && ranges.length > 0 && !due()) {
          const range = ranges.shift() as PageRange;
          const id = nextId++;
          const running = syncPage({ entityType: type, after: range.after, upTo: range.upTo, until: since, limit: pageSize }).then((page) => ({ id, range, page }));
          // The first failure fails the resync (below); the others in flight must not count as unhandled.
          running.catch(() => undefined);
          inFlight.set(id, running);
          pagesThisRun++;
        }
        if (inFlight.size === 0) {
          if (ranges.length === 0 && planned) break;
          // Only continue-as-new stops starting pages: the pages in flight are done, the rest is carried over.
          await continueAsNew<typeof fullResyncWorkflow>({ ...input, resume: { phaseIndex, cursor, ranges, planned, startedAt: since, pages, counts, mode, ended } });
        }
        const { id, range, page } = await Promise.race(inFlight.values());
        inFlight.delete(id);
        counts[type] = add(counts[type], page.counts);
        pages++;
        // A range that grew since it was planned goes on where its page stopped.
        if (page.next) ranges.unshift({ after: page.next, upTo: range.upTo });
      }
      if (PRUNED_TYPES.has(type)) await pageActivities.pruneDeleted({ entityType: type });
      cursor = null;
      ranges = [];
      planned = false;
    }
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    if (!ended) await CancellationScope.nonCancellable(() => pageActivities.endFullSync({ startedAt: since, types: phases, succeeded: false }));
    throw err;
  }
  // Not cancellable: a cancel arriving now must not leave is_syncing stuck at true.
  if (!ended) await CancellationScope.nonCancellable(() => pageActivities.endFullSync({ startedAt: since, types: phases, succeeded: true }));
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
