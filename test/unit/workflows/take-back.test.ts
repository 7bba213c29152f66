import { batchMayTake, stalledAfter, takeBackIn } from '../../../workflows/full-resync';

/** BACKFILL_MODE=auto: when the idle direct lane takes a batch page back (workflows/full-resync.ts). */
describe('takeBackIn', () => {
  const none = { direct: 0, batch: 0, takenBack: 0 };
  const noTime = { directMs: 0, batchMs: 0, takeBackMs: 0 };

  it('with nothing measured: after the guessed cost of a take-back (2 s)', () => {
    expect(takeBackIn(0, none, noTime, false)).toBe(2000);
    expect(takeBackIn(2500, none, noTime, false)).toBe(0);
  });

  it('before any batch page ended: once the page has run as long as a redo takes (a direct page plus a take-back)', () => {
    const lanes = { direct: 4, batch: 0, takenBack: 1 };
    const timing = { directMs: 20_000, batchMs: 0, takeBackMs: 1000 };
    expect(takeBackIn(0, lanes, timing, false)).toBe(6000);
    expect(takeBackIn(6000, lanes, timing, false)).toBe(0);
  });

  it('at once while probing (the last page of the lane was taken back: it is stuck)', () => {
    expect(takeBackIn(0, { direct: 1, batch: 5, takenBack: 1 }, { directMs: 5000, batchMs: 500, takeBackMs: 1000 }, true)).toBe(0);
  });

  it('at once when the batch pages take far longer than a redo (a minute of finalisation against a 5 s direct page)', () => {
    const lanes = { direct: 10, batch: 2, takenBack: 1 };
    const timing = { directMs: 50_000, batchMs: 140_000, takeBackMs: 1000 };
    expect(takeBackIn(1000, lanes, timing, false)).toBe(0);
  });

  it('waits for a batch page expected to end before a redo would, until it is late by a redo', () => {
    const lanes = { direct: 10, batch: 4, takenBack: 0 };
    // Direct pages 5 s, batch pages 1 s, a take-back guessed at 2 s: a redo is 7 s, the page should end in 0.5 s.
    const timing = { directMs: 50_000, batchMs: 4000, takeBackMs: 0 };
    expect(takeBackIn(500, lanes, timing, false)).toBe(7500);
    expect(takeBackIn(8000, lanes, timing, false)).toBe(0);
  });
});

describe('batchMayTake', () => {
  const lanes = { direct: 8, batch: 4, takenBack: 0 };
  // Direct pages 4 s each (4 at once: a page a second), batch pages 3 s.
  const timing = { directMs: 32_000, batchMs: 12_000, takeBackMs: 0 };

  it('takes while the direct lane alone would need longer than a batch page for what is left', () => {
    expect(batchMayTake(3, true, 4, lanes, timing)).toBe(true);
    expect(batchMayTake(2, true, 4, lanes, timing)).toBe(false);
  });

  it('takes while more is to be planned, or before both lanes have a measure', () => {
    expect(batchMayTake(1, false, 4, lanes, timing)).toBe(true);
    expect(batchMayTake(1, true, 4, { ...lanes, batch: 0 }, timing)).toBe(true);
    expect(batchMayTake(1, true, 4, { ...lanes, direct: 0 }, timing)).toBe(true);
  });
});

describe('stalledAfter', () => {
  it('is three direct pages of time once one ended, 30 s at most (inside the 60 s lock wait of a page)', () => {
    expect(stalledAfter({ direct: 4, batch: 0, takenBack: 0 }, { directMs: 20_000, batchMs: 0, takeBackMs: 0 })).toBe(15_000);
    expect(stalledAfter({ direct: 4, batch: 0, takenBack: 0 }, { directMs: 80_000, batchMs: 0, takeBackMs: 0 })).toBe(30_000);
    expect(stalledAfter({ direct: 0, batch: 0, takenBack: 0 }, { directMs: 0, batchMs: 0, takeBackMs: 0 })).toBe(30_000);
  });
});
