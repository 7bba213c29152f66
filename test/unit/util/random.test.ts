import { Random } from '../../../util/random';

describe('Random', () => {
  const draw = (seed: number, n = 20): number[] => {
    const r = new Random(seed);
    return Array.from({ length: n }, () => r.next());
  };

  it('repeats the same sequence for the same seed and differs for another', () => {
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(0)).not.toEqual(draw(1));
  });

  it('chance(p): p <= 0 is false without a draw (the emulator turns a fault off without moving the others), p >= 1 true', () => {
    const a = new Random(5);
    const b = new Random(5);
    expect(a.chance(0)).toBe(false);
    expect(a.chance(-1)).toBe(false);
    expect(a.next()).toBe(b.next());
    expect(a.chance(1)).toBe(true);
  });

  it('stays in [0, 1) and spreads evenly', () => {
    const r = new Random(7);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
      buckets[Math.floor(x * 10)]++;
    }
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(600);
  });

  it('draws integers within inclusive bounds, hitting both ends', () => {
    const r = new Random(1);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(r.int(3, 6));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
    expect(() => r.int(5, 4)).toThrow();
  });

  it('picks by weight and samples distinct indices', () => {
    const r = new Random(2);
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 10_000; i++) counts[r.weighted({ a: 1, b: 3, c: 0 })]++;
    expect(counts.c).toBe(0);
    expect(counts.b / counts.a).toBeGreaterThan(2.5);
    expect(counts.b / counts.a).toBeLessThan(3.5);
    const sample = r.sampleIndices(10, 6);
    expect(new Set(sample).size).toBe(6);
    expect(sample.every((i) => i >= 0 && i < 10)).toBe(true);
    expect(r.sampleIndices(3, 10).sort()).toEqual([0, 1, 2]);
    expect(() => r.pick([])).toThrow();
    expect(r.hex(10)).toMatch(/^[0-9a-f]{10}$/);
  });
});
