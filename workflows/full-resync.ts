import { CancellationScope, ContinueAsNew, continueAsNew, isCancellation, patched, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import { AFTER_SYNCING_TYPES, dependenciesOf, ENTITY_TYPES, PRUNED_TYPES, type EntityType, type ScanScope, TYPES_OF_SCOPE } from '../mapping/entity-types';
import type { Cursor } from '../source/shop-source';
import { autoBatchPageActivities, batchPageActivities, pageActivities } from './activities-proxy';
import { progressQuery, type LaneCounts, type ResyncProgress } from './contract';
import type { BackfillMode, PageCounts, PageRange, PageResult } from './activity-contract';
import {
  batchTakes, directTakesIn, emptyPace, expectedBatchMs, redoMs, stalledAfterPaced, takeBackAfter, type LaneView, type Pace,
} from './auto-lanes';

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
   * `direct` (a call per write), `batch` (Mailchimp batch operations) or `auto` (both lanes at once over the same
   * pages). Default: the worker's BACKFILL_MODE, as beginFullSync reports it (an activity result, so replay stays
   * deterministic).
   */
  mode?: BackfillMode;
  /**
   * Pages of one entity type in flight at once (a sliding window over key ranges), run by whichever workers poll the
   * task queue. Default 4 (direct) or 2 (batch: each page has a few batches in flight already). In auto mode: the
   * direct lane's window.
   */
  window?: number;
  /** Auto mode: the batch lane's window (pages in batches at once). Default 8 (of 250 rows). */
  batchWindow?: number;
  /** Carried across continue-as-new; never set it when starting. */
  resume?: {
    phaseIndex: number; cursor: Cursor | null; startedAt: string; pages: number; counts: Record<string, PageCounts>; mode?: BackfillMode;
    /** Ranges of the phase planned but not done yet, in key order; `cursor` is where planning goes on (after it). */
    ranges?: PageRange[];
    /** Auto mode: ranges the direct lane took back from the batch lane, not done yet (the batch lane never takes them). */
    directRanges?: PageRange[];
    /** Auto mode: the pages each lane did and took back so far; the lane's last page was taken back (it probes with one). */
    lanes?: LaneCounts;
    probing?: boolean;
    /** Auto mode: the lanes' measured times so far (the take-back rule, takeBackIn). */
    timing?: LaneTiming;
    /** Auto mode, paced lanes (AUTO_PACED): the lanes' meters of the current type and of the resync so far. */
    pace?: { type: Pace; sync: Pace };
    /** The phase's last range is planned (`cursor` is then meaningless). */
    planned?: boolean;
    /** is_syncing was lowered already (the phases of types sent after it run). */
    ended?: boolean;
    /**
     * Direct mode, types together (TYPES_TOGETHER): the types done (pages and pruning) and where each type started
     * stands; the fields above of one phase are then unused (`phaseIndex` counts the types done).
     */
    together?: { done: EntityType[]; running: TypeRun[] };
    /** Auto mode, types together (AUTO_TOGETHER): the types done and each running type's state. */
    autoTogether?: { done: EntityType[]; running: TypeState[] };
  };
}

/** Types together: one type being synced, where its planning stands and its ranges planned but not started. */
export interface TypeRun {
  type: EntityType;
  cursor: Cursor | null;
  ranges: PageRange[];
  planned: boolean;
}

/**
 * The patch (a marker in the history) of direct mode's types together: every type starts once the types it needs
 * (mapping/entity-types.ts, dependenciesOf) are done, so products, promotion rules and customers share the
 * connections instead of each waiting for the one before. Histories without the marker (a resync started by the code
 * before it) replay one type at a time, as they ran.
 */
export const TYPES_TOGETHER = 'direct-types-together';

/**
 * The patch of auto mode's paced lanes (workflows/auto-lanes.ts): each type's lanes measured on their own (rows per
 * busy second), the batch lane taking pages whenever it has room and the direct lane only those it ends no later than
 * the batch lane would end the rest. Auto histories without the marker replay the lanes taking turns, as they ran.
 */
export const AUTO_PACED = 'auto-paced-lanes';

/**
 * The patch of auto mode's types together: every type starts once the types it needs are done (as TYPES_TOGETHER in
 * direct mode), each with both lanes, the batch lane's window shared by the types running; and a type's direct lane
 * takes the type's first page before the batch lane takes any (its probe), so on a small type it is not idle while a
 * slow batch runs every page. Auto histories without the marker replay one type at a time, as they ran.
 */
