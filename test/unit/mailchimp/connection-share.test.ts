import { divideConnections } from '../../../mailchimp/connection-share';

const share = (total: number, demands: Record<string, number>) =>
  Object.fromEntries(divideConnections(total, Object.entries(demands).map(([holder, demand]) => ({ holder, demand }))));

describe('divideConnections', () => {
  it('a lone worker gets everything, busy or not', () => {
    expect(share(10, { a: 12 })).toEqual({ a: 10 });
    expect(share(10, { a: 0 })).toEqual({ a: 10 });
  });

  it('every live worker keeps one; the rest follows demand', () => {
    expect(share(10, { a: 12, b: 0 })).toEqual({ a: 9, b: 1 });
    expect(share(10, { a: 12, b: 12 })).toEqual({ a: 5, b: 5 });
    expect(share(10, { a: 3, b: 12 })).toEqual({ a: 3, b: 7 });
    expect(share(10, { a: 12, b: 12, c: 12 })).toEqual({ a: 4, b: 3, c: 3 });
  });

  it('never hands out more than the total, and hands out all of it', () => {
    const cases: Array<Record<string, number>> = [{ a: 1, b: 1 }, { a: 7, b: 2, c: 0 }, { a: 100, b: 100, c: 100, d: 1 }];
    for (const demands of cases) {
      const s = Object.values(share(10, demands));
      expect(s.reduce((x, y) => x + y, 0)).toBe(10);
    }
    const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`w${String(i).padStart(2, '0')}`, 5]));
    const s = share(10, many);
    expect(Object.values(s).reduce((x, y) => x + y, 0)).toBe(10);
    expect(s.w10).toBe(0);
  });
});
