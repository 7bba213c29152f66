import { boot, LIST_ID, sampleCustomer, sampleOrder, sampleProduct, sampleStore, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await boot();
});
afterAll(async () => h.emu.close());
beforeEach(async () => {
  await h.control.post('/_emulator/reset', {});
});

const S = '/ecommerce/stores';
const NOT_FOUND = 'The requested resource could not be found.';

async function seedStore(id = 'shop1'): Promise<void> {
  expect((await h.api.post(S, sampleStore(id))).status).toBe(200);
}

describe('stores', () => {
  it('supports POST, GET, list, PATCH and DELETE with timestamps', async () => {
    const created = await h.api.post(S, sampleStore('shop1', { platform: 'custom', is_syncing: true }));
    expect(created.status).toBe(200);
    expect(created.data).toMatchObject({ id: 'shop1', list_id: LIST_ID, currency_code: 'EUR', is_syncing: true });
    expect(created.data.created_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(created.data.updated_at).toBeDefined();
    expect((await h.api.get(`${S}/shop1`)).data.name).toBe('Test shop');
    const patched = await h.api.patch(`${S}/shop1`, { name: 'Renamed', is_syncing: false });
    expect(patched.data).toMatchObject({ name: 'Renamed', is_syncing: false, list_id: LIST_ID });
    const list = await h.api.get(S);
    expect(list.data.total_items).toBe(1);
    expect(list.data.stores[0].id).toBe('shop1');
    const del = await h.api.delete(`${S}/shop1`);
    expect(del.status).toBe(204);
    expect(del.data).toBe('');
    expect((await h.api.get(`${S}/shop1`)).status).toBe(404);
  });

  it('refuses a duplicate store id', async () => {
    await seedStore();
    const res = await h.api.post(S, sampleStore());
    expect(res.status).toBe(400);
    expect(res.data.title).toBe('Bad Request');
  });

  it('requires list_id to name an existing audience', async () => {
    const res = await h.api.post(S, sampleStore('shop2', { list_id: 'zzzzzzzzzz' }));
    expect(res.status).toBe(400);
    expect(res.data.errors[0].field).toBe('list_id');
  });

  it('cannot change list_id with PATCH', async () => {
    await seedStore();
    const res = await h.api.patch(`${S}/shop1`, { list_id: 'other' });
    expect(res.status).toBe(400);
    expect((await h.api.get(`${S}/shop1`)).data.list_id).toBe(LIST_ID);
  });

  it('DELETE cascades to the store resources', async () => {
    await seedStore();
    await h.api.post(`${S}/shop1/products`, sampleProduct('p1'));
    await h.api.post(`${S}/shop1/customers`, sampleCustomer('c1'));
    await h.api.post(`${S}/shop1/orders`, sampleOrder('o1'));
    await h.api.post(`${S}/shop1/promo-rules`, { id: 'r1', description: 'd', amount: 5, type: 'fixed', target: 'total' });
    expect((await h.api.delete(`${S}/shop1`)).status).toBe(204);
    await seedStore();
    for (const path of ['products/p1', 'customers/c1', 'orders/o1', 'promo-rules/r1']) {
      expect((await h.api.get(`${S}/shop1/${path}`)).status).toBe(404);
    }
  });

  it('answers 404 Resource Not Found for an unknown store on every sub-resource', async () => {
    for (const path of ['customers', 'products', 'orders', 'promo-rules', 'customers/c', 'products/p/variants']) {
      const res = await h.api.get(`${S}/ghost/${path}`);
      expect(res.status).toBe(404);
      expect(res.data.detail).toBe(NOT_FOUND);
    }
  });
});

describe('paging', () => {
  beforeEach(async () => {
    await seedStore();
    for (let i = 0; i < 25; i += 1) await h.api.post(`${S}/shop1/products`, sampleProduct(`p${String(i).padStart(2, '0')}`));
  });

  it('defaults count to 10 and reports total_items', async () => {
    const res = await h.api.get(`${S}/shop1/products`);
    expect(res.data.products).toHaveLength(10);
    expect(res.data.total_items).toBe(25);
  });

  it('honours count and offset', async () => {
    const res = await h.api.get(`${S}/shop1/products`, { params: { count: 10, offset: 20 } });
    expect(res.data.products.map((p: { id: string }) => p.id)).toEqual(['p20', 'p21', 'p22', 'p23', 'p24']);
    expect(res.data.total_items).toBe(25);
  });

  it('refuses count above 1000', async () => {
    expect((await h.api.get(`${S}/shop1/products`, { params: { count: 1000 } })).status).toBe(200);
    const res = await h.api.get(`${S}/shop1/products`, { params: { count: 1001 } });
    expect(res.status).toBe(400);
    expect((await h.api.get(`/lists/${LIST_ID}/members`, { params: { count: 5000 } })).status).toBe(400);
    expect((await h.api.get(S, { params: { count: 1001 } })).status).toBe(400);
  });

  it('uses the Mailchimp key of each collection', async () => {
    await h.api.post(`${S}/shop1/customers`, sampleCustomer('c1'));
    await h.api.post(`${S}/shop1/orders`, sampleOrder('o1', { id: 'c1' }, { lines: [{ id: 'l1', product_id: 'p00', product_variant_id: 'p00', quantity: 1, price: 1 }] }));
    await h.api.post(`${S}/shop1/promo-rules`, { id: 'r1', description: 'd', amount: 5, type: 'fixed', target: 'total' });
    await h.api.post(`${S}/shop1/promo-rules/r1/promo-codes`, { id: 'k1', code: 'SAVE', redemption_url: 'https://x/y' });
    const keys: Array<[string, string]> = [
      [S, 'stores'],
      [`${S}/shop1/customers`, 'customers'],
      [`${S}/shop1/products/p00/variants`, 'variants'],
      [`${S}/shop1/orders`, 'orders'],
      [`${S}/shop1/orders/o1/lines`, 'lines'],
      [`${S}/shop1/promo-rules`, 'promo_rules'],
      [`${S}/shop1/promo-rules/r1/promo-codes`, 'promo_codes'],
      [`/lists/${LIST_ID}/members`, 'members'],
    ];
    for (const [path, key] of keys) {
      const res = await h.api.get(path, { params: { count: 1 } });
      expect(res.status).toBe(200);
      expect(Array.isArray(res.data[key])).toBe(true);
      expect(res.data[key]).toHaveLength(1);
      expect(res.data.total_items).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('customers', () => {
  beforeEach(() => seedStore());

  it('supports POST, GET, PATCH, DELETE and list filtering by email', async () => {
    const created = await h.api.post(`${S}/shop1/customers`, sampleCustomer('c1'));
    expect(created.status).toBe(200);
    expect(created.data).toMatchObject({ id: 'c1', email_address: 'c1@example.com', opt_in_status: false, orders_count: 0, total_spent: 0 });
    const patched = await h.api.patch(`${S}/shop1/customers/c1`, { first_name: 'Grace' });
    expect(patched.data).toMatchObject({ first_name: 'Grace', last_name: 'Lovelace' });
    await h.api.post(`${S}/shop1/customers`, sampleCustomer('c2'));
    const filtered = await h.api.get(`${S}/shop1/customers`, { params: { email_address: 'C2@example.com' } });
    expect(filtered.data.total_items).toBe(1);
    expect(filtered.data.customers[0].id).toBe('c2');
    expect((await h.api.delete(`${S}/shop1/customers/c1`)).status).toBe(204);
    expect((await h.api.get(`${S}/shop1/customers/c1`)).status).toBe(404);
  });

  it('refuses a duplicate POST and upserts with PUT', async () => {
    await h.api.post(`${S}/shop1/customers`, sampleCustomer('c1'));
    expect((await h.api.post(`${S}/shop1/customers`, sampleCustomer('c1'))).status).toBe(400);
    const put = await h.api.put(`${S}/shop1/customers/c3`, sampleCustomer('c3'));
    expect(put.status).toBe(200);
    const put2 = await h.api.put(`${S}/shop1/customers/c3`, sampleCustomer('c3', 'c3@example.com', false, { first_name: 'Changed' }));
    expect(put2.data.first_name).toBe('Changed');
    expect(put2.data.created_at).toBe(put.data.created_at);
  });

  it('validates the body (id at most 50 characters, opt_in_status required)', async () => {
    const long = await h.api.post(`${S}/shop1/customers`, sampleCustomer('x'.repeat(51)));
    expect(long.status).toBe(400);
    expect(long.data.title).toBe('Invalid Resource');
    const missing = await h.api.post(`${S}/shop1/customers`, { id: 'c9', email_address: 'c9@example.com' });
    expect(missing.status).toBe(400);
    expect(missing.data.errors[0].field).toBe('opt_in_status');
  });

  it('computes orders_count and total_spent from the orders', async () => {
    await h.api.post(`${S}/shop1/products`, sampleProduct('p1'));
    await h.api.post(`${S}/shop1/customers`, sampleCustomer('c1'));
    await h.api.post(`${S}/shop1/orders`, sampleOrder('o1', { id: 'c1' }, { order_total: 20 }));
    await h.api.post(`${S}/shop1/orders`, sampleOrder('o2', { id: 'c1' }, { order_total: 5.5 }));
    const res = await h.api.get(`${S}/shop1/customers/c1`);
    expect(res.data).toMatchObject({ orders_count: 2, total_spent: 25.5 });
  });
});

describe('products and variants', () => {
  beforeEach(() => seedStore());

  it('creates with currency_code, refuses duplicates with Mailchimp detail', async () => {
    const created = await h.api.post(`${S}/shop1/products`, sampleProduct('p1', ['v1', 'v2'], { title: '<b>Mug</b> ☕' }));
    expect(created.status).toBe(200);
    expect(created.data).toMatchObject({ id: 'p1', currency_code: 'EUR', title: '<b>Mug</b> ☕' });
    expect(created.data.variants).toHaveLength(2);
    const dup = await h.api.post(`${S}/shop1/products`, sampleProduct('p1'));
    expect(dup.status).toBe(400);
    expect(dup.data.title).toBe('Bad Request');
    expect(dup.data.detail).toBe('We were unable to process the request. A product with the provided ID already exists in the account.');
  });

  it('requires at least one variant', async () => {
    const res = await h.api.post(`${S}/shop1/products`, { id: 'p1', title: 'x', variants: [] });
    expect(res.status).toBe(400);
    expect(res.data.title).toBe('Invalid Resource');
  });

  it('PATCH updates product fields and keeps variants; PUT replaces or creates', async () => {
    await h.api.post(`${S}/shop1/products`, sampleProduct('p1', ['v1', 'v2']));
    const patched = await h.api.patch(`${S}/shop1/products/p1`, { title: 'New title', variants: [{ id: 'v1', price: 99 }] });
    expect(patched.data.title).toBe('New title');
    expect(patched.data.variants).toHaveLength(2);
    expect(patched.data.variants.find((v: { id: string }) => v.id === 'v1').price).toBe(99);
    const put = await h.api.put(`${S}/shop1/products/p1`, sampleProduct('p1', ['v3']));
    expect(put.status).toBe(200);
    expect(put.data.variants.map((v: { id: string }) => v.id)).toEqual(['v3']);
    const created = await h.api.put(`${S}/shop1/products/p2`, sampleProduct('p2'));
    expect(created.status).toBe(200);
    expect((await h.api.get(`${S}/shop1/products/p2`)).data.id).toBe('p2');
  });

  it('variants: list, POST (duplicate refused), GET, PUT upsert, PATCH, DELETE', async () => {
    await h.api.post(`${S}/shop1/products`, sampleProduct('p1', ['v1']));
    const base = `${S}/shop1/products/p1/variants`;
    expect((await h.api.post(base, { id: 'v2', title: 'Two' })).status).toBe(200);
    expect((await h.api.post(base, { id: 'v2', title: 'Two' })).status).toBe(400);
    expect((await h.api.get(`${base}/v2`)).data.title).toBe('Two');
    expect((await h.api.put(`${base}/v3`, { id: 'v3', title: 'Three' })).status).toBe(200);
    expect((await h.api.put(`${base}/v3`, { id: 'v3', title: 'Three!' })).data.title).toBe('Three!');
    expect((await h.api.patch(`${base}/v3`, { price: 7 })).data).toMatchObject({ title: 'Three!', price: 7 });
    expect((await h.api.get(base)).data.total_items).toBe(3);
    expect((await h.api.delete(`${base}/v3`)).status).toBe(204);
    expect((await h.api.get(`${base}/v3`)).status).toBe(404);
    expect((await h.api.get(`${S}/shop1/products/nope/variants`)).status).toBe(404);
  });

  it('DELETE answers 204 and the product is gone', async () => {
    await h.api.post(`${S}/shop1/products`, sampleProduct('p1'));
    const res = await h.api.delete(`${S}/shop1/products/p1`);
    expect(res.status).toBe(204);
    expect((await h.api.get(`${S}/shop1/products/p1`)).status).toBe(404);
  });
});

describe('orders', () => {
  beforeEach(async () => {
    await seedStore();
    await h.api.post(`${S}/shop1/products`, sampleProduct('p1', ['p1', 'p1-b']));
    await h.api.post(`${S}/shop1/customers`, sampleCustomer('c1'));
  });

  it('creates an order with computed line titles and refuses a duplicate id', async () => {
    const created = await h.api.post(`${S}/shop1/orders`, sampleOrder('o1'));
    expect(created.status).toBe(200);
    expect(created.data.lines[0]).toMatchObject({ id: 'l1', product_title: 'Product p1', product_variant_title: 'Variant p1' });
    expect(created.data.customer).toMatchObject({ id: 'c1', email_address: 'c1@example.com' });
    expect(created.data.created_at).toBeDefined();
    const dup = await h.api.post(`${S}/shop1/orders`, sampleOrder('o1'));
    expect(dup.status).toBe(400);
    expect(dup.data.detail).toBe('We were unable to process the request. An order with the provided ID already exists in the account.');
  });

  it('refuses lines naming an unknown product or variant', async () => {
    const noProduct = await h.api.post(`${S}/shop1/orders`, sampleOrder('o1', { id: 'c1' }, { lines: [{ id: 'l1', product_id: 'zz', product_variant_id: 'zz', quantity: 1, price: 1 }] }));
    expect(noProduct.status).toBe(400);
    expect(noProduct.data.title).toBe('Bad Request');
    expect(noProduct.data.detail).toContain('A product with the provided ID does not exist in the account for this list.');
    const noVariant = await h.api.post(`${S}/shop1/orders`, sampleOrder('o1', { id: 'c1' }, { lines: [{ id: 'l1', product_id: 'p1', product_variant_id: 'zz', quantity: 1, price: 1 }] }));
    expect(noVariant.status).toBe(400);
    expect(noVariant.data.detail).toContain('A product with the provided variant ID does not exist in the account for this list.');
    expect((await h.api.get(`${S}/shop1/orders/o1`)).status).toBe(404);
    const lineRes = await h.api.post(`${S}/shop1/orders`, sampleOrder('o2'));
    expect(lineRes.status).toBe(200);
    const badLine = await h.api.post(`${S}/shop1/orders/o2/lines`, { id: 'l9', product_id: 'nope', product_variant_id: 'nope', quantity: 1, price: 1 });
    expect(badLine.status).toBe(400);
    expect(badLine.data.detail).toContain('A product with the provided ID does not exist');
  });

  it('PATCH replaces promos entirely and upserts lines by id', async () => {
    await h.api.post(`${S}/shop1/orders`, sampleOrder('o1', { id: 'c1' }, { promos: [{ code: 'A', amount_discounted: 1, type: 'fixed' }, { code: 'B', amount_discounted: 2, type: 'fixed' }] }));
    const patched = await h.api.patch(`${S}/shop1/orders/o1`, {
      promos: [{ code: 'C', amount_discounted: 0.1, type: 'percentage' }],
      lines: [
        { id: 'l1', quantity: 5 },
        { id: 'l2', product_id: 'p1', product_variant_id: 'p1-b', quantity: 1, price: 3 },
      ],
      financial_status: 'paid',
    });
    expect(patched.status).toBe(200);
    expect(patched.data.promos).toEqual([{ code: 'C', amount_discounted: 0.1, type: 'percentage' }]);
    expect(patched.data.financial_status).toBe('paid');
    const lines = Object.fromEntries(patched.data.lines.map((l: { id: string; quantity: number }) => [l.id, l]));
    expect(lines.l1).toMatchObject({ quantity: 5, price: 10, product_id: 'p1' });
    expect(lines.l2).toMatchObject({ quantity: 1, product_variant_title: 'Variant p1-b' });
  });

  it('sending cancelled_at_foreign cancels the order', async () => {
    await h.api.post(`${S}/shop1/orders`, sampleOrder('o1'));
    const res = await h.api.patch(`${S}/shop1/orders/o1`, { cancelled_at_foreign: '2024-01-02T03:04:05+00:00' });
    expect(res.data.financial_status).toBe('cancelled');
    const created = await h.api.post(`${S}/shop1/orders`, sampleOrder('o2', { id: 'c1' }, { financial_status: 'paid', cancelled_at_foreign: '2024-01-02T03:04:05Z' }));
    expect(created.data.financial_status).toBe('cancelled');
  });

  it('a later PATCH without cancelled_at_foreign keeps the financial_status it sends (a cancelled order refunded)', async () => {
    await h.api.post(`${S}/shop1/orders`, sampleOrder('o1'));
    await h.api.patch(`${S}/shop1/orders/o1`, { financial_status: 'cancelled', cancelled_at_foreign: '2024-01-02T03:04:05Z' });
    const refunded = await h.api.patch(`${S}/shop1/orders/o1`, { financial_status: 'refunded' });
    expect(refunded.data.financial_status).toBe('refunded');
    expect(refunded.data.cancelled_at_foreign).toBe('2024-01-02T03:04:05Z');
  });

  it('lists orders filtered by customer_id, and account-wide', async () => {
    await h.api.post(`${S}/shop1/customers`, sampleCustomer('c2'));
    await h.api.post(`${S}/shop1/orders`, sampleOrder('o1', { id: 'c1' }));
    await h.api.post(`${S}/shop1/orders`, sampleOrder('o2', { id: 'c2' }));
    await h.api.post(`${S}/shop1/orders`, sampleOrder('o3', { id: 'c1' }));
    const res = await h.api.get(`${S}/shop1/orders`, { params: { customer_id: 'c1' } });
    expect(res.data.total_items).toBe(2);
    expect(res.data.orders.map((o: { id: string }) => o.id)).toEqual(['o1', 'o3']);
    expect((await h.api.get('/ecommerce/orders')).data.total_items).toBe(3);
  });

  it('order lines: GET list, POST, GET, PATCH, DELETE', async () => {
    await h.api.post(`${S}/shop1/orders`, sampleOrder('o1'));
    const base = `${S}/shop1/orders/o1/lines`;
    const added = await h.api.post(base, { id: 'l2', product_id: 'p1', product_variant_id: 'p1-b', quantity: 1, price: 4 });
    expect(added.data.product_title).toBe('Product p1');
    expect((await h.api.post(base, { id: 'l2', product_id: 'p1', product_variant_id: 'p1-b', quantity: 1, price: 4 })).status).toBe(400);
    expect((await h.api.patch(`${base}/l2`, { quantity: 3 })).data.quantity).toBe(3);
    expect((await h.api.patch(`${base}/l2`, { product_variant_id: 'nope' })).status).toBe(400);
    expect((await h.api.get(`${base}/l2`)).data.quantity).toBe(3);
    expect((await h.api.get(base)).data.total_items).toBe(2);
    expect((await h.api.delete(`${base}/l2`)).status).toBe(204);
    expect((await h.api.get(`${base}/l2`)).status).toBe(404);
  });

  it('a new inline customer needs an email; an inline customer is created', async () => {
    const noEmail = await h.api.post(`${S}/shop1/orders`, sampleOrder('o1', { id: 'new' }));
    expect(noEmail.status).toBe(400);
    const ok = await h.api.post(`${S}/shop1/orders`, sampleOrder('o1', { id: 'new', email_address: 'new@example.com', opt_in_status: false, first_name: 'N' }));
    expect(ok.status).toBe(200);
    expect((await h.api.get(`${S}/shop1/customers/new`)).data).toMatchObject({ email_address: 'new@example.com', first_name: 'N', orders_count: 1 });
  });

  it('DELETE answers 204', async () => {
    await h.api.post(`${S}/shop1/orders`, sampleOrder('o1'));
    expect((await h.api.delete(`${S}/shop1/orders/o1`)).status).toBe(204);
    expect((await h.api.get(`${S}/shop1/orders/o1`)).status).toBe(404);
    expect((await h.api.get(`${S}/shop1/customers/c1`)).data.orders_count).toBe(0);
  });
});

describe('promo rules and codes', () => {
  beforeEach(() => seedStore());
  const rule = { id: 'r1', description: 'Ten percent', amount: 0.1, type: 'percentage', target: 'total' };

  it('CRUD with duplicate refusal and enum/range validation', async () => {
    expect((await h.api.post(`${S}/shop1/promo-rules`, rule)).status).toBe(200);
    expect((await h.api.post(`${S}/shop1/promo-rules`, rule)).status).toBe(400);
    expect((await h.api.post(`${S}/shop1/promo-rules`, { ...rule, id: 'r2', type: 'bogus' })).data.title).toBe('Invalid Resource');
    expect((await h.api.post(`${S}/shop1/promo-rules`, { ...rule, id: 'r3', amount: 10 })).status).toBe(400);
    expect((await h.api.patch(`${S}/shop1/promo-rules/r1`, { enabled: false })).data).toMatchObject({ enabled: false, amount: 0.1 });
    expect((await h.api.get(`${S}/shop1/promo-rules`)).data.total_items).toBe(1);
    expect((await h.api.delete(`${S}/shop1/promo-rules/r1`)).status).toBe(204);
    expect((await h.api.get(`${S}/shop1/promo-rules/r1`)).status).toBe(404);
  });

  it('promo codes live under a rule', async () => {
    await h.api.post(`${S}/shop1/promo-rules`, rule);
    const base = `${S}/shop1/promo-rules/r1/promo-codes`;
    const code = { id: 'k1', code: 'TEN', redemption_url: 'https://shop.example/cart?promo=TEN' };
    expect((await h.api.post(base, code)).data).toMatchObject({ code: 'TEN', usage_count: 0, enabled: true });
    expect((await h.api.post(base, code)).status).toBe(400);
    expect((await h.api.patch(`${base}/k1`, { usage_count: 3 })).data.usage_count).toBe(3);
    expect((await h.api.get(base)).data.total_items).toBe(1);
    expect((await h.api.post(`${S}/shop1/promo-rules/nope/promo-codes`, code)).status).toBe(404);
    expect((await h.api.delete(`${base}/k1`)).status).toBe(204);
    expect((await h.api.get(`${base}/k1`)).status).toBe(404);
  });
});
