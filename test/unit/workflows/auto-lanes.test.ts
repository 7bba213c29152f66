import {
  batchTakes, directTakesIn, emptyPace, laneRate, redoMs, stalledAfterPaced, takeBackAfter, type LaneMeter, type LaneView, type Pace,
} from '../../../workflows/auto-lanes';

/** BACKFILL_MODE=auto, paced lanes (workflows/auto-lanes.ts): which lane takes the next page of a type. */
const meter = (pages: number, rows: number, pageMs: number, busyMs: number): LaneMeter => ({ pages, rows, pageMs, busyMs });

function view(over: Partial<LaneView> = {}): LaneView {
  return {
    left: 10, planned: true, pageRows: 250, directInFlight: 0, window: 4, batchInFlight: 0, directOpenMs: 0, batchOpenMs: 0,
    pace: emptyPace(), prior: emptyPace(), ...over,
  };
}

/** The bench's small shop at B = 1,000 on a quiet machine: direct 75 rows/s, batch 300 rows/s, batch pages of ~6.7 s. */
const fastBatch: Pace = { direct: meter(1, 250, 3333, 3333), batch: meter(8, 2000, 53_333, 6667) };
/** B = 50 with a minute of finalisation: batch pages of 70 s. */
const slowBatch: Pace = { direct: meter(8, 2000, 26_667, 26_667), batch: meter(2, 500, 140_000, 70_000) };

describe('laneRate', () => {
  it('is rows over busy time, nothing before a page ended, and falls while the lane runs without a page ending', () => {
    expect(laneRate(meter(0, 0, 0, 5000), 0)).toBeNull();
    expect(laneRate(meter(2, 500, 4000, 2000), 0)).toBe(0.25);
    expect(laneRate(meter(2, 500, 4000, 2000), 3000)).toBe(0.1);
  });
});

describe('batchTakes', () => {
  it('takes while more is to be planned or nothing is measured, in this type or before', () => {
    expect(batchTakes(view({ planned: false, pace: slowBatch }))).toBe(true);
    expect(batchTakes(view())).toBe(true);
  });

  it('takes fast batches until the direct lane alone would end the rest before a batch page (here: the last page)', () => {
    expect(batchTakes(view({ left: 3, pace: fastBatch }))).toBe(true);
    expect(batchTakes(view({ left: 1, pace: fastBatch }))).toBe(false);
  });

  it('leaves the rest to the direct lane when it alone ends it before a batch page would: minute-long batches', () => {
    // 8 pages of 250 at 75 rows/s: 26.7 s, against a 70 s batch page.
    expect(batchTakes(view({ left: 8, pace: slowBatch }))).toBe(false);
    expect(batchTakes(view({ left: 30, pace: slowBatch }))).toBe(true);
  });

  it('a type with no measure of its own uses the resync\'s so far (the customers after slow products)', () => {
    expect(batchTakes(view({ left: 8, prior: slowBatch }))).toBe(false);
    expect(batchTakes(view({ left: 8, prior: fastBatch }))).toBe(true);
  });
});

