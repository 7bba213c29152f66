import { NativeConnection } from '@temporalio/worker';
import { env } from '../../../config/env';
import { createSyncDeps } from '../../../wiring/env';
import { createSyncWorker } from '../../../workers/worker';
import { fullResyncWorkflow } from '../../../workflows/full-resync';
import { cli } from '../cli/support';
import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { resync, syncNow, syncState } from '../../support/sync-steps';

/**
 * The rule for products: after shop changes and their incremental syncs, the Mailchimp store holds, field by field,
 * what a fresh full sync of the current shop into an empty store holds (server timestamps aside).
 */

type Json = Record<string, unknown>;
interface RemoteProduct extends Json {
  id: string;
  variants: Array<Json & { id: string }>;
}
interface RemoteOrder extends Json {
  id: string;
  lines: Array<Json & { id: string; product_id: string; product_variant_id: string }>;
}

/** Stamped by the server, or naming the store itself. */
const SERVER_FIELDS = new Set(['created_at', 'updated_at', '_links', 'store_id']);

function withoutServerFields(o: Json): Json {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !SERVER_FIELDS.has(k)));
}

/** A product as Mailchimp holds it, without what the server stamps, variants in id order. */
function comparable(p: RemoteProduct | null): Json | null {
  if (!p) return null;
  const variants = [...p.variants].sort((a, b) => a.id.localeCompare(b.id)).map(withoutServerFields);
  return { ...withoutServerFields(p), variants };
}

function comparableOrder(o: RemoteOrder | null): Json | null {
  if (!o) return null;
  const lines = [...o.lines].sort((a, b) => a.id.localeCompare(b.id)).map(withoutServerFields);
  return { ...withoutServerFields(o), lines };
}

let freshStores = 0;

/** A fresh full sync of the current shop into a new, empty store of the same emulator, by a worker of its own. */
async function freshFullSync(h: SyncHarness): Promise<string> {
  const n = ++freshStores;
  const config = { ...h.config, storeId: `${h.config.storeId}_fresh${n}`, taskQueue: `${h.config.taskQueue}-fresh${n}` };
  const connection = await NativeConnection.connect({ address: env('TEMPORAL_ADDRESS') });
  const worker = await createSyncWorker({
    connection, namespace: env('TEMPORAL_NAMESPACE'), taskQueue: config.taskQueue,
    deps: createSyncDeps(h.t.db, h.mailchimp, config, async () => h.client),
  });
  const running = worker.run();
  try {
    await h.client.workflow.execute(fullResyncWorkflow, {
      workflowId: `${config.storeId}:full-resync`, taskQueue: config.taskQueue, args: [{ storeId: config.storeId, types: 'all', pageSize: 50 }],
    });
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
  }
  return config.storeId;
}

