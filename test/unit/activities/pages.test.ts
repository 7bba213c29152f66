import { nextInRange, planPages } from '../../../activities/pages';
import type { ChangedRow, Cursor, ShopSource } from '../../../source/shop-source';

const at = '2026-01-01T00:00:00.000Z';
const rows = (n: number): ChangedRow[] => Array.from({ length: n }, (_, i) => ({ id: String(i + 1), updatedAt: at, entityId: String(i + 1) }));
const key = (id: number): Cursor => ({ updatedAt: at, id: String(id) });

/** A source of n rows with ids 1..n, all with one updated_at. */
function sourceOf(n: number): ShopSource {
  const all = rows(n);
  return {
    changedAfter: async (_type: string, after: Cursor | null, limit: number) => all.filter((r) => !after || Number(r.id) > Number(after.id)).slice(0, limit),
  } as unknown as ShopSource;
}

const plan = (n: number, after: Cursor | null, limit: number, pages: number) =>
  planPages(sourceOf(n), { entityType: 'product', after, until: at, limit, pages });

describe('planPages: consecutive key ranges of a page each', () => {
  it('splits at every limit-th row and leaves the last range open when the rows run out', async () => {
    expect(await plan(7, null, 3, 4)).toEqual({
      ranges: [{ after: null, upTo: key(3) }, { after: key(3), upTo: key(6) }, { after: key(6), upTo: null }], next: null,
    });
    // Exactly full pages: the last one is open-ended too (rows committed meanwhile at the end).
    expect(await plan(6, null, 3, 4)).toEqual({ ranges: [{ after: null, upTo: key(3) }, { after: key(3), upTo: null }], next: null });
    expect(await plan(0, null, 3, 4)).toEqual({ ranges: [{ after: null, upTo: null }], next: null });
  });

  it('stops after `pages` ranges and says where the next plan starts', async () => {
    expect(await plan(100, key(10), 5, 2)).toEqual({ ranges: [{ after: key(10), upTo: key(15) }, { after: key(15), upTo: key(20) }], next: key(20) });
  });
});

describe('nextInRange', () => {
  it('is done with fewer rows than the limit, or at the end of its range', () => {
    expect(nextInRange(rows(2), 3, key(9))).toBeNull();
    expect(nextInRange(rows(3), 3, key(3))).toBeNull();
  });

  it('goes on after the last row when the range has more (it grew, or it is open-ended)', () => {
    expect(nextInRange(rows(3), 3, key(9))).toEqual(key(3));
    expect(nextInRange(rows(3), 3, null)).toEqual(key(3));
  });
});
