import { reconcile } from '../../../client/reconcile/reconcile';
import { OPTIONAL_ORDER_COLUMNS, OPTIONAL_USER_COLUMNS } from '../../../mapping/address-columns';
import { customerIdForEmail } from '../../../mapping/ids';
import { changeScanWorkflow } from '../../../workflows/change-scan';
import { differences, freshStores, type FreshStores } from '../../support/fresh-store';
import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { count, resetStats, resync, stats, storePath, syncNow, syncState, waitFor } from '../../support/sync-steps';

/**
 * Locations and complete orders (issue 12, items 3 and 4) on the real stack: a registered user's address on the
 * Mailchimp customer, an order's shipping and billing address, tracking and order_url, each cleared when the shop empties
 * it (the store then equals a fresh full sync, field by field); an invalid country code leaves the address out with a
 * warning and the rest is sent; with SEND_PENDING_ORDERS a pending order is sent once, as `pending`, and updated in
 * place when paid; reconcile compares these fields.
 */

type Json = Record<string, unknown>;
interface RemoteOrder {
  id: string;
  financial_status: string;
  order_url: string;
  tracking_number: string;
  tracking_carrier: string;
  tracking_url: string;
  shipping_address: Json;
  billing_address: Json;
}
interface RemoteCustomer {
  id: string;
  address: Json;
}

const EMPTY_ADDRESS = { address1: '', address2: '', city: '', province: '', province_code: '', postal_code: '', country: '', country_code: '' };
const USER_ADDRESS = {
  address1: '12 Rue de Rivoli', address2: 'Bât. B', city: 'Paris', province: 'Île-de-France', province_code: 'IDF', postal_code: '75004', country_code: 'fr', phone: '+33 1 23 45 67 89',
};
const SHIPPING = {
  shipping_name: 'Ada Lovelace', shipping_address1: '1 Main St', shipping_city: 'Springfield', shipping_province_code: 'IL', shipping_postal_code: '62701', shipping_country_code: 'US', shipping_phone: '555-0100',
};
const BILLING = { billing_name: 'A. Lovelace', billing_address1: 'PO Box 7', billing_city: 'Chicago', billing_country_code: 'US' };
const TRACKING = { tracking_number: '1Z999AA10123456784', tracking_carrier: 'UPS', tracking_url: 'https://ups.example/track/1Z999AA10123456784' };
const CLEARED = Object.fromEntries([...Object.keys(SHIPPING), ...Object.keys(BILLING), ...Object.keys(TRACKING)].map((k) => [k, null]));