describe('product lifecycle: incremental syncs end where a fresh full sync ends', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
    await resync(h);
  });
  afterAll(() => h.stop());

  const productIn = (storeId: string, code: string) => remote<RemoteProduct>(h, `/ecommerce/stores/${storeId}/products/${encodeURIComponent(code)}`);
  const orderIn = (storeId: string, id: string) => remote<RemoteOrder>(h, `/ecommerce/stores/${storeId}/orders/${encodeURIComponent(id)}`);
  const touch = (productId: number) => h.t.db('products').where({ id: productId }).update({ updated_at: h.t.db.raw('NOW(3)') });

  it('clears every optional product and variant field the shop empties', async () => {
    const p = await shop.product(h.t.db, {
      code: 'CLR-1', title: 'Clearable', description: '<p>Soon gone</p>', category: 'Things', vendor: 'Acme', seo_url: '/things/clearable',
      image_url: 'https://cdn.example/clr.jpg', published_at: new Date('2026-02-03T04:05:06.000Z'),
    }, [
      { sku: 'CLR-1-A', title: 'A', price: '5.00', inventory_quantity: 4, image_url: 'https://cdn.example/clr-a.jpg' },
      { sku: 'CLR-1-B', title: 'B', price: '6.00', inventory_quantity: 2 },
    ]);
    await syncNow(h, 'product', p.id);
    expect(await productIn(h.config.storeId, 'CLR-1')).toMatchObject({ published_at_foreign: '2026-02-03T04:05:06.000Z', vendor: 'Acme' });

    await h.t.db('products').where({ id: p.id }).update({ description: null, category: null, vendor: null, seo_url: null, image_url: null, published_at: null });
    await h.t.db('product_variants').where({ sku: 'CLR-1-A' }).update({ title: '', image_url: null, inventory_quantity: null });
    await expect(syncNow(h, 'product', p.id)).resolves.toMatchObject({ status: 'synced' });

    const fresh = await freshFullSync(h);
    const incremental = await productIn(h.config.storeId, 'CLR-1');
    expect(comparable(incremental)).toEqual(comparable(await productIn(fresh, 'CLR-1')));
    expect(incremental).toMatchObject({ description: '', type: '', vendor: '', url: '', handle: '', image_url: '', published_at_foreign: '' });
    const a = incremental!.variants.find((v) => v.id === 'CLR-1-A');
    expect(a).toMatchObject({ title: 'Clearable', image_url: '', url: '', inventory_quantity: 0 });
  });

  it('deletes a variant whose row was deleted from the shop', async () => {
    const p = await shop.product(h.t.db, { code: 'HDV-1', title: 'Hard delete' }, [
      { sku: 'HDV-1-S', title: 'S', price: '9.00' }, { sku: 'HDV-1-M', title: 'M', price: '9.00' },
    ]);
    await syncNow(h, 'product', p.id);
    expect((await productIn(h.config.storeId, 'HDV-1'))!.variants.map((v) => v.id).sort()).toEqual(['HDV-1-M', 'HDV-1-S']);

    await h.t.db('product_variants').where({ sku: 'HDV-1-M' }).delete();
    await touch(p.id);
    await expect(syncNow(h, 'product', p.id)).resolves.toMatchObject({ status: 'synced' });

    expect(await remote(h, `/ecommerce/stores/${h.config.storeId}/products/HDV-1/variants/HDV-1-M`)).toBeNull();
    const fresh = await freshFullSync(h);
    expect(comparable(await productIn(h.config.storeId, 'HDV-1'))).toEqual(comparable(await productIn(fresh, 'HDV-1')));
  });

  it('re-sends an order whose line named a variant row deleted from the shop: it then names the code variant', async () => {
    const p = await shop.product(h.t.db, { code: 'HDO-1', title: 'Hard delete, ordered' }, [
      { sku: 'HDO-1-S', title: 'S', price: '7.00' }, { sku: 'HDO-1-M', title: 'M', price: '7.00' },
    ]);
    const variantM = (await h.t.db('product_variants').where({ sku: 'HDO-1-M' }).first('id') as { id: number }).id;
    const o = await shop.order(h.t.db, { guest_email: 'hdo-buyer@example.org', order_total: '7.00' }, [{ product_id: p.id, variant_id: variantM, unit_price: '7.00' }]);
    await syncNow(h, 'order', o.id);
    expect((await orderIn(h.config.storeId, o.number))!.lines[0]).toMatchObject({ product_variant_id: 'HDO-1-M' });

    await h.t.db('product_variants').where({ id: variantM }).delete();
    await touch(p.id);
    await expect(syncNow(h, 'product', p.id)).resolves.toMatchObject({ status: 'synced' });

    const order = await orderIn(h.config.storeId, o.number);
    expect(order!.lines[0]).toMatchObject({ product_id: 'HDO-1', product_variant_id: 'HDO-1' });
    expect(await remote(h, `/ecommerce/stores/${h.config.storeId}/products/HDO-1/variants/HDO-1-M`)).toBeNull();
    const fresh = await freshFullSync(h);
    expect(comparable(await productIn(h.config.storeId, 'HDO-1'))).toEqual(comparable(await productIn(fresh, 'HDO-1')));
    const withoutCustomer = (x: Json | null) => x && { ...x, customer: undefined };
    expect(withoutCustomer(comparableOrder(order))).toEqual(withoutCustomer(comparableOrder(await orderIn(fresh, o.number))));
  });

  it('follows a code change: the orders name the new ids, the old product is gone (a code with spaces too)', async () => {
    const p = await shop.product(h.t.db, { code: ' REN-OLD ', title: 'Renamed' }, [{ sku: 'REN-A', title: 'A', price: '12.00', inventory_quantity: 3 }]);
    const variantId = (await h.t.db('product_variants').where({ sku: 'REN-A' }).first('id') as { id: number }).id;
    const o = await shop.order(h.t.db, { guest_email: 'renamed-buyer@example.org', order_total: '22.00' }, [
      { product_id: p.id, variant_id: variantId, unit_price: '12.00' }, { product_id: p.id, variant_id: null, unit_price: '10.00' },
    ]);
    await expect(syncNow(h, 'order', o.id)).resolves.toMatchObject({ status: 'synced' });
    expect(await productIn(h.config.storeId, 'REN-OLD')).not.toBeNull();

    await h.t.db('products').where({ id: p.id }).update({ code: 'REN-NEW' });
    await expect(syncNow(h, 'product', p.id)).resolves.toMatchObject({ status: 'synced' });

    expect(await productIn(h.config.storeId, 'REN-OLD')).toBeNull();
    const order = await orderIn(h.config.storeId, o.number);
    expect(order!.lines.map((l) => [l.product_id, l.product_variant_id]).sort()).toEqual([['REN-NEW', 'REN-A'], ['REN-NEW', 'REN-NEW']]);
    expect(await syncState(h, 'product', p.id)).toMatchObject({ status: 'synced', remote_id: 'REN-NEW' });

    const fresh = await freshFullSync(h);
    expect(comparable(await productIn(h.config.storeId, 'REN-NEW'))).toEqual(comparable(await productIn(fresh, 'REN-NEW')));
    const stripCustomer = (x: Json | null) => x && { ...x, customer: undefined };
    expect(stripCustomer(comparableOrder(order))).toEqual(stripCustomer(comparableOrder(await orderIn(fresh, o.number))));
  });

  it('a product row deleted from the shop while orders name it: the orders name its placeholder, the product is gone', async () => {
    const p = await shop.product(h.t.db, { code: 'GONE-ORD', title: 'Gone, ordered' }, [{ sku: 'GONE-ORD-A', title: 'A', price: '4.00', inventory_quantity: 9 }]);
    const variantId = (await h.t.db('product_variants').where({ sku: 'GONE-ORD-A' }).first('id') as { id: number }).id;
    const o = await shop.order(h.t.db, { guest_email: 'gone-buyer@example.org', order_total: '4.00' }, [{ product_id: p.id, variant_id: variantId, unit_price: '4.00' }]);
    await syncNow(h, 'order', o.id);

    await h.t.db('product_variants').where({ product_id: p.id }).delete();
    await h.t.db('products').where({ id: p.id }).delete();
    await expect(syncNow(h, 'product', p.id)).resolves.toMatchObject({ status: 'synced' });

    expect(await productIn(h.config.storeId, 'GONE-ORD')).toBeNull();
    const order = await orderIn(h.config.storeId, o.number);
    expect(order!.lines[0]).toMatchObject({ product_id: `deleted-${p.id}`, product_variant_id: `deleted-${p.id}` });
    const fresh = await freshFullSync(h);
    expect(comparable(await productIn(h.config.storeId, `deleted-${p.id}`))).toEqual(comparable(await productIn(fresh, `deleted-${p.id}`)));
    const withoutCustomer = (x: Json | null) => x && { ...x, customer: undefined };
    expect(withoutCustomer(comparableOrder(order))).toEqual(withoutCustomer(comparableOrder(await orderIn(fresh, o.number))));
  });

  it('deletes the old product once the only order sent with it left Mailchimp on the rename (refused now)', async () => {
    const p = await shop.product(h.t.db, { code: 'KEEP-OLD', title: 'Kept' }, [{ sku: 'KEEP-A', title: 'A', price: '8.00', inventory_quantity: 6 }]);
    const variantId = (await h.t.db('product_variants').where({ sku: 'KEEP-A' }).first('id') as { id: number }).id;
    const o = await shop.order(h.t.db, { guest_email: 'kept-buyer@example.org', order_total: '8.00' }, [{ product_id: p.id, variant_id: variantId, unit_price: '8.00' }]);
    await syncNow(h, 'order', o.id);
    // The order can no longer be sent (its currency is not the store's): re-sent on the rename, it leaves Mailchimp
    // (a fresh sync would not send it), and with it the last reason to keep the old product: a fresh sync has only
    // the new one.
    await h.t.db('orders').where({ id: o.id }).update({ currency: 'EUR' });

    await h.t.db('products').where({ id: p.id }).update({ code: 'KEEP-NEW' });
    await expect(syncNow(h, 'product', p.id)).resolves.toMatchObject({ status: 'synced' });

    expect(await productIn(h.config.storeId, 'KEEP-OLD')).toBeNull();
    expect(await productIn(h.config.storeId, 'KEEP-NEW')).toMatchObject({ variants: [expect.objectContaining({ id: 'KEEP-A', inventory_quantity: 6 })] });
    expect(await orderIn(h.config.storeId, o.number)).toBeNull();
  });

  it('sends a mixed-currency product with its valid variants, and its orders but the one naming the refused variant', async () => {
    const p = await shop.product(h.t.db, { code: 'MIX-1', title: 'Mixed' }, [
      { sku: 'MIX-USD', title: 'Dollar', price: '10.00', currency: 'USD' }, { sku: 'MIX-EUR', title: 'Euro', price: '9.00', currency: 'EUR' },
    ]);
    const variant = async (sku: string) => (await h.t.db('product_variants').where({ sku }).first('id') as { id: number }).id;
    const good = await shop.order(h.t.db, { guest_email: 'mix-good@example.org', order_total: '10.00' }, [
      { product_id: p.id, variant_id: await variant('MIX-USD'), unit_price: '10.00' },
    ]);
    const badLine = 990_001;
    const bad = await shop.order(h.t.db, { guest_email: 'mix-bad@example.org', order_total: '19.00' }, [
      { product_id: p.id, variant_id: await variant('MIX-USD'), unit_price: '10.00' },
      { id: badLine, product_id: p.id, variant_id: await variant('MIX-EUR'), unit_price: '9.00' },
    ]);

    await expect(syncNow(h, 'product', p.id)).resolves.toMatchObject({ status: 'synced' });
    await expect(syncNow(h, 'order', good.id)).resolves.toMatchObject({ status: 'synced' });
    await expect(syncNow(h, 'order', bad.id)).rejects.toThrow('Workflow execution failed');

    const refused = await syncState(h, 'order', bad.id);
    expect(refused).toMatchObject({ status: 'failed' });
    expect(refused!.error_reason).toContain(`line ${badLine} names a variant that is not sent: variant MIX-EUR is priced in EUR`);
    const state = await syncState(h, 'product', p.id);
    expect(state).toMatchObject({ status: 'synced', remote_id: 'MIX-1' });
    expect(state!.error_reason).toContain("variant MIX-EUR is priced in EUR but the store's currency is USD");
    const errors = await cli(h, ['errors', '--type', 'products', '--json']);
    expect(errors.code).toBe(1);
    expect(errors.json()).toEqual([expect.objectContaining({ type: 'product', entityId: String(p.id), status: 'synced', reason: state!.error_reason })]);
    expect((await cli(h, ['errors'])).out).toMatch(new RegExp(`Sent without some of their parts[\\s\\S]*product +${p.id} .*MIX-EUR`));
    const product = await productIn(h.config.storeId, 'MIX-1');
    expect(product!.variants.map((v) => v.id)).toEqual(['MIX-USD']);
    expect(await orderIn(h.config.storeId, good.number)).not.toBeNull();
    expect(await orderIn(h.config.storeId, bad.number)).toBeNull();

    const fresh = await freshFullSync(h);
    expect(comparable(product)).toEqual(comparable(await productIn(fresh, 'MIX-1')));
    expect(await orderIn(fresh, good.number)).not.toBeNull();
    expect(await orderIn(fresh, bad.number)).toBeNull();
  });
});
