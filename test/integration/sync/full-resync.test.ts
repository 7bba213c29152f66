import { fullResyncWorkflow } from '../../../workflows/full-resync';
import { progressQuery } from '../../../workflows/contract';
import { customerIdForEmail } from '../../../mapping/ids';
import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';

describe('full resync', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
  });
  afterAll(() => h.stop());

  async function resync(types: 'all' | 'products' = 'all') {
    return h.client.workflow.execute(fullResyncWorkflow, {
      workflowId: `${h.config.storeId}:full-resync:${Date.now()}`,
      taskQueue: h.config.taskQueue,
      args: [{ storeId: h.config.storeId, types, pageSize: 3 }],
    });
  }

  it('creates the store and sends every entity in dependency order; the end state equals the shop', async () => {
    const { db } = h.t;
    const shoe = await shop.product(db, { title: 'Red shoe 👟', category: 'Shoes', seo_url: '/p/red-shoe' }, [{ sku: 'SHOE-41', price: '59.90' }, { sku: 'SHOE-42', price: '61.00' }]);
    const book = await shop.product(db, { title: 'A book' });
    const ada = await shop.user(db, { email: 'Ada@Example.com ', marketing_opt_in: true });
    const promo = await shop.promotion(db, { amount: '15' }, [{ code: 'SPRING15' }]);
    const paid = await shop.order(db, { user_id: ada.id, promo_code: 'SPRING15', discount_total: '3.00', order_total: '68.90' }, [
      { product_id: shoe.id, variant_id: null, unit_price: '59.90' },
      { product_id: book.id },
    ]);
    const guest = await shop.order(db, { guest_email: 'guest@example.org', guest_first_name: 'Gus', guest_last_name: 'Hidden', status: 'shipped' }, [{ product_id: book.id }]);
    const pending = await shop.order(db, { guest_email: 'late@example.org', status: 'pending' }, [{ product_id: book.id }]);

    const progress = await resync();
    expect(progress.done).toBe(true);

    const store = await remote<{ is_syncing: boolean; currency_code: string; list_id: string }>(h, `/ecommerce/stores/${h.config.storeId}`);
    expect(store).toMatchObject({ is_syncing: false, currency_code: 'USD', list_id: h.config.listId });

    const product = await remote<{ title: string; variants: Array<{ id: string }> }>(h, `/ecommerce/stores/${h.config.storeId}/products/${shoe.code}`);
    expect(product?.title).toBe('Red shoe 👟');
    // The paid order has a line for the shoe without a variant: it points at the variant named after the product code.
    expect(product?.variants.map((v) => v.id).sort()).toEqual([shoe.code, 'SHOE-41', 'SHOE-42'].sort());
    const variantless = await remote<{ variants: Array<{ id: string; title: string }> }>(h, `/ecommerce/stores/${h.config.storeId}/products/${book.code}`);
    expect(variantless?.variants).toEqual([expect.objectContaining({ id: book.code, title: 'A book' })]);

    const adaId = customerIdForEmail('ada@example.com');
    const customer = await remote<{ email_address: string; opt_in_status: boolean }>(h, `/ecommerce/stores/${h.config.storeId}/customers/${adaId}`);
    expect(customer?.email_address).toBe('ada@example.com');
    const member = await remote<{ status: string }>(h, `/lists/${h.config.listId}/members/${adaId}`);
    expect(member?.status).toBe('subscribed');

    const order = await remote<{ customer: { id: string }; promos: Array<{ code: string }>; financial_status: string }>(h, `/ecommerce/stores/${h.config.storeId}/orders/${paid.number}`);
    expect(order?.customer.id).toBe(adaId);
    expect(order?.promos.map((p) => p.code)).toEqual(['SPRING15']);
    const shipped = await remote<{ fulfillment_status: string }>(h, `/ecommerce/stores/${h.config.storeId}/orders/${guest.number}`);
    expect(shipped?.fulfillment_status).toBe('shipped');
    const guestCustomer = await remote<{ first_name?: string; last_name?: string }>(h, `/ecommerce/stores/${h.config.storeId}/customers/${customerIdForEmail('guest@example.org')}`);
    expect(guestCustomer?.first_name).toBe('Gus');
    expect(guestCustomer?.last_name ?? '').toBe(''); // guests send only a first name
    expect(await remote(h, `/ecommerce/stores/${h.config.storeId}/orders/${pending.number}`)).toBeNull();

    const rule = await remote<{ amount: number }>(h, `/ecommerce/stores/${h.config.storeId}/promo-rules/${promo.id}`);
    expect(rule?.amount).toBeCloseTo(0.15);
    const code = await remote<{ code: string; redemption_url: string }>(h, `/ecommerce/stores/${h.config.storeId}/promo-rules/${promo.id}/promo-codes/${promo.codeIds[0]}`);
    expect(code).toMatchObject({ code: 'SPRING15', redemption_url: 'https://shop.example/cart?promo=SPRING15' });
  });

  it('changes nothing in Mailchimp when run again', async () => {
    await h.http.post('/_emulator/stats/reset');
    const progress = await resync();
    const stats = (await h.http.get('/_emulator/stats')).data as { byRoute: Record<string, number> };
    const writes = Object.entries(stats.byRoute).filter(([route]) => /^(POST|PUT|PATCH|DELETE) \/3\.0\/ecommerce\/stores\/[^/]+\/(products|customers|orders|promo)/.test(route));
    expect(writes).toEqual([]);
    expect(progress.counts.order?.synced ?? 0).toBe(0);
    expect(progress.counts.order?.unchanged).toBe(2);
  });
});

