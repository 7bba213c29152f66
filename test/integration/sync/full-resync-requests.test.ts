import { fullResyncWorkflow } from '../../../workflows/full-resync';
import { customerIdForEmail } from '../../../mapping/ids';
import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { syncState } from '../../support/sync-steps';

/**
 * The direct backfill sends one request per entity (issue 15): no GET of the member before a customer (consent comes
 * from the phase's audience listing), a guest inside its first order, the guest's other orders by id only. Consent
 * holds: members already in the audience keep their status, and the customer's opt_in_status is the policy's.
 */
describe('direct full resync: one request per entity', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
  });
  afterAll(() => h.stop());

  interface Stats { requests: number; byRoute: Record<string, number> }
  const stats = async () => (await h.http.get('/_emulator/stats')).data as Stats;

  it('writes each entity once, keeps every existing member as it is, and sends a guest with its first order', async () => {
    const { db } = h.t;
    const products = await Promise.all([1, 2, 3].map((n) => shop.product(db, { title: `Thing ${n}` }, [{ sku: `REQ-${n}-A` }])));
    const subscribed = await shop.user(db, { email: 'sub@example.com', marketing_opt_in: false });
    const unsubscribed = await shop.user(db, { email: 'unsub@example.com', marketing_opt_in: true });
    const fresh = await shop.user(db, { email: 'fresh@example.com', marketing_opt_in: true });
    const plain = await shop.user(db, { email: 'plain@example.com', marketing_opt_in: false });
    for (const [email, status] of [['sub@example.com', 'subscribed'], ['unsub@example.com', 'unsubscribed'], ['Guest.Sub@example.com', 'subscribed']] as const) {
      await h.mailchimp.upsertMember(h.config.listId, email, { email_address: email, status_if_new: status });
    }
    const buyers = [subscribed, unsubscribed, fresh, plain];
    const orders = [];
    for (let i = 0; i < 8; i++) {
      const p = products[i % products.length];
      orders.push(await shop.order(db, { user_id: buyers[i % buyers.length].id }, [{ product_id: p.id }]));
    }
    // Two guests with three orders each, spread over pages (3 rows a page); one is a subscribed member already.
    for (let i = 0; i < 6; i++) {
      const guest = i % 2 === 0 ? { guest_email: 'guest.sub@example.com', guest_first_name: 'Sue' } : { guest_email: ' Gus@Example.org\t', guest_first_name: 'Gus' };
      orders.push(await shop.order(db, guest, [{ product_id: products[i % products.length].id }]));
    }
    await h.http.post('/_emulator/stats/reset');

    const progress = await h.client.workflow.execute(fullResyncWorkflow, {
      workflowId: `${h.config.storeId}:full-resync:${Date.now()}`, taskQueue: h.config.taskQueue,
      args: [{ storeId: h.config.storeId, types: 'all', pageSize: 3, mode: 'direct' }],
    });
    expect(progress.done).toBe(true);
    const entities = Object.values(progress.counts).reduce((n, c) => n + c.synced + c.unchanged + c.failed + c.skipped, 0);
    expect(entities).toBe(3 + 4 + orders.length);

    const { requests, byRoute } = await stats();
    const route = (key: string) => byRoute[key] ?? 0;
    expect(route('GET /3.0/lists/{list_id}/members/{subscriber_hash}')).toBe(0);
    expect(route('PUT /3.0/lists/{list_id}/members/{subscriber_hash}')).toBe(0);
    expect(route('PUT /3.0/ecommerce/stores/{store_id}/customers/{customer_id}')).toBe(4);
    expect(route('POST /3.0/ecommerce/stores/{store_id}/orders')).toBe(orders.length);
    // Besides each entity's own write: the store (read, create, is_syncing on and off), the audience's settings and
    // one listing of it per phase that decides consent (customers, orders).
    expect(route('POST /3.0/ecommerce/stores/{store_id}/products')).toBe(3);
    expect(route('GET /3.0/lists/{list_id}/members')).toBe(2);
    expect(requests).toBe(3 + 4 + orders.length + 7);

    const member = async (email: string) => (await remote<{ status: string }>(h, `/lists/${h.config.listId}/members/${customerIdForEmail(email)}`))?.status;
    const customer = async (email: string) => remote<{ opt_in_status: boolean; first_name?: string }>(h, `/ecommerce/stores/${h.config.storeId}/customers/${customerIdForEmail(email)}`);
    expect(await member('sub@example.com')).toBe('subscribed');
    expect(await member('unsub@example.com')).toBe('unsubscribed');
    expect(await member('guest.sub@example.com')).toBe('subscribed');
    expect(await member('gus@example.org')).toBe('transactional');
    expect((await customer('sub@example.com'))?.opt_in_status).toBe(true);
    expect((await customer('unsub@example.com'))?.opt_in_status).toBe(false);
    expect((await customer('guest.sub@example.com'))?.opt_in_status).toBe(true);
    expect(await customer('gus@example.org')).toMatchObject({ opt_in_status: false, first_name: 'Gus' });
  });

  it('sends a customer and an order with an invalid country code from the page, one request each, recording the warning; records pending orders skipped', async () => {
    const { db } = h.t;
    // Whatever an earlier test left unsent goes first, so the counts below are this test's own.
    await h.client.workflow.execute(fullResyncWorkflow, {
      workflowId: `${h.config.storeId}:full-resync:${Date.now()}`, taskQueue: h.config.taskQueue,
      args: [{ storeId: h.config.storeId, types: 'all', pageSize: 50, mode: 'direct' }],
    });
    const product = await shop.product(db, { title: 'Nowhere mug' }, [{ sku: 'REQ-NOWHERE' }]);
    const user = await shop.user(db, { email: 'atlantis@example.com', city: 'Atlantis', country_code: 'XX' });
    const located = await shop.order(db, { user_id: user.id, shipping_city: 'Berlin', shipping_country_code: 'Germany' }, [{ product_id: product.id }]);
    const guest = await shop.order(db, { guest_email: 'lost.guest@example.com', billing_city: 'Oslo', billing_country_code: 'Norge' }, [{ product_id: product.id }]);
    const pending = await shop.order(db, { user_id: user.id, status: 'pending' }, [{ product_id: product.id }]);
    await h.http.post('/_emulator/stats/reset');

    const progress = await h.client.workflow.execute(fullResyncWorkflow, {
      workflowId: `${h.config.storeId}:full-resync:${Date.now()}`, taskQueue: h.config.taskQueue,
      args: [{ storeId: h.config.storeId, types: 'all', pageSize: 50, mode: 'direct' }],
    });
    expect(progress.done).toBe(true);
    const { byRoute } = await stats();
    const route = (key: string) => byRoute[key] ?? 0;
    // No member GET (the entity sync asks one before a customer write), one write each: the new product, the
    // customer, the two orders (the guest inside its order).
    expect(route('GET /3.0/lists/{list_id}/members/{subscriber_hash}')).toBe(0);
    expect(route('POST /3.0/ecommerce/stores/{store_id}/products')).toBe(1);
    expect(route('PUT /3.0/ecommerce/stores/{store_id}/customers/{customer_id}')).toBe(1);
    expect(route('POST /3.0/ecommerce/stores/{store_id}/orders')).toBe(2);

    expect(await syncState(h, 'customer', customerIdForEmail('atlantis@example.com'))).toMatchObject({
      status: 'synced', error_reason: expect.stringContaining('the country code "XX" is not an ISO 3166-1 alpha-2 code') as unknown,
    });
    expect(await syncState(h, 'order', located.id)).toMatchObject({
      status: 'synced', error_reason: expect.stringContaining('the country code "Germany" is not an ISO 3166-1 alpha-2 code') as unknown,
    });
    expect(await syncState(h, 'order', guest.id)).toMatchObject({
      status: 'synced', error_reason: expect.stringContaining('the country code "Norge" is not an ISO 3166-1 alpha-2 code') as unknown,
    });
    expect(await syncState(h, 'customer', customerIdForEmail('lost.guest@example.com'))).toMatchObject({ status: 'synced' });
    expect(await syncState(h, 'order', pending.id)).toMatchObject({ status: 'skipped', error_reason: expect.stringContaining('pending') as unknown });
    const sentCustomer = await remote<{ address?: Record<string, string> }>(h, `/ecommerce/stores/${h.config.storeId}/customers/${customerIdForEmail('atlantis@example.com')}`);
    expect(Object.values(sentCustomer?.address ?? {}).every((v) => v === '')).toBe(true);
  });
});
