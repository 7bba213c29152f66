import { customerIdForEmail, type EntityType } from '../../../mapping/ids';
import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { count, resetStats, resync, stats, storePath } from '../../support/sync-steps';

/**
 * A batch backfill (BACKFILL_MODE=batch) whose two order pages run at once and share a new guest buyer: the page that
 * waited for the buyer's lock finds the buyer sent by the other page, with the same content, and sends its order in its
 * own batch like the others, not as a direct write (in the small bench shop, ~165 orders went direct this way).
 * The interleaving is forced: the first page holds the buyer's lock until the second one waits for it.
 */

const GUEST = 'shared-guest@example.org';

describe('batch backfill: a new buyer two pages share', () => {
  let h: SyncHarness;
  const guest = customerIdForEmail(GUEST);
  let release: () => void = () => undefined;
  const waited = new Promise<void>((resolve) => {
    release = resolve;
  });
  let held = false;
  let sawWait = false;

  beforeAll(async () => {
    h = await startSyncHarness({
      backfillMode: 'batch',
      hooks: {
        // The first read of the buyer under its lock (the first page) waits until the other page waits for that lock.
        afterRead: async (type: EntityType, id: string) => {
          if (type !== 'customer' || id !== guest || held) return;
          held = true;
          await Promise.race([waited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
        },
        lockWait: (type: EntityType, id: string) => {
          if (type !== 'customer' || id !== guest) return;
          sawWait = true;
          release();
        },
      },
    });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('sends both orders in batches, the buyer once', async () => {
    const p = await shop.product(h.t.db, { code: 'SHARED-P' }, [{ sku: 'SHARED-P-A' }]);
    // Two pages of two orders: each has the shared buyer and a new buyer of its own (so each page has a batch of buyers).
    const orders: Array<[string, string]> = [['SHARED-1', GUEST], ['OWN-1', 'own-1@example.org'], ['SHARED-2', GUEST], ['OWN-2', 'own-2@example.org']];
    for (const [i, [number, email]] of orders.entries()) {
      await shop.order(h.t.db, { order_number: number, guest_email: email, guest_first_name: 'Gus', updated_at: new Date(Date.UTC(2026, 2, 2, 10, 0, i)) }, [{ product_id: p.id, variant_id: null }]);
    }
    await resetStats(h);

    // The two pages of the orders phase run at once (the batch window is 2).
    await resync(h, 'all', 2);

    expect(sawWait).toBe(true);
    for (const [number] of orders) expect(await remote(h, storePath(h, `/orders/${number}`))).not.toBeNull();
    expect(await remote(h, storePath(h, `/customers/${guest}`))).toMatchObject({ email_address: GUEST });
    const s = await stats(h);
    expect(count(s, 'POST', '/ecommerce/stores/{store_id}/orders')).toBe(0);
    expect(count(s, 'PUT', '/ecommerce/stores/{store_id}/customers/{customer_id}')).toBe(0);
  });
});
