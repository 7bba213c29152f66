import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../../activities';
import { createEntityLocks } from '../../../db/entity-lock';
import { customerIdForEmail } from '../../../mapping/ids';
import { createSyncDeps } from '../../../wiring/env';
import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { count, resetStats, stats, storePath, waitFor } from '../../support/sync-steps';

/**
 * BACKFILL_MODE=auto: a batch lane's order page beside a direct lane's. The batch page's chunk has a new guest buyer's
 * first two orders, the direct page the buyer's third. While the batch page's batch waits in Mailchimp's hands (left
 * in `preprocessing`: the emulator's `preprocessMs`, here far longer than the test; a batch in finalisation whose
 * operations all ran without an error no longer holds its page, activities/batch/submit.ts), the buyer's lock is free and the direct page
 * syncs the third order: the batch page created the buyer inside its first order, one request, and released the
 * buyer's lock before its batch. (Before, it sent the buyer in a batch of its own and held the lock until that batch
 * was finished, so the direct page waited for the lock, up to its 60 s timeout, while Mailchimp finalised.)
 * The pages are the real activities, run in the test's process on the real database and emulator; the order of events
 * is forced by the batch's wait, no timing is measured.
 */

const GUEST = 'two-lanes-guest@example.org';

/** Runs an activity in a context of its own (heartbeats, cancellation), as a worker would. */
function inActivity<A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): { env: MockActivityEnvironment; result: Promise<R> } {
  const env = new MockActivityEnvironment();
  return { env, result: env.run<A, R, (...args: A) => Promise<R>>(fn, ...args) };
}

async function batchesWaiting(h: SyncHarness): Promise<number> {
  const listed = (await h.http.get('/3.0/batches')).data as { batches: Array<{ status: string }> };
  return listed.batches.filter((b) => b.status === 'preprocessing').length;
}

describe('auto backfill: a batch order page and the direct lane share a new buyer', () => {
  let h: SyncHarness;
  /** The batch page left running by a failed expectation is stopped before the harness. */
  let stopBatchPage: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    h = await startSyncHarness({ backfillMode: 'auto' });
  });
  afterAll(async () => {
    await stopBatchPage();
    await h.stop();
  });

  it("holds no buyer's lock while its batch waits in Mailchimp: the direct lane syncs the buyer's other order meanwhile", async () => {
    const p = await shop.product(h.t.db, { code: 'LANES-P' }, [{ sku: 'LANES-P-A' }]);
    for (const [i, number] of ['LANES-1', 'LANES-2', 'LANES-3'].entries()) {
      await shop.order(h.t.db, { order_number: number, guest_email: GUEST, guest_first_name: 'Gus', updated_at: new Date(Date.UTC(2026, 2, 2, 10, 0, i)) }, [{ product_id: p.id, variant_id: null }]);
    }
    const activities = createActivities(createSyncDeps(h.t.db, h.mailchimp, h.config, async () => h.client));
    const { startedAt: until } = await inActivity(activities.beginFullSync).result;
    await inActivity(activities.syncPage, { entityType: 'product', after: null, until, limit: 10 }).result;
    // Two pages of the orders phase: LANES-1 and LANES-2 (the batch lane's), LANES-3 (the direct lane's).
    const { ranges } = await inActivity(activities.planPages, { entityType: 'order', after: null, until, limit: 2, pages: 2 }).result;
    expect(ranges).toHaveLength(2);
    await resetStats(h);
    expect((await h.http.post('/_emulator/config', { batches: { preprocessMs: 600_000 } })).status).toBe(200);

    let batchPageEnded = false;
    const { env: batchLane, result: batchPage } = inActivity(activities.syncPageBatch, { entityType: 'order', ...ranges[0], until, limit: 2, buyersDirect: true });
    const ended = batchPage.catch(() => undefined).finally(() => {
      batchPageEnded = true;
    });
    stopBatchPage = async () => {
      if (!batchPageEnded) batchLane.cancel();
      await ended;
    };
    await waitFor('the batch page\'s batch in Mailchimp\'s hands', () => batchesWaiting(h), 60_000);

    // The buyer's lock is free (timeout 0: a lock held elsewhere fails at once instead of being waited for).
    const probe = createEntityLocks(h.t.db, h.config.storeId, { timeoutSeconds: 0 });
    await expect(probe.withLocks([{ type: 'customer', id: customerIdForEmail(GUEST) }], async () => 'free')).resolves.toBe('free');

    // The direct lane's page with the buyer's third order ends while the batch page still waits.
    const direct = await inActivity(activities.syncPage, { entityType: 'order', ...ranges[1], until, limit: 2 }).result;
    expect(direct.counts).toMatchObject({ synced: 1, failed: 0 });
    expect(await batchesWaiting(h)).toBe(1);
    expect(batchPageEnded).toBe(false);
    expect(await remote(h, storePath(h, '/orders/LANES-1'))).toMatchObject({ customer: { email_address: GUEST } });
    expect(await remote(h, storePath(h, '/orders/LANES-3'))).toMatchObject({ customer: { email_address: GUEST } });

    // Taken back (as the workflow's direct lane would): the batch is stopped.
    batchLane.cancel();
    await expect(batchPage).rejects.toThrow();
    const s = await stats(h);
    // The buyer was created once, inside its first order (no customer PUT, direct or batched); LANES-2 went in the batch.
    expect(count(s, 'PUT', '/ecommerce/stores/{store_id}/customers/{customer_id}')).toBe(0);
    expect(count(s, 'POST', '/ecommerce/stores/{store_id}/orders')).toBe(2);
    expect(count(s, 'POST', '/batches')).toBe(1);
    expect(count(s, 'DELETE', '/batches/{batch_id}')).toBe(1);
  });
});
