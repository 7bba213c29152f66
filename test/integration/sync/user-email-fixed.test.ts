import { customerIdForEmail } from '../../../mapping/ids';
import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { resync, storePath, syncNow } from '../../support/sync-steps';

/**
 * A registered user's e-mail is on the user row, not on their orders: an order refused because the user's e-mail was
 * not valid is sent once the user's e-mail is fixed and the customer syncs (a fresh full sync would send it). Found by
 * the property test (seed 9001 path 12).
 */
describe('a user whose e-mail is fixed', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
    await resync(h);
  });
  afterAll(() => h?.stop());

  it('gets the orders refused for the old e-mail sent with the customer', async () => {
    const u = await shop.user(h.t.db, { email: 'not valid@example' });
    const p = await shop.product(h.t.db, {}, [{}]);
    const o = await shop.order(h.t.db, { user_id: u.id, status: 'refunded' }, [{ product_id: p.id }]);
    await expect(syncNow(h, 'order', o.id)).rejects.toThrow(/Workflow execution failed/);
    expect(await remote(h, storePath(h, `/orders/${o.number}`))).toBeNull();

    await h.t.db('users').where({ id: u.id }).update({ email: 'fixed@example.com' });
    expect(await syncNow(h, 'customer', customerIdForEmail('fixed@example.com'))).toMatchObject({ outcome: { status: 'synced' } });
    const sent = (await remote(h, storePath(h, `/orders/${o.number}`))) as { customer: { email_address: string } } | null;
    expect(sent?.customer.email_address).toBe('fixed@example.com');
  });
});