describe('locations and complete orders', () => {
  let h: SyncHarness;
  let fresh: FreshStores;
  let product: { id: number; code: string; skus: string[] };
  beforeAll(async () => {
    h = await startSyncHarness({ shopDb: { orders: { sendPending: true, urlTemplate: 'https://{domain}/account/orders/{id}?n={number}' } } });
    fresh = await freshStores(h);
    product = await shop.product(h.t.db, { code: 'LOC-P' }, [{ sku: 'LOC-P-1' }]);
    await resync(h);
  });
  afterAll(async () => {
    await fresh.stop();
    await h.stop();
  });

  const order = (number: string) => remote<RemoteOrder>(h, storePath(h, `/orders/${number}`));
  const customer = (email: string) => remote<RemoteCustomer>(h, storePath(h, `/customers/${customerIdForEmail(email)}`));
  const line = () => [{ product_id: product.id, variant_id: null }];

  async function expectLikeFresh(...resources: string[]): Promise<void> {
    const freshId = await fresh.sync();
    expect(await differences(h, freshId, resources)).toEqual([]);
  }

  it('a user\'s address reaches the customer (no phone: a customer address has none) and is cleared when emptied', async () => {
    const u = await shop.user(h.t.db, { email: 'paris@example.com', ...USER_ADDRESS });
    await syncNow(h, 'customer', customerIdForEmail(u.email));
    expect((await customer(u.email))?.address).toEqual({
      address1: '12 Rue de Rivoli', address2: 'Bât. B', city: 'Paris', province: 'Île-de-France', province_code: 'IDF', postal_code: '75004', country: 'France', country_code: 'FR',
    });

    await h.t.db('users').where({ id: u.id }).update({ address1: null, address2: '', city: null, province: null, province_code: null, postal_code: null, country_code: null });
    await syncNow(h, 'customer', customerIdForEmail(u.email));
    expect((await customer(u.email))?.address).toEqual(EMPTY_ADDRESS);
    await expectLikeFresh(`/customers/${customerIdForEmail(u.email)}`);
  });

  it('an order\'s addresses, tracking and order_url are sent, and cleared when the shop empties them', async () => {
    const u = await shop.user(h.t.db, { email: 'springfield@example.com' });
    const o = await shop.order(h.t.db, { user_id: u.id, status: 'shipped', order_number: 'LOC-1', ...SHIPPING, ...BILLING, ...TRACKING }, line());
    await syncNow(h, 'order', o.id);
    const sent = await order('LOC-1');
    expect(sent).toMatchObject({
      ...TRACKING,
      order_url: `https://shop.example/account/orders/${o.id}?n=LOC-1`,
      shipping_address: { name: 'Ada Lovelace', address1: '1 Main St', city: 'Springfield', province_code: 'IL', postal_code: '62701', country: 'United States', country_code: 'US', phone: '555-0100' },
      billing_address: { name: 'A. Lovelace', address1: 'PO Box 7', city: 'Chicago', country_code: 'US', phone: '' },
    });

    await h.t.db('orders').where({ id: o.id }).update(CLEARED);
    await syncNow(h, 'order', o.id);
    const cleared = await order('LOC-1');
    expect(cleared).toMatchObject({ tracking_number: '', tracking_carrier: '', tracking_url: '' });
    expect(Object.values(cleared?.shipping_address ?? { x: 'missing' }).every((v) => v === '')).toBe(true);
    expect(Object.values(cleared?.billing_address ?? { x: 'missing' }).every((v) => v === '')).toBe(true);
    await expectLikeFresh('/orders/LOC-1');
  });

  it('one address part changed alone is sent, and no other part of the old address survives', async () => {
    const o = await shop.order(h.t.db, { guest_email: 'part@example.com', order_number: 'LOC-2', ...SHIPPING }, line());
    await syncNow(h, 'order', o.id);
    await h.t.db('orders').where({ id: o.id }).update({ shipping_address1: null, shipping_city: 'Peoria' });
    await syncNow(h, 'order', o.id);
    expect((await order('LOC-2'))?.shipping_address).toMatchObject({ address1: '', city: 'Peoria', name: 'Ada Lovelace' });
    await expectLikeFresh('/orders/LOC-2');
  });

  it('an invalid country code leaves the address out with a warning on the sync state; the order and the customer are still sent', async () => {
    const u = await shop.user(h.t.db, { email: 'nowhere@example.com', city: 'Atlantis', country_code: 'XX' });
    const o = await shop.order(h.t.db, { user_id: u.id, order_number: 'LOC-3', ...SHIPPING, shipping_country_code: 'Germany', ...BILLING }, line());
    await syncNow(h, 'order', o.id);
    const sent = await order('LOC-3');
    expect(sent?.financial_status).toBe('paid');
    expect(Object.values(sent?.shipping_address ?? { x: 'missing' }).every((v) => v === '')).toBe(true);
    expect(sent?.billing_address).toMatchObject({ city: 'Chicago', country_code: 'US' });
    expect(await syncState(h, 'order', o.id)).toMatchObject({
      status: 'synced', error_reason: 'Order LOC-3\'s shipping address was sent without it: the country code "Germany" is not an ISO 3166-1 alpha-2 code',
    });

    await syncNow(h, 'customer', customerIdForEmail(u.email));
    expect((await customer(u.email))?.address).toEqual(EMPTY_ADDRESS);
    expect(await syncState(h, 'customer', customerIdForEmail(u.email))).toMatchObject({
      status: 'synced', error_reason: expect.stringContaining('the country code "XX" is not an ISO 3166-1 alpha-2 code') as unknown,
    });
  });

  it('a change to a tracking column alone is found by the change scan', async () => {
    const o = await shop.order(h.t.db, { guest_email: 'scan@example.com', order_number: 'LOC-4', status: 'shipped' }, line());
    await syncNow(h, 'order', o.id);
    await h.t.db('orders').where({ id: o.id }).update({ tracking_number: 'TRK-42' });
    await h.client.workflow.execute(changeScanWorkflow, {
      workflowId: `${h.config.storeId}:scan:orders:test-loc`, taskQueue: h.config.taskQueue, args: [{ storeId: h.config.storeId, scope: 'orders' }],
    });
    await waitFor('the tracking number in Mailchimp', async () => (await order('LOC-4'))?.tracking_number === 'TRK-42');
  });

  it('SEND_PENDING_ORDERS: a pending order is sent once as pending, then updated in place when paid', async () => {
    await resetStats(h);
    const o = await shop.order(h.t.db, { guest_email: 'pending@example.com', order_number: 'LOC-5', status: 'pending' }, line());
    await syncNow(h, 'order', o.id);
    expect((await order('LOC-5'))?.financial_status).toBe('pending');
    expect(await customer('pending@example.com')).not.toBeNull();

    await h.t.db('orders').where({ id: o.id }).update({ status: 'paid' });
    await syncNow(h, 'order', o.id);
    await syncNow(h, 'order', o.id);
    expect((await order('LOC-5'))?.financial_status).toBe('paid');
    const s = await stats(h);
    expect(count(s, 'POST', '/ecommerce/stores/{store_id}/orders')).toBe(1);
    expect(count(s, 'PATCH', '/ecommerce/stores/{store_id}/orders/{order_id}')).toBe(1);
    expect(count(s, 'DELETE', '/ecommerce/stores/{store_id}/orders/{order_id}')).toBe(0);
    await expectLikeFresh('/orders/LOC-5', `/customers/${customerIdForEmail('pending@example.com')}`);
  });

  it('reconcile finds no drift after the sync, and finds an address or tracking field Mailchimp no longer matches', async () => {
    const source = h.source;
    if (!source) throw new Error('the harness has no source');
    const io = { source, mailchimp: h.mailchimp, storeId: h.config.storeId, listId: h.config.listId, redemptionUrlTemplate: h.config.redemptionUrlTemplate };
    const u = await shop.user(h.t.db, { email: 'drift@example.com', ...USER_ADDRESS });
    const o = await shop.order(h.t.db, { user_id: u.id, order_number: 'LOC-6', status: 'shipped', ...SHIPPING, ...TRACKING }, line());
    await syncNow(h, 'order', o.id);
    await syncNow(h, 'customer', customerIdForEmail(u.email));
    const clean = await reconcile(io, ['customer', 'order']);
    expect(clean.drifts).toEqual([]);

    const orderPath = `/3.0${storePath(h, '/orders/LOC-6')}`;
    expect((await h.http.patch(orderPath, { tracking_carrier: 'DHL', shipping_address: { city: 'Elsewhere' }, billing_address: { city: 'Stale' } })).status).toBe(200);
    expect((await h.http.patch(`/3.0${storePath(h, `/customers/${customerIdForEmail(u.email)}`)}`, { address: { postal_code: '00000' } })).status).toBe(200);
    const drifted = await reconcile(io, ['customer', 'order']);
    const fields = drifted.drifts.map((d) => `${d.type} ${d.id} ${d.field ?? d.kind}`).sort();
    expect(fields).toEqual([
      `customer ${customerIdForEmail(u.email)} address`, 'order LOC-6 billing_address', 'order LOC-6 shipping_address', 'order LOC-6 tracking_carrier',
    ]);
  });

  // Last: it drops the columns from this test's database.
  it('a shop without the optional columns (tables or views that leave them out) syncs as before, with no address or tracking', async () => {
    const columns = async (table: string) => ((await h.t.db.raw('SHOW COLUMNS FROM ??', [table])) as [Array<{ Field: string }>])[0].map((c) => c.Field);
    const drop = async (table: string, names: string[]) => h.t.db.raw(`ALTER TABLE ?? ${names.map((n) => `DROP COLUMN \`${n}\``).join(', ')}`, [table]);
    await drop('users', OPTIONAL_USER_COLUMNS.map((c) => c.name));
    await drop('orders', OPTIONAL_ORDER_COLUMNS.map((c) => c.name));
    expect(await columns('orders')).not.toContain('shipping_city');

    const u = await shop.user(h.t.db, { email: 'plain@example.com' });
    const o = await shop.order(h.t.db, { user_id: u.id, order_number: 'LOC-7', status: 'shipped' }, line());
    await expect(syncNow(h, 'order', o.id)).resolves.toMatchObject({ status: 'synced' });
    expect(await order('LOC-7')).toMatchObject({ financial_status: 'paid', fulfillment_status: 'shipped', tracking_number: '', shipping_address: { city: '' } });
    expect((await customer(u.email))?.address).toEqual(EMPTY_ADDRESS);
  });
});
