import { customerIdForEmail } from '../../../mapping/ids';
import { differences, freshStores, type FreshStores } from '../../support/fresh-store';
import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { resync, storePath, syncNow, syncState } from '../../support/sync-steps';

/**
 * Customers after users are deleted, change their email or register after buying as guests: Mailchimp ends as a fresh
 * full sync would, except that an order already sent keeps the customer it was sent with (Mailchimp cannot move it).
 * The audience member is never touched by any of this.
 */

interface RemoteCustomer {
  id: string;
  email_address: string;
  first_name: string;
  last_name: string;
  orders_count: number;
}
interface RemoteOrder {
  id: string;
  order_total: number;
  customer: { id: string };
}

describe('customer lifecycle: deleted users, changed emails, guests who register', () => {
  let h: SyncHarness;
  let fresh: FreshStores;
  beforeAll(async () => {
    h = await startSyncHarness();
    fresh = await freshStores(h);
    await resync(h);
  });
  afterAll(async () => {
    await fresh.stop();
    await h.stop();
  });

  const customer = (email: string) => remote<RemoteCustomer>(h, storePath(h, `/customers/${customerIdForEmail(email)}`));
  const member = (email: string) => remote<{ status: string }>(h, `/lists/${h.config.listId}/members/${customerIdForEmail(email)}`);
  const order = (number: string) => remote<RemoteOrder>(h, storePath(h, `/orders/${number}`));

  async function expectLikeFresh(...resources: string[]): Promise<void> {
    const freshId = await fresh.sync();
    expect(await differences(h, freshId, resources)).toEqual([]);
  }

  async function orderOf(row: Record<string, unknown>) {
    const p = await shop.product(h.t.db, {}, [{ price: '10.00' }]);
    const v = (await h.t.db('product_variants').where({ product_id: p.id }).first('id')) as { id: number };
    return shop.order(h.t.db, { order_total: '10.00', ...row }, [{ product_id: p.id, variant_id: v.id }]);
  }

  it('a deleted user with no order is deleted from Mailchimp; the audience member stays as it was', async () => {
    const u = await shop.user(h.t.db, { email: 'leaving@example.com', marketing_opt_in: true });
    await syncNow(h, 'customer', customerIdForEmail(u.email));
    expect(await customer(u.email)).not.toBeNull();
    const before = (await member(u.email))?.status;
    expect(before).toBe('subscribed');

    await h.t.db('users').where({ id: u.id }).delete();
    await expect(syncNow(h, 'customer', customerIdForEmail(u.email))).resolves.toMatchObject({ outcome: { status: 'deleted' } });

    expect(await customer(u.email)).toBeNull();
    expect((await member(u.email))?.status).toBe(before);
    expect(await syncState(h, 'customer', customerIdForEmail(u.email))).toMatchObject({ status: 'deleted' });
    await expectLikeFresh(`/customers/${customerIdForEmail(u.email)}`);
  });

  it('an email changed with no order sent: the old customer is deleted, the new one created', async () => {
    const u = await shop.user(h.t.db, { email: 'old.address@example.com' });
    await syncNow(h, 'customer', customerIdForEmail(u.email));
    await h.t.db('users').where({ id: u.id }).update({ email: 'new.address@example.com' });
    await syncNow(h, 'customer', customerIdForEmail('old.address@example.com'));
    await syncNow(h, 'customer', customerIdForEmail('new.address@example.com'));

    expect(await customer('old.address@example.com')).toBeNull();
    expect(await customer('new.address@example.com')).toMatchObject({ email_address: 'new.address@example.com', first_name: 'Ada', last_name: 'Lovelace' });
    await expectLikeFresh(`/customers/${customerIdForEmail('old.address@example.com')}`, `/customers/${customerIdForEmail('new.address@example.com')}`);
  });

  it('an email changed after an order was sent: the order keeps its customer, which stays; the rest of the order is updated', async () => {
    const u = await shop.user(h.t.db, { email: 'before.move@example.com' });
    const o = await orderOf({ user_id: u.id });
    await syncNow(h, 'order', o.id);

    await h.t.db('users').where({ id: u.id }).update({ email: 'after.move@example.com' });
    await h.t.db('orders').where({ id: o.id }).update({ order_total: '12.50' });
    await expect(syncNow(h, 'customer', customerIdForEmail('before.move@example.com'))).resolves.toMatchObject({ outcome: { status: 'skipped' } });
    await syncNow(h, 'customer', customerIdForEmail('after.move@example.com'));
    await syncNow(h, 'order', o.id);

    expect(await order(o.number)).toMatchObject({ order_total: 12.5, customer: { id: customerIdForEmail('before.move@example.com') } });
    expect(await customer('before.move@example.com')).toMatchObject({ orders_count: 1 });
    expect(await customer('after.move@example.com')).toMatchObject({ email_address: 'after.move@example.com' });
    await expectLikeFresh(`/customers/${customerIdForEmail('after.move@example.com')}`);

    // Once no order names the old customer any more, it goes too.
    await h.t.db('order_lines').where({ order_id: o.id }).delete();
    await h.t.db('orders').where({ id: o.id }).delete();
    await syncNow(h, 'order', o.id);
    expect(await customer('before.move@example.com')).toBeNull();
    await expectLikeFresh(`/customers/${customerIdForEmail('before.move@example.com')}`, `/orders/${o.number}`);
  });

  it('a guest whose only order is pending has no customer in Mailchimp yet; the order sent brings it', async () => {
    const email = 'pending.guest@example.com';
    const o = await orderOf({ guest_email: email, guest_first_name: 'Pat', status: 'pending' });
    await expect(syncNow(h, 'customer', customerIdForEmail(email))).resolves.toMatchObject({ outcome: { status: 'skipped' } });
    expect(await customer(email)).toBeNull();
    await expectLikeFresh(`/customers/${customerIdForEmail(email)}`);

    await h.t.db('orders').where({ id: o.id }).update({ status: 'paid' });
    await syncNow(h, 'order', o.id);
    expect(await customer(email)).toMatchObject({ first_name: 'Pat' });
  });

  it('a guest who registers becomes the registered customer (first and last name) under the same id', async () => {
    const email = 'guest.then.user@example.com';
    const o = await orderOf({ guest_email: email, guest_first_name: 'Gus', guest_last_name: 'Guest' });
    await syncNow(h, 'order', o.id);
    expect(await customer(email)).toMatchObject({ first_name: 'Gus', last_name: '' });

    await shop.user(h.t.db, { email, first_name: 'Augustus', last_name: 'Registered' });
    await syncNow(h, 'customer', customerIdForEmail(email));
    expect(await customer(email)).toMatchObject({ id: customerIdForEmail(email), first_name: 'Augustus', last_name: 'Registered', orders_count: 1 });
    await expectLikeFresh(`/customers/${customerIdForEmail(email)}`, `/orders/${o.number}`);
  });

  it('a registered user deleted while guest orders with the address remain: the customer is the guest again (no last name)', async () => {
    const email = 'user.then.guest@example.com';
    const u = await shop.user(h.t.db, { email, first_name: 'Una', last_name: 'User' });
    await syncNow(h, 'customer', customerIdForEmail(email));
    const o = await orderOf({ guest_email: email, guest_first_name: 'Una' });
    await syncNow(h, 'order', o.id);
    expect(await customer(email)).toMatchObject({ last_name: 'User' });

    await h.t.db('users').where({ id: u.id }).delete();
    await syncNow(h, 'customer', customerIdForEmail(email));
    expect(await customer(email)).toMatchObject({ first_name: 'Una', last_name: '' });
    await expectLikeFresh(`/customers/${customerIdForEmail(email)}`, `/orders/${o.number}`);
  });
});
