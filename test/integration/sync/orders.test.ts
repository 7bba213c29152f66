import { customerIdForEmail } from '../../../mapping/ids';
import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { count, notify, resetStats, resync, stats, storePath, syncNow, syncState, waitFor, writes } from '../../support/sync-steps';

interface RemoteOrder {
  id: string;
  financial_status: string;
  fulfillment_status: string;
  cancelled_at_foreign: string;
  order_total: number;
  discount_total: number;
  customer: { id: string; orders_count?: number };
  lines: Array<{ product_id: string; product_variant_id: string; quantity: number; price: number }>;
}

const ORDERS = '/ecommerce/stores/{store_id}/orders';
const ORDER = `${ORDERS}/{order_id}`;

describe('order sync (entity workflows → emulator)', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
    await resync(h); // empty shop: creates the Mailchimp store
  });
  afterAll(() => h.stop());

  const order = (number: string) => remote<RemoteOrder>(h, storePath(h, `/orders/${number}`));
  const setOrder = (id: number, values: Record<string, unknown>) => h.t.db('orders').where({ id }).update(values);

  async function paidOrder(email: string, row: Record<string, unknown> = {}) {
    const p = await shop.product(h.t.db, {}, [{ price: '10.00' }]);
    const variantId = (await h.t.db('product_variants').where({ product_id: p.id }).first('id')) as { id: number };
    const o = await shop.order(h.t.db, { guest_email: email, order_total: '10.00', ...row }, [{ product_id: p.id, variant_id: variantId.id }]);
    return { product: p, ...o };
  }

  it('syncs the customer and the products first when only the order is notified', async () => {
    const u = await shop.user(h.t.db, { email: 'first.buyer@example.com', marketing_opt_in: true });
    const shoe = await shop.product(h.t.db, { code: 'SHOE-9' }, [{ sku: 'SHOE-9-40', price: '50.00' }]);
    const book = await shop.product(h.t.db, { code: 'BOOK-9' });
    const shoeVariant = (await h.t.db('product_variants').where({ sku: 'SHOE-9-40' }).first('id')) as { id: number };
    const o = await shop.order(h.t.db, { user_id: u.id, order_total: '60.00' }, [
      { product_id: shoe.id, variant_id: shoeVariant.id, unit_price: '50.00' },
      { product_id: book.id, variant_id: null, unit_price: '10.00' },
    ]);

    await expect(syncNow(h, 'order', o.id)).resolves.toMatchObject({ status: 'synced' });

    const remoteOrder = await order(o.number);
    expect(remoteOrder).toMatchObject({ financial_status: 'paid', order_total: 60, customer: { id: customerIdForEmail(u.email) } });
    expect(remoteOrder!.lines.map((l) => [l.product_id, l.product_variant_id]).sort()).toEqual([['BOOK-9', 'BOOK-9'], ['SHOE-9', 'SHOE-9-40']]);
    expect(await remote(h, storePath(h, '/products/SHOE-9'))).not.toBeNull();
    expect(await remote(h, storePath(h, '/products/BOOK-9'))).not.toBeNull();
    expect(await remote(h, storePath(h, `/customers/${customerIdForEmail(u.email)}`))).toMatchObject({ opt_in_status: true });
    expect(await syncState(h, 'product', shoe.id)).toMatchObject({ status: 'synced' });
    expect(await syncState(h, 'product', book.id)).toMatchObject({ status: 'synced' });
    expect(await syncState(h, 'customer', customerIdForEmail(u.email))).toMatchObject({ status: 'synced' });
  });

  it('does not send a pending order; sends it once it is paid', async () => {
    const o = await paidOrder('pending.buyer@example.com', { status: 'pending' });
    await resetStats(h);
    await expect(syncNow(h, 'order', o.id)).resolves.toMatchObject({ status: 'skipped' });
    expect(await order(o.number)).toBeNull();
    expect(count(await stats(h), 'POST', ORDERS)).toBe(0);
    expect(await syncState(h, 'order', o.id)).toMatchObject({ status: 'skipped' });

    await setOrder(o.id, { status: 'paid' });
    await expect(syncNow(h, 'order', o.id)).resolves.toMatchObject({ status: 'synced' });
    expect(await order(o.number)).toMatchObject({ financial_status: 'paid' });
  });

  it('sends paid → shipped → cancelled → refunded and total changes as updates of the one order', async () => {
    const o = await paidOrder('lifecycle@example.com', { order_total: '10.00' });
    await resetStats(h);
    await syncNow(h, 'order', o.id);
    expect(await order(o.number)).toMatchObject({ financial_status: 'paid', fulfillment_status: '', order_total: 10 });

    await setOrder(o.id, { status: 'shipped' });
    await syncNow(h, 'order', o.id);
    expect(await order(o.number)).toMatchObject({ financial_status: 'paid', fulfillment_status: 'shipped' });

    await setOrder(o.id, { status: 'cancelled' });
    await syncNow(h, 'order', o.id);
    const cancelled = await order(o.number);
    expect(cancelled?.financial_status).toBe('cancelled');
    expect(cancelled?.cancelled_at_foreign).not.toBe('');

    await setOrder(o.id, { status: 'refunded', order_total: '8.50' });
    await syncNow(h, 'order', o.id);
    expect(await order(o.number)).toMatchObject({ financial_status: 'refunded', order_total: 8.5 });

    const s = await stats(h);
    expect(count(s, 'POST', ORDERS)).toBe(1);
    expect(count(s, 'PATCH', ORDER)).toBe(3);
  });

  it('makes no write when a sent order is synced again unchanged', async () => {
    const o = await paidOrder('twice@example.com');
    await syncNow(h, 'order', o.id);
    await resetStats(h);
    await expect(syncNow(h, 'order', o.id)).resolves.toMatchObject({ status: 'unchanged' });
    expect(writes(await stats(h))).toEqual({});
  });

  it('coalesces a burst of 5 changes into fewer writes, ending with the last change', async () => {
    const o = await paidOrder('burst@example.com', { order_total: '10.00' });
    await syncNow(h, 'order', o.id);
    await resetStats(h);

    let workflowId = '';
    for (let i = 1; i <= 5; i++) {
      await setOrder(o.id, { order_total: `${10 + i}.00` });
      workflowId = await notify(h, 'order', o.id);
    }
    await h.client.workflow.getHandle(workflowId).result();
    await waitFor('the last total in Mailchimp', async () => (await order(o.number))?.order_total === 15);

    const s = await stats(h);
    expect(count(s, 'PATCH', ORDER)).toBeGreaterThanOrEqual(1);
    expect(count(s, 'PATCH', ORDER)).toBeLessThan(5);
    expect(count(s, 'POST', ORDERS)).toBe(0);
  });

  it('creates the order only once when it is notified twice at the same time', async () => {
    const o = await paidOrder('concurrent@example.com');
    await resetStats(h);
    const [a, b] = await Promise.all([notify(h, 'order', o.id), notify(h, 'order', o.id)]);
    expect(a).toBe(b);
    await h.client.workflow.getHandle(a).result();

    expect(count(await stats(h), 'POST', ORDERS)).toBe(1);
    expect(await order(o.number)).toMatchObject({ financial_status: 'paid' });
  });

  it('leaves one order in Mailchimp when an entity workflow and a full resync send it at once', async () => {
    const o = await paidOrder('race@example.com', { order_total: '12.00' });
    const [, progress] = await Promise.all([syncNow(h, 'order', o.id), resync(h, 'orders')]);
    expect(progress.done).toBe(true);

    const all = await remote<{ orders: RemoteOrder[] }>(h, storePath(h, `/orders?customer_id=${customerIdForEmail('race@example.com')}&count=1000`));
    expect(all!.orders.map((x) => x.id)).toEqual([o.number]);
    expect(all!.orders[0]).toMatchObject({ order_total: 12, financial_status: 'paid' });
    expect(await syncState(h, 'order', o.id)).toMatchObject({ status: 'synced' });
  });
});
