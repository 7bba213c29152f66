import { createContext } from '../../../activities/context';
import { syncEntity } from '../../../activities/entities';
import { customerIdForEmail } from '../../../mapping/ids';
import { createSyncDeps } from '../../../wiring/env';
import { interleaver } from '../../support/interleave';
import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { notify, resync, syncNow } from '../../support/sync-steps';

/**
 * Two writers of one entity at once, forced by pausing the first between its read and its write: the second one
 * waits for the first (the entity lock) and then reads the newer shop data, so Mailchimp ends with the newer
 * version and the recorded hash is the newer version's (a sync of the unchanged shop afterwards sends nothing).
 */

const gate = interleaver();

async function settled<T>(h: SyncHarness, workflowId: string): Promise<T> {
  return (await h.client.workflow.getHandle(workflowId).result()) as T;
}

describe('concurrent writers of one entity (direct mode)', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness({ hooks: gate.hooks });
    await resync(h);
  });
  afterAll(() => h.stop());

  const path = (rest: string) => `/ecommerce/stores/${h.config.storeId}${rest}`;

  it('a full resync page paused after reading a product does not overwrite the newer version the immediate path sent', async () => {
    const { db } = h.t;
    const lamp = await shop.product(db, { title: 'Lamp v1' }, [{ sku: 'LAMP-1', price: '20.00' }]);
    const pause = gate.pauseAfterRead('product', lamp.id);
    const page = resync(h, 'products');
    await pause.reached;

    await db('products').where({ id: lamp.id }).update({ title: 'Lamp v2' });
    const immediate = settled(h, await notify(h, 'product', lamp.id));
    await Promise.race([gate.lockWaited('product', lamp.id), immediate]);
    pause.release();
    await page;
    await immediate;

    expect((await remote<{ title: string }>(h, path(`/products/${lamp.code}`)))?.title).toBe('Lamp v2');
    expect((await syncNow(h, 'product', lamp.id)).status).toBe('unchanged');
  });

  it("an order syncing its customer on the way does not overwrite the newer name the customer's own workflow sent", async () => {
    const { db } = h.t;
    const book = await shop.product(db, { title: 'A book' });
    const grace = await shop.user(db, { email: 'hopper@example.com', first_name: 'Grace', last_name: 'Brewster' });
    const order = await shop.order(db, { user_id: grace.id }, [{ product_id: book.id }]);
    const customerId = customerIdForEmail(grace.email);
    const pause = gate.pauseAfterRead('customer', customerId);
    const orderRun = settled(h, await notify(h, 'order', order.id));
    await pause.reached;

    await db('users').where({ id: grace.id }).update({ last_name: 'Hopper' });
    const own = settled<{ outcome: { status: string } }>(h, await notify(h, 'customer', customerId));
    await Promise.race([gate.lockWaited('customer', customerId), own]);
    pause.release();
    await orderRun;
    await own;

    expect((await remote<{ last_name: string }>(h, path(`/customers/${customerId}`)))?.last_name).toBe('Hopper');
    expect((await remote<{ customer: { id: string } }>(h, path(`/orders/${order.number}`)))?.customer.id).toBe(customerId);
    const again = await syncNow<{ outcome: { status: string } }>(h, 'customer', customerId);
    expect(again.outcome.status).toBe('unchanged');
  });

  it("an order syncing a new product on the way does not overwrite the newer version the product's own workflow sent", async () => {
    const { db } = h.t;
    const kettle = await shop.product(db, { title: 'Kettle v1' }, [{ sku: 'KETTLE-1', price: '35.00' }]);
    const order = await shop.order(db, { guest_email: 'tea@example.org' }, [{ product_id: kettle.id, variant_id: null }]);
    const pause = gate.pauseAfterRead('product', kettle.id);
    const orderRun = settled(h, await notify(h, 'order', order.id));
    await pause.reached;

    await db('products').where({ id: kettle.id }).update({ title: 'Kettle v2' });
    const own = settled(h, await notify(h, 'product', kettle.id));
    await Promise.race([gate.lockWaited('product', kettle.id), own]);
    pause.release();
    await orderRun;
    await own;

    expect((await remote<{ title: string }>(h, path(`/products/${kettle.code}`)))?.title).toBe('Kettle v2');
    expect((await remote<{ lines: Array<{ product_id: string }> }>(h, path(`/orders/${order.number}`)))?.lines.map((l) => l.product_id)).toEqual([kettle.code]);
    expect((await syncNow(h, 'product', kettle.id)).status).toBe('unchanged');
  });

  it('two concurrent syncs of one order with a change between them end with the later change (also across worker processes)', async () => {
    const { db } = h.t;
    const mug = await shop.product(db, { title: 'Mug' });
    const order = await shop.order(db, { guest_email: 'mug@example.org', order_total: '20.00' }, [{ product_id: mug.id }]);
    expect((await syncNow(h, 'order', order.id)).status).toBe('synced');
    await db('orders').where({ id: order.id }).update({ order_total: '30.00' });

    // Separate dependencies stand for a second worker: the locks are the database's, not the process's.
    const other = createSyncDeps(h.t.db, h.mailchimp, h.config, async () => h.client, undefined, gate.hooks);
    const pause = gate.pauseAfterRead('order', order.id);
    const first = syncEntity(await createContext(other), 'order', String(order.id));
    await pause.reached;
    await db('orders').where({ id: order.id }).update({ order_total: '40.00' });
    const second = syncEntity(await createContext(other), 'order', String(order.id));
    await Promise.race([gate.lockWaited('order', order.id), second]);
    pause.release();
    expect((await first).status).toBe('synced');
    expect((await second).status).toBe('synced');

    expect((await remote<{ order_total: number }>(h, path(`/orders/${order.number}`)))?.order_total).toBe(40);
    expect((await syncNow(h, 'order', order.id)).status).toBe('unchanged');
  });
});

