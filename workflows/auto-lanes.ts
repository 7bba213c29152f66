/**
 * BACKFILL_MODE=auto, paced lanes (patch AUTO_PACED, workflows/full-resync.ts): which lane takes the next page of a
 * type, from what each lane measurably did. Pure functions of the workflow's own measures (workflow time), so the
 * workflow stays deterministic and the rules are unit-tested (test/unit/workflows/auto-lanes.test.ts).
 *
 * A lane's pace is its rows over its busy time (time with at least one of its pages in flight): the direct lane's
 * pages share the key's connections, so their rows per second hardly depend on how many are in flight, and a batch
 * page's time says little about the batch lane's rows per second with eight of them in Mailchimp's hands at once. The
 * batch lane takes a page whenever it has room (unless the direct lane alone would finish the rest sooner than one
 * batch page ends); the direct lane takes one only when, at the measured paces, it finishes it no later than the batch
 * lane would finish the queue left, so neither lane holds the type's barrier (every page of a type ends before the
 * next type starts) with pages the other would have done sooner.
 */

/** What one lane did: pages ended normally, their rows and summed workflow time, and the lane's busy time. */
export interface LaneMeter {
  pages: number;
  rows: number;
  pageMs: number;
  /** Time with at least one page of the lane in flight, up to the lane's last page end (taken-back pages count). */
  busyMs: number;
}

/** Both lanes' meters: of the type being synced, or of the whole resync so far (the prior of a type with none yet). */
export interface Pace {
  direct: LaneMeter;
  batch: LaneMeter;
}

export function emptyPace(): Pace {
  return { direct: { pages: 0, rows: 0, pageMs: 0, busyMs: 0 }, batch: { pages: 0, rows: 0, pageMs: 0, busyMs: 0 } };
}

/**
 * Rows per ms of a lane: its rows over its busy time plus `openMs`, the time of its current busy stretch since its last
 * page end (0 when idle), so a lane whose pages stop ending looks slower and slower; null before a page of it ended.
 */
export function laneRate(meter: LaneMeter, openMs: number): number | null {
  if (meter.pages === 0 || meter.rows === 0) return null;
  return meter.rows / Math.max(1, meter.busyMs + openMs);
}

/** The mean time of a lane's page, null before one ended. */
export function meanPageMs(meter: LaneMeter): number | null {
  return meter.pages > 0 ? meter.pageMs / meter.pages : null;
}

/** Where a type's lanes stand when the workflow decides. */
export interface LaneView {
  /** Ranges in the shared queue (the taken-back ranges, the direct lane's own, not included). */
  left: number;
  /** The type's last range is planned (`left` is all there is). */
  planned: boolean;
  /** Rows a range holds (the page size; the last range may hold fewer). */
  pageRows: number;
  directInFlight: number;
  /** The direct lane's window. */
  window: number;
  batchInFlight: number;
  /** Time of each lane's current busy stretch since its last page end (0 when idle). */
  directOpenMs: number;
  batchOpenMs: number;
  /** This type's meters, and the resync's so far (used for a lane this type has no measure of yet). */
  pace: Pace;
  prior: Pace;
}

function directRate(v: LaneView, withPrior: boolean): number | null {
  return laneRate(v.pace.direct, v.directOpenMs) ?? (withPrior ? laneRate(v.prior.direct, 0) : null);
}

/**
 * Whether the batch lane (with room) takes the next range: not when the direct lane alone would finish every range
 * left, and its pages in flight, before a batch page ends (as measured in this type, else in the resync so far). So
 * with minute-long batches a type of a few pages goes direct, and its last pages never wait for a batch.
 */
export function batchTakes(v: LaneView): boolean {
  if (!v.planned) return true;
  const rate = directRate(v, true);
  const batchMs = meanPageMs(v.pace.batch) ?? meanPageMs(v.prior.batch);
  if (rate === null || batchMs === null) return true;
  return ((v.directInFlight + v.left) * v.pageRows) / rate >= batchMs;
}

/**
 * In how many ms the direct lane (with room, while the batch lane takes the queue) may take the next range: 0 now,
 * Infinity not by waiting (a page end decides again). It takes it when, at the paces measured in this type, it ends
 * it (behind its pages in flight) no later than the batch lane would end the ranges left after it and its pages in
 * flight. Before a direct page of this type ended it keeps one page in flight (its probe). Before a batch page of this
 * type ended, the batch lane's pace is taken as its best case (every page in flight ending now), which falls as its
 * pages run, so a batch lane slower than measured so far hands the direct lane more, a stuck one everything left.
 */
