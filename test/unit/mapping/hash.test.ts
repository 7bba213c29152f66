import { stableStringify } from '../../../mapping/hash';

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
