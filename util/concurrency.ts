/**
 * Runs `work` over `items` with at most `concurrency` at a time, in order of start. After a failure no item starts;
 * it rejects with the first failure once the items running have ended (nothing goes on behind the caller's back).
 */
export async function forEachConcurrent<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const runners = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length && !failure) {
      const index = next++;
      try {
        await work(items[index], index);
      } catch (error) {
        failure ??= { error };
      }
    }
  });
  await Promise.all(runners);
  if (failure) throw (failure as { error: unknown }).error;
}
