import { mkdtempSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boot, LIST_ID, sampleCustomer, sampleOrder, sampleProduct, sampleStore, until, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await boot();
});
afterAll(async () => h.emu.close());
beforeEach(async () => {
  await h.control.post('/_emulator/reset', { config: true });
  await h.control.post('/_emulator/stats/reset', {});
});

describe('health and state', () => {
  it('GET /_emulator/health', async () => {
    const res = await h.control.get('/_emulator/health');
    expect(res.status).toBe(200);
    expect(res.data.status).toBe('ok');
  });

  it('GET /_emulator/state dumps the state; the state object is inspectable directly', async () => {
    await h.api.post('/ecommerce/stores', sampleStore('shop1'));
    const res = await h.control.get('/_emulator/state');
    expect(res.data.stores).toHaveLength(1);
    expect(res.data.lists[0].id).toBe(LIST_ID);
    expect(h.emu.state.stores.get('shop1')?.data.name).toBe('Test shop');
  });
});

describe('stats', () => {
  it('counts requests by method and route pattern and by status; stats/reset clears them', async () => {
    await h.api.get(`/lists/${LIST_ID}`);
    await h.api.get(`/lists/${LIST_ID}`);
    await h.api.get('/ecommerce/stores/nope');
    const stats = (await h.control.get('/_emulator/stats')).data;
    expect(stats.byRoute['GET /3.0/lists/{list_id}']).toBe(2);
    expect(stats.byRoute['GET /3.0/ecommerce/stores/{store_id}']).toBe(1);
    expect(stats.byStatus['200']).toBe(2);
    expect(stats.byStatus['404']).toBe(1);
    expect(stats.requests).toBe(3);
    expect(stats.maxConcurrency).toBe(1);
    expect(stats.inFlight).toBe(0);
    await h.control.post('/_emulator/stats/reset', {});
    const after = (await h.control.get('/_emulator/stats')).data;
    expect(after.requests).toBe(0);
    expect(after.byRoute).toEqual({});
  });

  it('times the calls it answers: the latency slept and its own time after it, in all and per route; stats/reset clears them', async () => {
    await h.control.post('/_emulator/config', { latencyMs: 20 });
    await h.api.get(`/lists/${LIST_ID}`);
    await h.api.post('/ecommerce/stores', sampleStore('shop1'));
    const { timing } = (await h.control.get('/_emulator/stats')).data;
    expect(timing.all.count).toBe(2);
    expect(timing.all.latencyMsSum).toBe(40);
    expect(timing.all.serverMsSum).toBeGreaterThan(0);
    expect(timing.byRoute['GET /3.0/lists/{list_id}']).toMatchObject({ count: 1, latencyMsSum: 20 });
    expect(timing.byRoute['POST /3.0/ecommerce/stores'].count).toBe(1);
    expect(timing.all.serverP95Ms).toBeGreaterThan(0);
    await h.control.post('/_emulator/stats/reset', {});
    const after = (await h.control.get('/_emulator/stats')).data;
    expect(after.timing).toEqual({ all: { count: 0, latencyMsSum: 0, serverMsSum: 0, serverP95Ms: 0 }, byRoute: {} });
  });
});

describe('reset', () => {
  it('returns to the initial state and keeps config unless {config:true}', async () => {
    await h.api.post('/ecommerce/stores', sampleStore('shop1'));
    await h.api.post(`/lists/${LIST_ID}/members`, { email_address: 'a@example.com', status: 'subscribed' });
    await h.control.post(`/_emulator/lists/${LIST_ID}/settings`, { double_optin: true });
    await h.control.post('/_emulator/config', { latencyMs: 3 });
    await h.control.post('/_emulator/reset', {});
    expect((await h.api.get('/ecommerce/stores')).data.total_items).toBe(0);
    expect((await h.api.get(`/lists/${LIST_ID}/members`)).data.total_items).toBe(0);
    expect((await h.api.get(`/lists/${LIST_ID}`)).data.double_optin).toBe(false);
    expect((await h.control.get('/_emulator/config')).data.latencyMs).toBe(3);
    await h.control.post('/_emulator/reset', { config: true });
    expect((await h.control.get('/_emulator/config')).data.latencyMs).toBe(0);
  });
});

describe('HTML page', () => {
  it('shows stores, products with variants, customers with audience status and orders, all escaped', async () => {
    await h.api.post('/ecommerce/stores', sampleStore('shop1', { name: 'Tom & <Jerry>', is_syncing: true }));
    await h.api.post('/ecommerce/stores/shop1/products', sampleProduct('p1', ['p1'], { title: '<script>alert("x")</script> Mug ☕' }));
    await h.api.post('/ecommerce/stores/shop1/customers', sampleCustomer('c1', 'c1@example.com', true, { first_name: '<i>Ann</i>' }));
    await h.api.post('/ecommerce/stores/shop1/orders', sampleOrder('o-77'));
    const res = await h.control.get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const html: string = res.data;
    expect(html).toContain('Tom &amp; &lt;Jerry&gt;');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Mug ☕');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<i>Ann</i>');
    expect(html).toContain('&lt;i&gt;Ann&lt;/i&gt;');
    expect(html).toContain('Variant p1');
    expect(html).toContain('is_syncing true');
    expect(html).toContain('EUR');
    expect(html).toContain('<em>subscribed</em>');
    expect(html).toContain('o-77');
  });
});

describe('state file', () => {
  it('saves on change and loads at start, so a restart keeps the state', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'emu-')), 'state.json');
    const first = await boot({ stateFile: file });
    await first.api.post('/ecommerce/stores', sampleStore('shop1'));
    await first.api.post('/ecommerce/stores/shop1/products', sampleProduct('p1'));
    await first.api.post('/ecommerce/stores/shop1/customers', sampleCustomer('c1', 'c1@example.com', true));
    await first.api.post('/ecommerce/stores/shop1/orders', sampleOrder('o1'));
    await until(() => existsSync(file) && readFileSync(file, 'utf8').includes('"o1"'));
    await first.emu.close();

    const second = await boot({ stateFile: file });
    try {
      expect((await second.api.get('/ecommerce/stores/shop1/products/p1')).data.title).toBe('Product p1');
      expect((await second.api.get('/ecommerce/stores/shop1/orders', { params: { customer_id: 'c1' } })).data.total_items).toBe(1);
      expect((await second.api.get('/ecommerce/stores/shop1/customers/c1')).data.orders_count).toBe(1);
      const member = await second.api.get(`/lists/${LIST_ID}/members/c1%40example.com`);
      expect(member.data).toMatchObject({ status: 'subscribed', source: 'api-ecommerce' });
      expect((await second.api.post('/ecommerce/stores/shop1/products', sampleProduct('p1'))).status).toBe(400);
    } finally {
      await second.emu.close();
    }
  });
});
