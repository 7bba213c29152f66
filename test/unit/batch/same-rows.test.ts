/**
 * sameRows (activities/batch/page.ts) decides whether an order chunk's build before its locks is reused under them:
 * it must be at least as strict as comparing the reads' JSON (what it replaced), and find a fresh read of the same rows
 * the same (else every chunk would be built twice).
 */
import fc from 'fast-check';
import { sameRows } from '../../../activities/batch/page';
import * as arb from '../fuzz/arbitraries';

/** A fresh read of the same rows: new objects (of the same prototype), new dates, new buffers. */
function copy(value: unknown): unknown {
  if (value instanceof Date) return new Date(value.getTime());
  if (Buffer.isBuffer(value)) return Buffer.from(value);
  if (Array.isArray(value)) return value.map(copy);
  if (value !== null && typeof value === 'object') {
    const out = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
    for (const [k, v] of Object.entries(value)) out[k] = copy(v);
    return out;
  }
  return value;
}

describe('sameRows', () => {
  it('finds two reads of the same orders the same', () => {
    fc.assert(fc.property(fc.array(arb.orderWithContext, { maxLength: 5 }), (orders) => {
      const rows = orders.map((found, i) => ({ id: String(i), found, previous: null }));
      expect(sameRows(rows, copy(rows))).toBe(true);
    }), { numRuns: 200 });
  });

  it('is never looser than comparing JSON', () => {
    const value = fc.anything({ withDate: true, withNullPrototype: true, withSparseArray: true, withTypedArray: true, withMap: true, withSet: true, withBoxedValues: true, maxDepth: 3 });
    fc.assert(fc.property(value, value, fc.boolean(), (a, b, same) => {
      const other = same ? copy(a) : b;
      if (sameRows(a, other)) expect(JSON.stringify(other)).toBe(JSON.stringify(a));
    }), { numRuns: 2000 });
  });

  it('tells rows apart that differ in one value, a date, a key or a buffer byte', () => {
    const row = { id: '1', at: new Date(0), n: 1, raw: Buffer.from('ab'), lines: [{ q: 1 }] };
    expect(sameRows(row, { ...row, n: 2 })).toBe(false);
    expect(sameRows(row, { ...row, at: new Date(1) })).toBe(false);
    expect(sameRows(row, { ...row, raw: Buffer.from('ac') })).toBe(false);
    expect(sameRows(row, { ...row, lines: [{ q: 2 }] })).toBe(false);
    expect(sameRows(row, { ...row, extra: undefined })).toBe(false);
    expect(sameRows(row, copy(row))).toBe(true);
  });
});
