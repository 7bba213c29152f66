import { forEachConcurrent } from '../../../util/concurrency';

describe('forEachConcurrent', () => {
  it('runs every item, at most `concurrency` at once', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await forEachConcurrent([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 2));
      done.push(n);
      running--;
    });
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });

  it('after a failure starts no item, and rejects with the first failure only once the items running have ended', async () => {
    const started: number[] = [];
    let slowEnded = false;
    const run = forEachConcurrent([1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      if (n === 1) throw new Error('first');
      await new Promise((resolve) => setTimeout(resolve, 20));
      slowEnded = true;
      if (n === 2) throw new Error('second');
    });
    await expect(run).rejects.toThrow('first');
    expect(slowEnded).toBe(true);
    expect(started).toEqual([1, 2]);
  });
});