export const AUTO_TOGETHER = 'auto-types-together';

/** One type being synced one lane or two: where its planning stands, its ranges not done and its lanes' meters. */
export interface TypeState {
  type: EntityType;
  cursor: Cursor | null;
  /** Ranges planned, not started, in key order. */
  ranges: PageRange[];
  planned: boolean;
  /** Auto mode: ranges the direct lane took back from the batch lane, not done yet. */
  directRanges: PageRange[];
  /** Paced lanes: this type's meters. */
  pace: Pace;
}

/** A promise settled by hand (workflow code: no timers, deterministic). */
function signal(): { settled: Promise<'freed'>; settle: () => void } {
  let settle: () => void = () => undefined;
  const settled = new Promise<'freed'>((resolve) => {
    settle = () => resolve('freed');
  });
  return { settled, settle };
}

type Lane = 'direct' | 'batch';
/** A page done (`page` null: a batch page the direct lane took back), with how long it ran (workflow time). */
interface Finished {
  id: number;
  lane: Lane;
  range: PageRange;
  page: PageResult | null;
  ms: number;
}

/** Total workflow time of the direct pages, the batch pages and the take-backs done so far (their counts: LaneCounts). */
export interface LaneTiming {
  directMs: number;
  batchMs: number;
  takeBackMs: number;
}

/** What a take-back is assumed to cost (cancel to stopped) until one is measured. */
const TAKE_BACK_GUESS_MS = 2000;

/**
 * Auto mode, once the direct lane is idle and nothing else is left to start: in how many ms to take back a batch page
 * that has run `ageMs` (0: now). Taking it back costs a take-back plus a direct page (`redo`, as measured). While no
 * batch page has finished yet, or the lane's last page was taken back (`probing`), the page waits `redo` at most (at
 * once when probing: the lane is known to be stuck). Otherwise the batch pages' mean time says when it should end:
 * taken back now if that is further away than a redo, else waited for until it is late by a redo.
 */
export function takeBackIn(ageMs: number, lanes: LaneCounts, timing: LaneTiming, probing: boolean): number {
  const mean = (total: number, n: number, none: number) => (n > 0 ? total / n : none);
  const redo = mean(timing.directMs, lanes.direct, 0) + mean(timing.takeBackMs, lanes.takenBack, TAKE_BACK_GUESS_MS);
  if (probing) return 0;
  if (lanes.batch === 0) return Math.max(0, redo - ageMs);
  const batch = timing.batchMs / lanes.batch;
  if (batch - ageMs > redo) return 0;
  return Math.max(0, batch + redo - ageMs);
}

/**
 * Auto mode: how long the busy direct lane may go without a page ending, while batch pages run, before the oldest of
 * them is taken back: three direct pages' time, and 30 s at most, well inside the 60 s a sync waits for an entity's
 * lock (db/entity-lock.ts) before its page fails and is retried. A batch page holds its own rows' locks while Mailchimp
 * runs its batch, but no buyer's (its new buyers go direct inside their first orders: `buyersDirect`), so the direct
 * lane's pages do not wait for it; the rule is kept for what else could stall them.
 */
const STALLED_AT_MOST_MS = 30_000;

export function stalledAfter(lanes: LaneCounts, timing: LaneTiming): number {
  return lanes.direct > 0 ? Math.min(STALLED_AT_MOST_MS, 3 * (timing.directMs / lanes.direct)) : STALLED_AT_MOST_MS;
}

/**
 * Auto mode: whether the batch lane takes the next of `left` pages planned. Not when the direct lane alone (`window`
 * pages at once, at its measured time a page) would finish them before a batch page (at its measured time) ends: the
 * type's last pages then never wait for a batch. Always while either lane has no measure yet, or more is to be planned.
 */
export function batchMayTake(left: number, planned: boolean, window: number, lanes: LaneCounts, timing: LaneTiming): boolean {
  if (!planned || lanes.batch === 0 || lanes.direct === 0) return true;
  return (left * (timing.directMs / lanes.direct)) / window >= timing.batchMs / lanes.batch;
}

