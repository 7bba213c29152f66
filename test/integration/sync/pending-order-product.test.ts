import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { resync, storePath, syncNow } from '../../support/sync-steps';

/**
 * A pending order is not sent, so it keeps nothing in Mailchimp: a product deleted from the shop while only a pending
 * order names it is deleted, with no stand-in left (a fresh full sync would send neither). Found by the property test.
 */
describe('products named only by pending orders', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
    await resync(h);
  });
  afterAll(() => h?.stop());

  it('a hard-deleted product named only by a pending order leaves Mailchimp entirely', async () => {
    const p = await shop.product(h.t.db, { code: 'ONLY-PENDING' });
    await shop.order(h.t.db, { guest_email: 'pending@example.com', status: 'pending' }, [{ product_id: p.id }]);
    expect(await syncNow(h, 'product', p.id)).toMatchObject({ status: 'synced' });
    expect(await remote(h, storePath(h, '/products/ONLY-PENDING'))).not.toBeNull();

    await h.t.db('products').where({ id: p.id }).delete();
    expect(await syncNow(h, 'product', p.id)).toMatchObject({ status: 'deleted' });
    expect(await remote(h, storePath(h, '/products/ONLY-PENDING'))).toBeNull();
    expect(await remote(h, storePath(h, `/products/deleted-${p.id}`))).toBeNull();
  });
});