describe('full resync, long and interrupted', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
    for (let i = 0; i < 12; i++) await shop.product(h.t.db, { title: `Bulk ${i}` }, [{ price: '5.00' }]);
  });
  afterAll(() => h.stop());

  it('continues as new between pages, reports progress, and finishes with everything sent', async () => {
    const handle = await h.client.workflow.start(fullResyncWorkflow, {
      workflowId: `${h.config.storeId}:full-resync:can`,
      taskQueue: h.config.taskQueue,
      args: [{ storeId: h.config.storeId, types: 'products', pageSize: 2, pagesPerRun: 2 }],
    });
    const firstRunId = handle.firstExecutionRunId;
    const progress = await handle.result();
    expect(progress).toMatchObject({ done: true, phases: ['product'] });
    expect(progress.counts.product.synced).toBe(12);
    const latest = await h.client.workflow.getHandle(handle.workflowId).describe();
    expect(latest.runId).not.toBe(firstRunId);
    const products = await remote<{ total_items: number }>(h, `/ecommerce/stores/${h.config.storeId}/products?count=1`);
    expect(products?.total_items).toBe(12);
  });

  it('lowers is_syncing when cancelled mid-way', async () => {
    // Fresh products, so every page has real (slow) Mailchimp work to do when the cancel arrives.
    for (let i = 0; i < 10; i++) await shop.product(h.t.db, { title: `Slow ${i}` });
    await h.http.post('/_emulator/config', { latencyMs: 300 });
    try {
      const handle = await h.client.workflow.start(fullResyncWorkflow, {
        workflowId: `${h.config.storeId}:full-resync:cancel`,
        taskQueue: h.config.taskQueue,
        args: [{ storeId: h.config.storeId, types: 'all', pageSize: 1 }],
      });
      const deadline = Date.now() + 60_000;
      while ((await handle.query(progressQuery)).pages < 1) {
        if (Date.now() > deadline) throw new Error('the resync never finished a page');
        await new Promise((r) => setTimeout(r, 200));
      }
      const syncing = await remote<{ is_syncing: boolean }>(h, `/ecommerce/stores/${h.config.storeId}`);
      expect(syncing?.is_syncing).toBe(true);
      await handle.cancel();
      await expect(handle.result()).rejects.toThrow();
      const progress = await handle.query(progressQuery).catch(() => null);
      expect(progress?.done ?? false).toBe(false);
      const store = await remote<{ is_syncing: boolean }>(h, `/ecommerce/stores/${h.config.storeId}`);
      expect(store?.is_syncing).toBe(false);
    } finally {
      await h.http.post('/_emulator/config', { latencyMs: 0 });
    }
  });
});

describe('full resync on a double opt-in audience', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
    await h.http.post(`/_emulator/lists/${h.config.listId}/settings`, { double_optin: true });
  });
  afterAll(() => h.stop());

  it('creates the consenting contact pending and leaves a customer workflow waiting for the confirmation', async () => {
    await shop.user(h.t.db, { email: 'doi@example.com', marketing_opt_in: true });
    await shop.user(h.t.db, { email: 'nodoi@example.com', marketing_opt_in: false });
    await h.client.workflow.execute(fullResyncWorkflow, {
      workflowId: `${h.config.storeId}:full-resync:doi`,
      taskQueue: h.config.taskQueue,
      args: [{ storeId: h.config.storeId, types: 'customers' }],
    });
    const hash = customerIdForEmail('doi@example.com');
    expect((await remote<{ status: string }>(h, `/lists/${h.config.listId}/members/${hash}`))?.status).toBe('pending');
    expect((await remote<{ status: string }>(h, `/lists/${h.config.listId}/members/${customerIdForEmail('nodoi@example.com')}`))?.status).toBe('transactional');
    const waiting = h.client.workflow.getHandle(`${h.config.storeId}:customer:${hash}`);
    expect((await waiting.describe()).status.name).toBe('RUNNING');
    await expect(h.client.workflow.getHandle(`${h.config.storeId}:customer:${customerIdForEmail('nodoi@example.com')}`).describe()).rejects.toThrow();
    await waiting.terminate('test over');
  });
});