describe('concurrent writers of one entity (batch mode)', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness({ hooks: gate.hooks, backfillMode: 'batch' });
    await resync(h);
  });
  afterAll(() => h.stop());

  const path = (rest: string) => `/ecommerce/stores/${h.config.storeId}${rest}`;

  it("a batch page paused after reading a customer does not PUT the older name over the immediate path's newer one", async () => {
    const { db } = h.t;
    const ada = await shop.user(db, { email: 'ada.batch@example.com', last_name: 'Byron' });
    const customerId = customerIdForEmail(ada.email);
    expect((await syncNow<{ outcome: { status: string } }>(h, 'customer', customerId)).outcome.status).toBe('synced');
    await db('users').where({ id: ada.id }).update({ last_name: 'King' });

    const pause = gate.pauseAfterRead('customer', customerId);
    const page = resync(h, 'customers');
    await pause.reached;
    await db('users').where({ id: ada.id }).update({ last_name: 'Lovelace' });
    const immediate = settled(h, await notify(h, 'customer', customerId));
    await Promise.race([gate.lockWaited('customer', customerId), immediate]);
    pause.release();
    const progress = await page;
    await immediate;

    expect(progress.counts.customer?.synced).toBe(1);
    expect((await remote<{ last_name: string }>(h, path(`/customers/${customerId}`)))?.last_name).toBe('Lovelace');
    expect((await syncNow<{ outcome: { status: string } }>(h, 'customer', customerId)).outcome.status).toBe('unchanged');
  });

  it('a batch page paused after reading an inactive product does not delete it after the immediate path sent it active again', async () => {
    const { db } = h.t;
    const chair = await shop.product(db, { title: 'Chair' }, [{ sku: 'CHAIR-1', price: '99.00' }]);
    expect((await syncNow(h, 'product', chair.id)).status).toBe('synced');
    await db('products').where({ id: chair.id }).update({ status: 'inactive' });

    const pause = gate.pauseAfterRead('product', chair.id);
    const page = resync(h, 'products');
    await pause.reached;
    await db('products').where({ id: chair.id }).update({ status: 'active', title: 'Chair, back in stock' });
    const immediate = settled(h, await notify(h, 'product', chair.id));
    await Promise.race([gate.lockWaited('product', chair.id), immediate]);
    pause.release();
    await page;
    await immediate;

    expect((await remote<{ title: string }>(h, path(`/products/${chair.code}`)))?.title).toBe('Chair, back in stock');
    expect((await syncNow(h, 'product', chair.id)).status).toBe('unchanged');
  });
});
