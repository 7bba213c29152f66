import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { resync, storePath, syncNow } from '../../support/sync-steps';

/**
 * An order the sync does not send (pending, or refused by the mapping) keeps nothing in Mailchimp: a product deleted
 * from the shop while only such orders name it is deleted, with no stand-in left (a fresh full sync would send
 * neither: it creates a stand-in only on the way of an order it sends). Found by the property test.
 */
describe('products named only by orders that are not sent', () => {
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

  it('a hard-deleted product named only by an order the mapping refuses leaves Mailchimp entirely (property test, seed 9001 path 51)', async () => {
    const p = await shop.product(h.t.db, { code: 'ONLY-REFUSED' });
    await shop.order(h.t.db, { guest_email: 'not valid@example', status: 'cancelled' }, [{ product_id: p.id }]);
    expect(await syncNow(h, 'product', p.id)).toMatchObject({ status: 'synced' });

    await h.t.db('products').where({ id: p.id }).delete();
    expect(await syncNow(h, 'product', p.id)).toMatchObject({ status: 'deleted' });
    expect(await remote(h, storePath(h, '/products/ONLY-REFUSED'))).toBeNull();
    expect(await remote(h, storePath(h, `/products/deleted-${p.id}`))).toBeNull();
  });

  it('a hard-deleted product a sent order names stays as its stand-in, also beside a refused order', async () => {
    const p = await shop.product(h.t.db, { code: 'SENT-AND-REFUSED' });
    await shop.order(h.t.db, { guest_email: 'not valid@example', status: 'paid' }, [{ product_id: p.id }]);
    const sent = await shop.order(h.t.db, { guest_email: 'sent@example.com', status: 'paid' }, [{ product_id: p.id }]);
    expect(await syncNow(h, 'order', sent.id)).toMatchObject({ status: 'synced' });

    await h.t.db('products').where({ id: p.id }).delete();
    expect(await syncNow(h, 'product', p.id)).toMatchObject({ status: 'synced' });
    expect(await remote(h, storePath(h, `/products/deleted-${p.id}`))).not.toBeNull();
  });
});
