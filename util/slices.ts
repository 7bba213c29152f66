/**
 * CPU-bound loops over a page's rows, cut into slices that give the event loop back between them (setImmediate), so
 * the answers of the requests in flight are read while a page is built instead of after (a request holds its
 * connection until its answer is read). The items are worked in order, one at a time, exactly as a plain loop would:
 * only the timing changes. Activities only (workflows have no setImmediate).
 */

/** Milliseconds of work between two turns of the event loop. */
export const SLICE_MS = 4;

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Calls `work` on each item in order until it returns false (then stops and resolves false), giving the event loop a
 * turn whenever `budgetMs` of work has gone by since the last one. Resolves true when every item was worked.
 */
export async function everySliced<T>(items: readonly T[], work: (item: T, index: number) => boolean, budgetMs = SLICE_MS): Promise<boolean> {
  let since = performance.now();
  for (let i = 0; i < items.length; i += 1) {
    if (!work(items[i], i)) return false;
    if (i + 1 < items.length && performance.now() - since >= budgetMs) {
      await nextTurn();
      since = performance.now();
    }
  }
  return true;
}

/** Calls `work` on each item in order, giving the event loop a turn every `budgetMs` of work (everySliced). */
export async function forEachSliced<T>(items: readonly T[], work: (item: T, index: number) => void, budgetMs = SLICE_MS): Promise<void> {
  await everySliced(items, (item, index) => {
    work(item, index);
    return true;
  }, budgetMs);
}
