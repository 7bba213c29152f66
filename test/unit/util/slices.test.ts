/**
 * util/slices.ts: a loop over a page's rows gives the event loop a turn every few milliseconds of work, and works the
 * items in order exactly as a plain loop would.
 */
import { everySliced, forEachSliced } from '../../../util/slices';

/** Keeps the CPU busy for `ms` (a row that takes that long to build). */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) { /* busy */ }
}

describe('forEachSliced', () => {
  it('works every item in order', async () => {
    const seen: number[] = [];
    await forEachSliced([1, 2, 3, 4, 5], (item, index) => seen.push(item * 10 + index), 0);
    expect(seen).toEqual([10, 21, 32, 43, 54]);
  });

  it('lets the event loop in between slices: no stretch of work runs much longer than the budget', async () => {
    const stretches: number[] = [];
    let since = performance.now();
    let turns = 0;
    const tick = (): void => {
      stretches.push(performance.now() - since);
      turns += 1;
      since = performance.now();
    };
    // Something else waiting for the loop (an answer in flight) asks for a turn after every turn it gets.
    let stop = false;
    const other = (): void => {
      tick();
      if (!stop) setImmediate(other);
    };
    setImmediate(other);
    since = performance.now();
    await forEachSliced(Array.from({ length: 40 }, (_, i) => i), () => spin(1), 4);
    stop = true;
    // 40 ms of work in slices of about 4 ms: the other side got about ten turns (a plain loop gives it none before
    // the end), most after no more than a slice (the machine's other load may stretch a few).
    expect(turns).toBeGreaterThanOrEqual(5);
    expect([...stretches].sort((a, b) => a - b)[Math.floor(stretches.length / 2)]).toBeLessThan(20);
  });
});

describe('everySliced', () => {
  it('stops at the first item the work refuses', async () => {
    const seen: number[] = [];
    expect(await everySliced([1, 2, 3, 4], (item) => {
      seen.push(item);
      return item < 2;
    }, 0)).toBe(false);
    expect(seen).toEqual([1, 2]);
    expect(await everySliced([], () => false)).toBe(true);
    expect(await everySliced([1, 2], () => true, 0)).toBe(true);
  });
});