export function directTakesIn(v: LaneView): number {
  if (v.directInFlight >= v.window || v.left === 0) return Infinity;
  const rate = directRate(v, false);
  if (rate === null) return v.directInFlight === 0 ? 0 : Infinity;
  if (!v.planned) return 0;
  const after = v.left - 1 + v.batchInFlight;
  if (after <= 0) return 0;
  const directMs = ((v.directInFlight + 1) * v.pageRows) / rate;
  const batch = v.pace.batch;
  if (batch.pages > 0 && batch.rows > 0) {
    // The batch lane ends the rest in after * pageRows * (busy + open + t) / rows ms.
    return Math.max(0, Math.ceil((directMs * batch.rows) / (after * v.pageRows) - batch.busyMs - v.batchOpenMs));
  }
  if (v.batchInFlight === 0) return 0;
  // Best case: its pages in flight all end now, so after * (open + t) / inFlight ms for the rest.
  return Math.max(0, Math.ceil((directMs * v.batchInFlight) / after - v.batchOpenMs));
}

/** What a take-back is assumed to cost (cancel to stopped) until one is measured. */
export const TAKE_BACK_GUESS_MS = 2000;
/** How long a batch page runs before a take-back when neither a batch page's time nor the direct lane's pace is known. */
export const UNMEASURED_WAIT_MS = 10_000;

/**
 * Once nothing is left to start and the direct lane has room: in how many ms to take back a batch page that has run
 * `ageMs` (0: now). `expectedMs`: a batch page's time as measured (null: none yet); `redoMs`: a take-back and a direct
 * page alone at the direct lane's pace (null: no pace yet). Probing (the lane's last page was taken back): once the
 * page has run its expected time (at once when none is known: the lane is stuck). Otherwise taken back now if it
 * should end further away than a redo, else waited for until it is late by a redo; without a redo's measure, waited
 * for until it is late by a take-back (10 s when nothing at all is known), so a page is never taken back unmeasured.
 */
export function takeBackAfter(ageMs: number, expectedMs: number | null, redoMs: number | null, probing: boolean): number {
  if (probing) return Math.max(0, (expectedMs ?? 0) - ageMs);
  if (redoMs === null) return Math.max(0, (expectedMs === null ? UNMEASURED_WAIT_MS : expectedMs + TAKE_BACK_GUESS_MS) - ageMs);
  if (expectedMs === null) return Math.max(0, redoMs - ageMs);
  if (expectedMs - ageMs > redoMs) return 0;
  return Math.max(0, expectedMs + redoMs - ageMs);
}

/**
 * A redo (see takeBackAfter): a take-back (mean measured, else guessed) and a direct page alone at the direct lane's
 * pace (of this type, else of the resync so far); null before the direct lane has a pace.
 */
export function redoMs(v: LaneView, takeBacks: number, takeBackMs: number): number | null {
  const rate = directRate(v, true);
  if (rate === null) return null;
  return v.pageRows / rate + (takeBacks > 0 ? takeBackMs / takeBacks : TAKE_BACK_GUESS_MS);
}

/** The batch page time a take-back expects: this type's mean, else the resync's so far. */
export function expectedBatchMs(v: LaneView): number | null {
  return meanPageMs(v.pace.batch) ?? meanPageMs(v.prior.batch);
}

const STALLED_AT_MOST_MS = 30_000;

/**
 * How long the busy direct lane may go without a page ending, while batch pages run, before the oldest of them is
 * taken back: three times what its pages in flight take at this type's direct pace (its pages ended so far), 30 s at
 * most and before the type has one. Not the resync's pace: a type's direct pages can be several times slower than the
 * type before's (an order page's requests also wait behind the batch pages' direct requests for new buyers).
 */
export function stalledAfterPaced(v: LaneView): number {
  const rate = laneRate(v.pace.direct, 0);
  if (rate === null) return STALLED_AT_MOST_MS;
  return Math.min(STALLED_AT_MOST_MS, (3 * Math.max(1, v.directInFlight) * v.pageRows) / rate);
}