describe('directTakesIn', () => {
  it('keeps one page in flight (its probe) before a direct page of this type ended, whatever came before', () => {
    expect(directTakesIn(view({ prior: fastBatch }))).toBe(0);
    expect(directTakesIn(view({ directInFlight: 1, prior: fastBatch }))).toBe(Infinity);
  });

  it('takes nothing beyond its window or from an empty queue', () => {
    expect(directTakesIn(view({ directInFlight: 4, pace: slowBatch }))).toBe(Infinity);
    expect(directTakesIn(view({ left: 0, pace: slowBatch }))).toBe(Infinity);
  });

  it('fills its window while more is to be planned (a long type: both lanes busy)', () => {
    expect(directTakesIn(view({ planned: false, directInFlight: 3, pace: fastBatch }))).toBe(0);
  });

  it('takes a page when it ends it no later than the batch lane ends the rest, not more', () => {
    // 10 left, 8 batch pages in flight: the batch lane ends the other 9 + 8 pages in 14.2 s at 300 rows/s.
    // The direct lane ends one more page in 3.3 s with none in flight, 13.3 s with three, 16.7 s with four.
    expect(directTakesIn(view({ batchInFlight: 8, pace: fastBatch }))).toBe(0);
    expect(directTakesIn(view({ batchInFlight: 8, directInFlight: 3, pace: fastBatch }))).toBe(0);
    const four = directTakesIn(view({ batchInFlight: 8, directInFlight: 3, left: 8, pace: fastBatch }));
    expect(four).toBeGreaterThan(0);
    expect(four).toBeLessThan(Infinity);
  });

  it('a batch lane whose pages stop ending looks slower as they run: the direct lane takes the page once it would end it first', () => {
    const v = view({ batchInFlight: 8, directInFlight: 3, left: 2, pace: fastBatch });
    const wait = directTakesIn(v);
    // 4 direct pages: 13.3 s; the batch lane's 9 pages take 9 * 250 * (6,667 + t) / 2,000 ms.
    expect(wait).toBe(Math.ceil((4 * 3333 * 2000) / (9 * 250) - 6667));
    expect(directTakesIn({ ...v, batchOpenMs: wait })).toBe(0);
  });

  it('before a batch page of the type ended, takes the batch lane\'s best case (its pages ending now), which falls as they run', () => {
    const pace = { ...emptyPace(), direct: fastBatch.direct };
    // 1 direct page in flight, 2 more 3.33 s each: 6.67 s; 8 batch pages running 1 s: best case 2,000 rows/s, 9 pages in 1.1 s.
    const v = view({ pace, directInFlight: 1, batchInFlight: 8, left: 2, batchOpenMs: 1000 });
    const wait = directTakesIn(v);
    expect(wait).toBe(Math.ceil((2 * 3333 * 8) / 9 - 1000));
    expect(directTakesIn({ ...v, batchOpenMs: 1000 + wait })).toBe(0);
  });
});

describe('takeBackAfter', () => {
  it('probing: once the probe has run a batch page\'s time, at once when none is known (the lane is stuck)', () => {
    expect(takeBackAfter(0, null, 4000, true)).toBe(0);
    expect(takeBackAfter(1000, 5000, 4000, true)).toBe(4000);
  });

  it('never at once unmeasured: without the direct lane\'s pace, once late by a take-back; with nothing known, after 10 s', () => {
    // The case found in the bench: a fresh page of promotion rules (batch pages of 3.1 s so far, no direct pace yet)
    // was taken back at once, and the lane then probed through the next types.
    expect(takeBackAfter(0, 3100, null, false)).toBe(5100);
    expect(takeBackAfter(0, null, null, false)).toBe(10_000);
    expect(takeBackAfter(1000, null, 4000, false)).toBe(3000);
  });

  it('at once when the page should end further away than a redo, else when it is late by a redo', () => {
    expect(takeBackAfter(1000, 70_000, 5000, false)).toBe(0);
    expect(takeBackAfter(5000, 6667, 5333, false)).toBe(7000);
    expect(takeBackAfter(13_000, 6667, 5333, false)).toBe(0);
  });
});

describe('redoMs and stalledAfterPaced', () => {
  it('a redo is a direct page alone at the direct lane\'s pace plus a take-back (guessed 2 s until measured)', () => {
    expect(redoMs(view({ pace: fastBatch }), 0, 0)).toBe(250 / (250 / 3333) + 2000);
    expect(redoMs(view({ prior: fastBatch }), 2, 3000)).toBe(250 / (250 / 3333) + 1500);
    expect(redoMs(view(), 0, 0)).toBeNull();
  });

  it('stalled after three times what the direct pages in flight take at this type\'s pace, 30 s at most and before one', () => {
    expect(stalledAfterPaced(view({ pace: fastBatch, directInFlight: 1 }))).toBeCloseTo(10_000, -1);
    expect(stalledAfterPaced(view({ pace: fastBatch, directInFlight: 4 }))).toBe(30_000);
    expect(stalledAfterPaced(view({ prior: fastBatch, directInFlight: 1 }))).toBe(30_000);
    expect(stalledAfterPaced(view())).toBe(30_000);
  });
});
