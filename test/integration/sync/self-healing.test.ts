import { customerIdForEmail } from '../../../mapping/ids';
import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { resync, storePath, syncNow, syncState } from '../../support/sync-steps';

/**
 * Dependencies that vanished from Mailchimp (deleted by hand) come back the next time an order needs them, although
 * the sync state still says they were sent: the order is not failed for good.
 */
describe('self-healing dependencies', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
    await resync(h);
  });
  afterAll(() => h?.stop());

  it('a customer deleted by hand is sent again with the next order, which is then sent', async () => {
    const u = await shop.user(h.t.db, { email: 'vanished@example.com', first_name: 'Vera' });
    const p = await shop.product(h.t.db, { code: 'HEAL-1' }, [{ sku: 'HEAL-1-A' }]);
    const [variant] = (await h.t.db('product_variants').where({ product_id: p.id }).select('id')) as Array<{ id: number }>;
    const first = await shop.order(h.t.db, { user_id: u.id }, [{ product_id: p.id, variant_id: variant.id }]);
    expect(await syncNow(h, 'order', first.id)).toMatchObject({ status: 'synced' });

    const customerPath = storePath(h, `/customers/${customerIdForEmail(u.email)}`);
    expect((await h.http.delete(`/3.0${customerPath}`)).status).toBe(204);
    expect(await remote(h, customerPath)).toBeNull();
    expect((await syncState(h, 'customer', customerIdForEmail(u.email)))?.status).toBe('synced');

    const second = await shop.order(h.t.db, { user_id: u.id }, [{ product_id: p.id, variant_id: variant.id }]);
    expect(await syncNow(h, 'order', second.id)).toMatchObject({ status: 'synced' });
    expect(await remote(h, customerPath)).toMatchObject({ email_address: u.email, first_name: 'Vera' });
    expect(await remote(h, storePath(h, `/orders/${second.number}`))).toMatchObject({ customer: { id: customerIdForEmail(u.email) } });
  });

  it('a product deleted by hand is sent again with the next order, which is then sent', async () => {
    const u = await shop.user(h.t.db, { email: 'buyer-heal@example.com' });
    const p = await shop.product(h.t.db, { code: 'HEAL-2', title: 'Healed' }, [{ sku: 'HEAL-2-A' }]);
    const [variant] = (await h.t.db('product_variants').where({ product_id: p.id }).select('id')) as Array<{ id: number }>;
    const first = await shop.order(h.t.db, { user_id: u.id }, [{ product_id: p.id, variant_id: variant.id }]);
    expect(await syncNow(h, 'order', first.id)).toMatchObject({ status: 'synced' });

    expect((await h.http.delete(`/3.0${storePath(h, '/products/HEAL-2')}`)).status).toBe(204);
    const second = await shop.order(h.t.db, { user_id: u.id }, [{ product_id: p.id, variant_id: variant.id }]);
    expect(await syncNow(h, 'order', second.id)).toMatchObject({ status: 'synced' });
    expect(await remote(h, storePath(h, '/products/HEAL-2'))).toMatchObject({ title: 'Healed', variants: [expect.objectContaining({ id: 'HEAL-2-A' })] });
    expect(await remote(h, storePath(h, `/orders/${second.number}`))).not.toBeNull();
  });
});