const PAGES_PER_RUN = 100;
/** Direct pages read and record in bulk (activities/index.ts syncPage): 500 rows keep it under 0.1 queries per entity. */
const DEFAULT_PAGE_SIZE = 500;
/** Batch pages are larger: a page is a few batches of a few hundred operations each. */
const DEFAULT_BATCH_PAGE_SIZE = 1000;
const DEFAULT_WINDOW = 4;
const DEFAULT_BATCH_WINDOW = 2;
/**
 * Auto mode: pages of one batch (250 rows), so a type of a few thousand rows has enough pages for both lanes, and
 * batch pages at once (8: 2,000 operations in Mailchimp's hands).
 */
const DEFAULT_AUTO_PAGE_SIZE = 250;
const DEFAULT_AUTO_BATCH_WINDOW = 8;
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

  let laneProgress: () => Pick<ResyncProgress, 'lanes'> = () => ({});
  /** The phase (types together: the types running, joined by `+`) and how many phases are done. */
  let where = (): Pick<ResyncProgress, 'phase' | 'phaseIndex'> => ({ phase: phases[phaseIndex] ?? 'finishing', phaseIndex });
  setHandler(progressQuery, () => ({
    ...where(), phases, startedAt, pages, ...failuresOf(input.storeId, counts), counts, done, ...laneProgress(),
  }));

  let mode = resume?.mode ?? input.mode;
  if (!startedAt) {
    const begun = await pageActivities.beginFullSync();
    startedAt = begun.startedAt;
    mode ??= begun.mode ?? 'direct';
  }
  const since = startedAt;
  const batch = mode === 'batch';
  const auto = mode === 'auto';
  const pageSize = input.pageSize ?? (batch ? DEFAULT_BATCH_PAGE_SIZE : auto ? DEFAULT_AUTO_PAGE_SIZE : DEFAULT_PAGE_SIZE);
  const window = Math.max(1, Math.floor(input.window ?? (batch ? DEFAULT_BATCH_WINDOW : DEFAULT_WINDOW)));
  const fullBatchWindow = Math.max(1, Math.floor(input.batchWindow ?? DEFAULT_AUTO_BATCH_WINDOW));
  const lanes: LaneCounts = resume?.lanes ?? { direct: 0, batch: 0, takenBack: 0 };
  let probing = resume?.probing ?? false;
  const timing: LaneTiming = resume?.timing ?? { directMs: 0, batchMs: 0, takeBackMs: 0 };
  let directRanges: PageRange[] = resume?.directRanges ?? [];
  /** Pages planned ahead: both lanes' windows in auto mode. */
  const planWindow = auto ? window + fullBatchWindow : window;
  if (auto) laneProgress = () => ({ lanes: { ...lanes } });
  const together = mode === 'direct' && patched(TYPES_TOGETHER);
  const paced = auto && patched(AUTO_PACED);
  const autoTogether = paced && patched(AUTO_TOGETHER);
  /** Paced lanes: this type's meters and the resync's (a type with no measure of a lane yet uses the resync's). */
  let typePace: Pace = resume?.pace?.type ?? emptyPace();
  const syncPace: Pace = resume?.pace?.sync ?? emptyPace();

  /**
   * Direct mode: every type starts as soon as the types it needs are done (its pages and its pruning), with `window`
   * pages of it in flight; the types sent after is_syncing is lowered start once every other type is done and
   * endFullSync lowered it. Continue-as-new waits for everything in flight and carries each type's state.
   */
  async function typesTogether(): Promise<void> {
    const state = resume?.together ?? {
      done: phases.slice(0, phaseIndex),
      // A run continued from one type at a time carries its phase's planning; a new resync starts from nothing.
      running: resume && phaseIndex < phases.length && (!AFTER_SYNCING_TYPES.has(phases[phaseIndex]) || ended)
        ? [{ type: phases[phaseIndex], cursor, ranges, planned }] : [],
    };
    const finished = new Set<EntityType>(state.done);
    const runs = new Map<EntityType, TypeRun>(state.running.map((r) => [r.type, { ...r, ranges: [...r.ranges] }]));
    /** A page done (`page` null: the type's pruning). */
    interface Ended {
      id: number;
      type: EntityType;
      range: PageRange | null;
      page: PageResult | null;
    }
    const inFlight = new Map<number, Promise<Ended>>();
    /** Pages (or the pruning) of each type in flight. */
    const busy = new Map<EntityType, number>();
    const busyOf = (type: EntityType) => busy.get(type) ?? 0;
    let nextId = 0;
    let pagesThisRun = 0;
    const due = () => pagesThisRun >= pagesPerRun || workflowInfo().continueAsNewSuggested;
    const launch = (type: EntityType, run: (id: number) => Promise<Ended>) => {
      const id = nextId++;
      const running = run(id);
      // The first failure fails the resync (below); the others in flight must not count as unhandled.
      running.catch(() => undefined);
      inFlight.set(id, running);
      busy.set(type, busyOf(type) + 1);
    };
    const syncing = phases.filter((t) => !AFTER_SYNCING_TYPES.has(t));
    const ready = (type: EntityType) => !finished.has(type) && !runs.has(type) && busyOf(type) === 0
      && dependenciesOf(type).every((t) => finished.has(t) || !phases.includes(t)) && (!AFTER_SYNCING_TYPES.has(type) || ended);
    where = () => {
      const now = phases.filter((t) => runs.has(t) || busyOf(t) > 0);
      return { phase: now.length > 0 ? now.join('+') : 'finishing', phaseIndex: finished.size };
    };
    for (;;) {
      if (!ended && syncing.every((t) => finished.has(t)) && phases.some((t) => !finished.has(t))) {
        await CancellationScope.nonCancellable(() => pageActivities.endFullSync({ startedAt: since, types: phases, succeeded: true }));
        ended = true;
      }
      for (const type of phases) if (ready(type)) runs.set(type, { type, cursor: null, ranges: [], planned: false });
      await Promise.all([...runs.values()].filter((r) => r.ranges.length < window && !r.planned && !due()).map(async (r) => {
        const plan = await pageActivities.planPages({ entityType: r.type, after: r.cursor, until: since, limit: pageSize, pages: window * PLAN_WINDOWS });
        r.ranges.push(...plan.ranges);
        r.cursor = plan.next;
        r.planned = plan.next === null;
      }));
      for (const r of runs.values()) {
        while (busyOf(r.type) < window && r.ranges.length > 0 && !due()) {
          const range = r.ranges.shift() as PageRange;
          const page = { entityType: r.type, after: range.after, upTo: range.upTo, until: since, limit: pageSize };
          launch(r.type, (id) => pageActivities.syncPage(page).then((result): Ended => ({ id, type: r.type, range, page: result })));
          pagesThisRun++;
        }
      }
      // A type with every page done is pruned (then done) or done.
      let doneNow = false;
      for (const r of [...runs.values()]) {
        if (!r.planned || r.ranges.length > 0 || busyOf(r.type) > 0) continue;
        runs.delete(r.type);
        if (PRUNED_TYPES.has(r.type)) {
          launch(r.type, (id) => pageActivities.pruneDeleted({ entityType: r.type }).then((): Ended => ({ id, type: r.type, range: null, page: null })));
        } else {
          finished.add(r.type);
          doneNow = true;
        }
      }
      if (doneNow) continue;
      if (inFlight.size === 0) {
        if (phases.every((t) => finished.has(t))) break;
        if (!due()) continue;
        // Only continue-as-new stops starting pages: the pages in flight are done, the rest is carried over.
        await continueAsNew<typeof fullResyncWorkflow>({
          ...input,
          resume: {
            phaseIndex: finished.size, cursor: null, startedAt: since, pages, counts, mode, ended,
            together: { done: phases.filter((t) => finished.has(t)), running: [...runs.values()] },
          },
        });
      }
      const next = await Promise.race(inFlight.values());
      inFlight.delete(next.id);
      busy.set(next.type, busyOf(next.type) - 1);
      if (!next.page) {
        finished.add(next.type);
        continue;
      }
      counts[next.type] = add(counts[next.type], next.page.counts);
      pages++;
      // A range that grew since it was planned goes on where its page stopped.
      const run = runs.get(next.type);
      if (next.page.next && next.range && run) run.ranges.unshift({ after: next.page.next, upTo: next.range.upTo });
    }
    phaseIndex = phases.length;
  }

  let pagesThisRun = 0;
  const due = () => pagesThisRun >= pagesPerRun || workflowInfo().continueAsNewSuggested;
  /** Auto mode: batch pages in flight, of every type (types together share the batch lane's window). */
  let batchInFlightAll = 0;
  /** Auto, types together: settles when a batch page ends, so a type waiting for the batch lane's room decides again. */
  let batchFreed = signal();

  /**
   * One type's pages, both lanes in auto mode, until every page of it is done (then its pruning: 'done') or only
   * continue-as-new may go on ('due': nothing of it in flight, its state in `run`).
   */
  async function syncType(run: TypeState): Promise<'done' | 'due'> {
    const { type } = run;
    const inFlight = new Map<number, Promise<Finished>>();
    /** Auto mode: the batch pages in flight, with when each started and how to stop it. */
    const batchPages = new Map<number, { range: PageRange; started: number; scope: CancellationScope; takenBack: number | null }>();
    let directInFlight = 0;
    /** Auto mode: a timer for the next take-back due, and when it fires. */
    let wake: { at: number; fired: Promise<null> } | null = null;
    let nextId = 0;
    /** Auto mode: when a direct page of this type last ended (or the type began). */
    let directProgress = Date.now();
    /** Paced lanes: since when each lane's busy time is not counted yet (null: the lane is idle). */
    const openSince: Record<Lane, number | null> = { direct: null, batch: null };
    const inFlightOf = (lane: Lane) => (lane === 'direct' ? directInFlight : batchPages.size);
    const view = (): LaneView => {
      const now = Date.now();
      return {
        left: run.ranges.length, planned: run.planned, pageRows: pageSize, directInFlight, window, batchInFlight: batchPages.size,
        directOpenMs: openSince.direct === null ? 0 : now - openSince.direct, batchOpenMs: openSince.batch === null ? 0 : now - openSince.batch,
        pace: run.pace, prior: syncPace,
      };
    };
    /** Paced lanes: a page of `lane` ended (`rows` null: taken back): its lane's busy time so far is counted. */
    const meter = (lane: Lane, rows: number | null, ms: number) => {
      const now = Date.now();
      for (const p of [run.pace, syncPace]) {
        const m = p[lane];
        m.busyMs += now - (openSince[lane] ?? now);
        if (rows !== null) {
          m.pages++;
          m.rows += rows;
          m.pageMs += ms;
        }
      }
      openSince[lane] = inFlightOf(lane) > 0 ? now : null;
    };
    const page = (range: PageRange) => ({ entityType: type, after: range.after, upTo: range.upTo, until: since, limit: pageSize });
    const start = (lane: Lane, range: PageRange) => {
      const id = nextId++;
      const began = Date.now();
      if (paced && inFlightOf(lane) === 0) openSince[lane] = began;
      let running: Promise<Finished>;
      if (lane === 'batch' && auto) {
        // Its own scope, so the direct lane can take this page back (cancel: the activity stops its batches).
        const scope = new CancellationScope();
        const entry: { range: PageRange; started: number; scope: CancellationScope; takenBack: number | null } = { range, started: began, scope, takenBack: null };
        batchPages.set(id, entry);
        batchInFlightAll++;
        running = scope.run(() => autoBatchPageActivities.syncPageBatch({ ...page(range), buyersDirect: true })).then(
          (result): Finished => ({ id, lane, range, page: result, ms: Date.now() - began }),
          (err: unknown): Finished => {
            // Taken back: ended as cancelled, or (types together) failed while it stopped: Temporal retries no
            // activity whose cancel was asked for, and its range goes direct either way (writes are idempotent).
            if (entry.takenBack !== null && (isCancellation(err) || autoTogether)) return { id, lane, range, page: null, ms: Date.now() - entry.takenBack };
            throw err;
          },
        );
      } else {
        const run = lane === 'batch' ? batchPageActivities.syncPageBatch : pageActivities.syncPage;
        if (lane === 'direct') directInFlight++;
        running = run(page(range)).then((result): Finished => ({ id, lane, range, page: result, ms: Date.now() - began }));
      }
      // The first failure fails the resync (below); the others in flight must not count as unhandled.
      running.catch(() => undefined);
      inFlight.set(id, running);
      pagesThisRun++;
    };
    for (;;) {
      const { ranges, directRanges } = run;
      if (ranges.length < planWindow && !run.planned && !due()) {
        const plan = await pageActivities.planPages({ entityType: type, after: run.cursor, until: since, limit: pageSize, pages: planWindow * PLAN_WINDOWS });
        ranges.push(...plan.ranges);
        run.cursor = plan.next;
        run.planned = plan.next === null;
      }
      const { planned } = run;
      if (!auto) {
        while (inFlight.size < window && ranges.length > 0 && !due()) start(batch ? 'batch' : 'direct', ranges.shift() as PageRange);
      } else if (paced) {
        // The batch lane takes ranges while it has room (probing after a take-back: one page) unless the direct lane
        // alone would end the rest sooner than a batch page; the direct lane takes its taken-back ranges, and queued
        // ones while the batch lane leaves them, is probing, or is slower than the direct lane for them
        // (workflows/auto-lanes.ts).
        // Types together (AUTO_TOGETHER): the batch lane's window is shared by the types running, and a type's direct
        // lane takes its first page (its probe) before the batch lane takes any, so it is never idle while a
        // slow batch runs the type's pages.
        const batchWants = () => ranges.length > 0 && batchTakes(view());
        const batchRoom = () => batchInFlightAll < (probing ? 1 : fullBatchWindow) && batchWants();
        const directRoom = () => directInFlight < window
          && (directRanges.length > 0 || (ranges.length > 0 && (probing || !batchWants() || directTakesIn(view()) === 0)));
        const probeFirst = () => autoTogether && directInFlight === 0 && run.pace.direct.pages === 0 && directRoom();
        while (!due() && (batchRoom() || directRoom())) {
          if (!probeFirst() && batchRoom()) start('batch', ranges.shift() as PageRange);
          else start('direct', (directRanges.length > 0 ? directRanges.shift() : ranges.shift()) as PageRange);
        }
        const nothingToStart = due() || (ranges.length === 0 && directRanges.length === 0 && planned);
        const now = Date.now();
        let soonest = Infinity;
        // The direct lane left the queue to the batch lane for now: decide again when, the batch lane's pages not
        // ending, its pace has fallen enough.
        if (!due() && ranges.length > 0 && directInFlight < window) soonest = directTakesIn(view());
        const open = [...batchPages.values()].filter((e) => e.takenBack === null).sort((a, b) => a.started - b.started);
        if (nothingToStart && directInFlight < window && open.length > 0) {
          const v = view();
          const redo = redoMs(v, lanes.takenBack, timing.takeBackMs);
          const expected = expectedBatchMs(v);
          let taken = 0;
          for (const entry of open) {
            const left = takeBackAfter(now - entry.started, expected, redo, probing);
            if (left <= 0 && taken < window) {
              entry.takenBack = now;
              entry.scope.cancel();
              taken++;
            } else if (left > 0) {
              soonest = Math.min(soonest, left);
            }
          }
        } else if (directInFlight > 0 && open.length > 0) {
          const left = directProgress + stalledAfterPaced(view()) - now;
          if (left <= 0) {
            open[0].takenBack = now;
            open[0].scope.cancel();
            directProgress = now;
          } else {
            soonest = Math.min(soonest, left);
          }
        }
        const at = now + Math.max(1, Math.ceil(soonest));
        if (soonest < Infinity && (!wake || at < wake.at)) wake = { at, fired: sleep(at - now).then(() => null) };
      } else {
        // Each lane pulls the next range when it has room, so the split follows each lane's own pace; the lanes
        // take turns (batch first), so a type of a few pages gives both some. After a take-back the batch lane
        // probes with one page until a page of it ends normally again. It leaves the last pages of a type to the
        // direct lane when that would finish them before a batch page ends.
        const batchRoom = () => batchPages.size < (probing ? 1 : fullBatchWindow) && ranges.length > 0 && batchMayTake(ranges.length, planned, window, lanes, timing);
        const directRoom = () => directInFlight < window && (directRanges.length > 0 || ranges.length > 0);
        while (!due() && (batchRoom() || directRoom())) {
          if (batchRoom()) start('batch', ranges.shift() as PageRange);
          if (directRoom()) start('direct', (directRanges.length > 0 ? directRanges.shift() : ranges.shift()) as PageRange);
        }
        const nothingToStart = due() || (ranges.length === 0 && directRanges.length === 0 && planned);
        const now = Date.now();
        let soonest = Infinity;
        const open = [...batchPages.values()].filter((e) => e.takenBack === null).sort((a, b) => a.started - b.started);
        if (nothingToStart && directInFlight < window && open.length > 0) {
          // The direct lane has room and only batch pages are left: a page expected to end later than the direct
          // lane could redo it is taken back (stopped, then sent direct, takeBackIn), so a slow or stuck batch never
          // makes the sync much slower than direct alone.
          let taken = 0;
          for (const entry of open) {
            const left = takeBackIn(now - entry.started, lanes, timing, probing);
            if (left <= 0 && taken < window) {
              entry.takenBack = now;
              entry.scope.cancel();
              taken++;
            } else if (left > 0) {
              soonest = Math.min(soonest, left);
            }
          }
        } else if (directInFlight > 0 && open.length > 0) {
          // The direct lane is busy but no page of it ended for long (its rows may wait for locks a batch page holds
          // while Mailchimp finalises): the oldest batch page is taken back, which frees them.
          const left = directProgress + stalledAfter(lanes, timing) - now;
          if (left <= 0) {
            open[0].takenBack = now;
            open[0].scope.cancel();
            directProgress = now;
          } else {
            soonest = left;
          }
        }
        const at = now + Math.max(1, Math.ceil(soonest));
        if (soonest < Infinity && (!wake || at < wake.at)) wake = { at, fired: sleep(at - now).then(() => null) };
      }
      if (inFlight.size === 0) {
        if (ranges.length === 0 && directRanges.length === 0 && planned) break;
        // Only continue-as-new stops starting pages: the pages in flight are done, the rest is carried over. Types
        // together: a type with nothing in flight may be waiting for the batch lane's room, held by another type.
        if (!autoTogether || due()) return 'due';
      }
      const waits: Array<Promise<Finished | null | 'freed'>> = [...inFlight.values()];
      if (wake) waits.push(wake.fired);
      if (autoTogether) waits.push(batchFreed.settled);
      const next = await Promise.race(waits);
      if (next === 'freed') continue;
      if (next === null) {
        wake = null;
        continue;
      }
      const { id, lane, range } = next;
      inFlight.delete(id);
      if (lane === 'direct') directInFlight--;
      if (batchPages.delete(id)) {
        batchInFlightAll--;
        if (autoTogether) {
          batchFreed.settle();
          batchFreed = signal();
        }
      }
      if (paced) meter(lane, next.page === null ? null : rowsOf(next.page.counts), next.ms);
      if (next.page === null) {
        // Taken back: its batches are stopped; the direct lane sends the whole range (what a batch applied already
        // is recognised there: unchanged by its content hash, or a create Mailchimp has becomes an update).
        lanes.takenBack++;
        timing.takeBackMs += next.ms;
        directRanges.push(range);
        probing = true;
        continue;
      }
      if (auto) {
        lanes[lane]++;
        if (lane === 'direct') {
          timing.directMs += next.ms;
          directProgress = Date.now();
        }
        else {
          timing.batchMs += next.ms;
          probing = false;
        }
      }
      counts[type] = add(counts[type], next.page.counts);
      pages++;
      // A range that grew since it was planned goes on where its page stopped.
      if (next.page.next) run.ranges.unshift({ after: next.page.next, upTo: range.upTo });
    }
    if (PRUNED_TYPES.has(type)) await pageActivities.pruneDeleted({ entityType: type });
    return 'done';
  }

  /**
   * Auto mode, types together (AUTO_TOGETHER): every type starts once the types it needs are done, as in direct mode,
   * each with its lanes (syncType); the batch lane's window is shared. Continue-as-new waits for every type's pages in
   * flight and carries each type's state.
   */
  async function autoTypesTogether(): Promise<void> {
    const state = resume?.autoTogether ?? {
      done: phases.slice(0, phaseIndex),
      // A run continued from one type at a time carries its phase's state; a new resync starts from nothing.
      running: resume && phaseIndex < phases.length && (!AFTER_SYNCING_TYPES.has(phases[phaseIndex]) || ended)
        ? [{ type: phases[phaseIndex], cursor, ranges, planned, directRanges, pace: typePace }] : [],
    };
    const finished = new Set<EntityType>(state.done);
    const runs = new Map<EntityType, TypeState>(state.running.map((r) => [r.type, { ...r, ranges: [...r.ranges], directRanges: [...r.directRanges] }]));
    const going = new Map<EntityType, Promise<{ type: EntityType; outcome: 'done' | 'due' }>>();
    const syncing = phases.filter((t) => !AFTER_SYNCING_TYPES.has(t));
    const ready = (type: EntityType) => !finished.has(type) && !runs.has(type)
      && dependenciesOf(type).every((t) => finished.has(t) || !phases.includes(t)) && (!AFTER_SYNCING_TYPES.has(type) || ended);
    where = () => {
      const now = phases.filter((t) => runs.has(t));
      return { phase: now.length > 0 ? now.join('+') : 'finishing', phaseIndex: finished.size };
    };
    for (;;) {
      if (!ended && syncing.every((t) => finished.has(t)) && phases.some((t) => !finished.has(t))) {
        await CancellationScope.nonCancellable(() => pageActivities.endFullSync({ startedAt: since, types: phases, succeeded: true }));
        ended = true;
      }
      if (!due()) {
        for (const type of phases) if (ready(type)) runs.set(type, { type, cursor: null, ranges: [], planned: false, directRanges: [], pace: emptyPace() });
        for (const r of runs.values()) {
          if (going.has(r.type)) continue;
          const running = syncType(r).then((outcome) => ({ type: r.type, outcome }));
          // The first failure fails the resync (below); the others in flight must not count as unhandled.
          running.catch(() => undefined);
          going.set(r.type, running);
        }
      }
      if (going.size === 0) {
        if (phases.every((t) => finished.has(t))) break;
        // Only continue-as-new stops starting pages: the pages in flight are done, the rest is carried over.
        await continueAsNew<typeof fullResyncWorkflow>({
          ...input,
          resume: {
            phaseIndex: finished.size, cursor: null, startedAt: since, pages, counts, mode, ended, lanes, probing, timing,
            pace: { type: emptyPace(), sync: syncPace },
            autoTogether: { done: phases.filter((t) => finished.has(t)), running: [...runs.values()] },
          },
        });
      }
      const next = await Promise.race(going.values());
      going.delete(next.type);
      if (next.outcome === 'done') {
        runs.delete(next.type);
        finished.add(next.type);
      }
    }
    phaseIndex = phases.length;
  }

  try {
    if (together) await typesTogether();
    else if (autoTogether) await autoTypesTogether();
    // One type at a time: batch mode, auto resyncs started before AUTO_TOGETHER and direct ones before TYPES_TOGETHER.
    for (; !together && !autoTogether && phaseIndex < phases.length; phaseIndex++) {
      const type = phases[phaseIndex];
      if (phaseIndex === syncingPhases && !ended) {
        await CancellationScope.nonCancellable(() => pageActivities.endFullSync({ startedAt: since, types: phases, succeeded: true }));
        ended = true;
      }
      const run: TypeState = { type, cursor, ranges, planned, directRanges, pace: typePace };
      if (await syncType(run) === 'due') {
        await continueAsNew<typeof fullResyncWorkflow>({
          ...input,
          resume: {
            phaseIndex, cursor: run.cursor, ranges: run.ranges, planned: run.planned, startedAt: since, pages, counts, mode, ended,
            ...(auto ? { directRanges: run.directRanges, lanes, probing, timing } : {}),
            ...(paced ? { pace: { type: run.pace, sync: syncPace } } : {}),
          },
        });
      }
      cursor = null;
      ranges = [];
      directRanges = [];
      planned = false;
      typePace = emptyPace();
    }
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    if (!ended) await CancellationScope.nonCancellable(() => pageActivities.endFullSync({ startedAt: since, types: phases, succeeded: false }));
    throw err;
  }
  // Not cancellable: a cancel arriving now must not leave is_syncing stuck at true.
  if (!ended) await CancellationScope.nonCancellable(() => pageActivities.endFullSync({ startedAt: since, types: phases, succeeded: true }));
  done = true;
  return { phase: 'done', phaseIndex, phases, startedAt, pages, ...failuresOf(input.storeId, counts), counts, done, ...laneProgress() };
}

/** How many rows failed, and where their failed entity workflows are listed (nothing when none failed). */
export function failuresOf(storeId: string, counts: Record<string, PageCounts>): Pick<ResyncProgress, 'failures'> {
  const failed = Object.entries(counts).filter(([, c]) => c.failed > 0);
  const count = failed.reduce((n, [, c]) => n + c.failed, 0);
  if (count === 0) return {};
  const types = failed.map(([type]) => `"${type}"`).join(', ');
  return { failures: { count, query: `EntityType IN (${types}) AND ExecutionStatus="Failed" AND StoreId="${storeId}"` } };
}

/** The rows a page went through, whatever became of them. */
function rowsOf(c: PageCounts): number {
  return c.synced + c.unchanged + c.skipped + c.failed + c.deleted + c.paused;
}

function add(a: PageCounts | undefined, b: PageCounts): PageCounts {
  if (!a) return { ...b };
  return {
    synced: a.synced + b.synced, unchanged: a.unchanged + b.unchanged, skipped: a.skipped + b.skipped,
    failed: a.failed + b.failed, deleted: a.deleted + b.deleted, paused: a.paused + b.paused,
  };
}
