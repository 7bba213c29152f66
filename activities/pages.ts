import type { ChangedRow, Cursor, EntityType, ShopSource } from '../source/shop-source';
import type { PagePlan, PageRange } from '../workflows/activity-contract';

const keyOf = (row: ChangedRow): Cursor => ({ updatedAt: row.updatedAt, id: row.id });

/**
 * Splits the rows after `after` into up to `pages` ranges of `limit` rows by reading only their keys (one query):
 * each range ends at the key of every `limit`-th row. When fewer rows are left, the last range is open-ended, so a row
 * committed meanwhile at the end is still read.
 */
export async function planPages(
  source: ShopSource, input: { entityType: EntityType; after: Cursor | null; until: string; limit: number; pages: number },
): Promise<PagePlan> {
  const want = input.limit * input.pages;
  const rows = await source.changedAfter(input.entityType, input.after, want, input.until);
  const ranges: PageRange[] = [];
  let after = input.after;
  for (let i = input.limit - 1; i < rows.length; i += input.limit) {
    const upTo = keyOf(rows[i]);
    ranges.push({ after, upTo });
    after = upTo;
  }
  if (rows.length < want) {
    if (rows.length % input.limit !== 0 || ranges.length === 0) ranges.push({ after, upTo: null });
    else ranges[ranges.length - 1] = { after: ranges[ranges.length - 1].after, upTo: null };
    return { ranges, next: null };
  }
  return { ranges, next: after };
}

/**
 * Where a page of a range goes on: null when it read the whole range (fewer rows than its limit, or up to the range's
 * end), else after its last row (a range that grew meanwhile, or an open-ended one).
 */
export function nextInRange(rows: readonly ChangedRow[], limit: number, upTo: Cursor | null | undefined): Cursor | null {
  if (rows.length < limit) return null;
  const last = keyOf(rows[rows.length - 1]);
  if (upTo && last.id === upTo.id && last.updatedAt === upTo.updatedAt) return null;
  return last;
}
