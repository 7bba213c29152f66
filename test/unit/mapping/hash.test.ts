import fc from 'fast-check';
import { stableStringify } from '../../../mapping/hash';
import { mapOrder } from '../../../mapping/order';
import { mapProduct } from '../../../mapping/product';
import * as arb from '../fuzz/arbitraries';
import { stableStringifyBefore as before } from './hash-before';

describe('stableStringify', () => {
  it('sorts object keys, so key order does not change the result', () => {
    expect(stableStringify({ b: 1, a: 2, c: { z: 1, y: [3, { k: 1, j: 2 }] } })).toBe('{"a":2,"b":1,"c":{"y":[3,{"j":2,"k":1}],"z":1}}');
    expect(stableStringify({ id: 'x', title: 'T' })).toBe(stableStringify({ title: 'T', id: 'x' }));
  });
  it('keeps array order (order matters in arrays)', () => {
    expect(stableStringify([2, 1])).not.toBe(stableStringify([1, 2]));
  });
  it('matches JSON.stringify for values without objects to sort', () => {
    for (const v of ['Zoë 😀 "quoted"\n', 12.5, 0, true, false, null, [1, 'a', null]]) {
      expect(stableStringify(v)).toBe(JSON.stringify(v));
    }
  });
  it('leaves undefined properties out, like JSON, so an absent and an undefined field hash the same', () => {
    expect(stableStringify({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(stableStringify([undefined, () => 1])).toBe('[null,null]');
    expect(stableStringify(undefined)).toBe('null');
  });
  it('writes Dates as ISO strings and non-finite numbers as null', () => {
    expect(stableStringify({ d: new Date('2026-01-01T00:00:00Z'), n: NaN, i: Infinity })).toBe('{"d":"2026-01-01T00:00:00.000Z","i":null,"n":null}');
  });
  it('throws on cycles and bigints', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => stableStringify(a)).toThrow(TypeError);
    expect(() => stableStringify({ n: BigInt(1) })).toThrow(TypeError);
  });
  it('allows the same object twice when it is not a cycle', () => {
    const shared = { x: 1 };
    expect(stableStringify({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });
});

function outcome(f: () => string): { text?: string; error?: string } {
  try {
    return { text: f() };
  } catch (err) {
    return { error: String(err) };
  }
}

describe('stableStringify writes what it wrote before its quick path (so no hash recorded before changes)', () => {
  it('on any value: dates, holes, null prototypes, boxed values, bigints, -0, NaN, deep nesting', () => {
    const anything = fc.anything({
      withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true, withBoxedValues: true,
      withObjectString: true, withTypedArray: true, maxDepth: 6,
    });
    fc.assert(fc.property(anything, (value) => {
      expect(outcome(() => stableStringify(value))).toEqual(outcome(() => before(value)));
    }), { numRuns: 2000 });
  });

  it('on the payloads the mappers make (their content hashes are recorded)', () => {
    fc.assert(fc.property(arb.orderInShop, arb.productWithVariants, arb.settings, ([shop, ctx], product, settings) => {
      for (const value of [mapOrder(ctx, shop), mapProduct(product, settings), ctx]) expect(stableStringify(value)).toBe(before(value));
    }), { numRuns: 300 });
  });

  it('on values nested deeper than its quick path goes, and on cycles found there', () => {
    let deep: unknown = { leaf: [1, { x: undefined }] };
    for (let i = 0; i < 250; i += 1) deep = i % 2 === 0 ? [deep] : { [`k${i}`]: deep, a: i };
    expect(stableStringify(deep)).toBe(before(deep));
    const cyclic: Record<string, unknown> = { a: [1] };
    (cyclic.a as unknown[]).push({ back: cyclic });
    expect(outcome(() => stableStringify(cyclic))).toEqual(outcome(() => before(cyclic)));
    expect(outcome(() => stableStringify(cyclic)).error).toMatch(/cycle/);
  });
});
