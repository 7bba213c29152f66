import { LIST_ID, boot, sampleCustomer, sampleOrder, sampleProduct, sampleStore, type Harness } from '../emulator/helpers';

/**
 * How the emulator clears, replaces and deletes orders, lines, promo rules and codes, and customers (docs/emulator.md,
 * "Orders, lines, promotions, customers"): the behaviour the order, promotion and customer syncs rely on.
 */
let h: Harness;
beforeAll(async () => {
  h = await boot();
});
afterAll(async () => h.emu.close());
beforeEach(async () => {
  await h.control.post('/_emulator/reset', {});
  expect((await h.api.post('/ecommerce/stores', sampleStore('shop1'))).status).toBe(200);
  expect((await h.api.post('/ecommerce/stores/shop1/products', sampleProduct('p1', ['p1', 'p1-b']))).status).toBe(200);
  expect((await h.api.put('/ecommerce/stores/shop1/customers/c1', sampleCustomer('c1'))).status).toBe(200);
});

const S = '/ecommerce/stores/shop1';
const O = `${S}/orders`;
const CANCELLED = '2026-03-06T07:00:00+00:00';

describe('orders and lines', () => {
  it('an order PATCH empties a text field sent as "" and keeps what it leaves out', async () => {
    await h.api.post(O, sampleOrder('o1', { id: 'c1' }, { campaign_id: 'cmp', landing_site: 'https://x.example/', fulfillment_status: 'shipped', financial_status: 'paid' }));
    const res = await h.api.patch(`${O}/o1`, { campaign_id: '', fulfillment_status: '' });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ campaign_id: '', fulfillment_status: '', landing_site: 'https://x.example/', financial_status: 'paid' });
  });

  it('an order PATCH cannot empty cancelled_at_foreign: "" is not a date-time, and a date cancels', async () => {
    await h.api.post(O, sampleOrder('o1', { id: 'c1' }, { financial_status: 'cancelled', cancelled_at_foreign: CANCELLED }));
    const res = await h.api.patch(`${O}/o1`, { cancelled_at_foreign: '', financial_status: 'paid' });
    expect(res.status).toBe(400);
    expect(res.data.title).toBe('Invalid Resource');
    expect((await h.api.get(`${O}/o1`)).data).toMatchObject({ cancelled_at_foreign: CANCELLED, financial_status: 'cancelled' });
  });

  it('an order PUT replaces the order whole, lines included, and cannot move it to another customer', async () => {
    await h.api.post(O, sampleOrder('o1', { id: 'c1' }, {
      financial_status: 'cancelled', cancelled_at_foreign: CANCELLED, campaign_id: 'cmp',
      lines: [{ id: 'l1', product_id: 'p1', product_variant_id: 'p1', quantity: 1, price: 10 }, { id: 'l2', product_id: 'p1', product_variant_id: 'p1-b', quantity: 1, price: 10 }],
    }));
    const res = await h.api.put(`${O}/o1`, sampleOrder('o1', { id: 'c1' }, { financial_status: 'paid' }));
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ financial_status: 'paid', cancelled_at_foreign: '', campaign_id: '', customer: { id: 'c1' } });
    expect(res.data.lines.map((l: { id: string }) => l.id)).toEqual(['l1']);

    await h.api.put(`${S}/customers/c2`, sampleCustomer('c2'));
    const moved = await h.api.put(`${O}/o1`, sampleOrder('o1', { id: 'c2' }));
    expect(moved.status).toBe(400);
    expect((await h.api.get(`${O}/o1`)).data.customer.id).toBe('c1');
  });

  it('an order PUT of an order Mailchimp does not have creates it', async () => {
    expect((await h.api.put(`${O}/o9`, sampleOrder('o9'))).status).toBe(200);
    expect((await h.api.get(`${O}/o9`)).status).toBe(200);
  });

  it('a line PATCH changes the line in place, POST adds one, DELETE removes one', async () => {
    await h.api.post(O, sampleOrder('o1', { id: 'c1' }, { lines: [{ id: 'l1', product_id: 'p1', product_variant_id: 'p1', quantity: 2, price: 10, discount: 1 }] }));
    const patched = await h.api.patch(`${O}/o1/lines/l1`, { product_id: 'p1', product_variant_id: 'p1-b', quantity: 3, price: 9, discount: 0 });
    expect(patched.status).toBe(200);
    expect(patched.data).toMatchObject({ id: 'l1', product_variant_id: 'p1-b', quantity: 3, price: 9, discount: 0 });
    expect((await h.api.post(`${O}/o1/lines`, { id: 'l2', product_id: 'p1', product_variant_id: 'p1', quantity: 1, price: 10 })).status).toBe(200);
    expect((await h.api.delete(`${O}/o1/lines/l1`)).status).toBe(204);
    expect((await h.api.get(`${O}/o1`)).data.lines.map((l: { id: string }) => l.id)).toEqual(['l2']);
    expect((await h.api.patch(`${O}/o1/lines/l2`, { product_variant_id: 'no-such-variant' })).status).toBe(400);
  });

  it('an order DELETE answers 204 and the order is gone', async () => {
    await h.api.post(O, sampleOrder('o1'));
    expect((await h.api.delete(`${O}/o1`)).status).toBe(204);
    expect((await h.api.get(`${O}/o1`)).status).toBe(404);
  });
});

describe('promo rules and codes', () => {
  const rule = { id: 'r1', title: 'Sale', description: 'Sale', amount: 0.1, type: 'percentage', target: 'total', starts_at: '2026-03-01T00:00:00+00:00', ends_at: '2026-04-01T00:00:00+00:00' };

  it('a rule PATCH cannot remove a date ("" is not a date-time) but empties a title sent as ""', async () => {
    await h.api.post(`${S}/promo-rules`, rule);
    expect((await h.api.patch(`${S}/promo-rules/r1`, { ends_at: '' })).status).toBe(400);
    const res = await h.api.patch(`${S}/promo-rules/r1`, { title: '' });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ title: '', ends_at: rule.ends_at });
  });

  it('deleting a rule deletes its codes; a rule created again has no date it was not sent, and no codes', async () => {
    await h.api.post(`${S}/promo-rules`, rule);
    await h.api.post(`${S}/promo-rules/r1/promo-codes`, { id: 'k1', code: 'K1', redemption_url: 'https://x.example/k1' });
    expect((await h.api.delete(`${S}/promo-rules/r1`)).status).toBe(204);
    const { ends_at: _ends, ...withoutEnd } = rule;
    expect((await h.api.post(`${S}/promo-rules`, withoutEnd)).data).toMatchObject({ ends_at: '', starts_at: rule.starts_at });
    expect((await h.api.get(`${S}/promo-rules/r1/promo-codes`)).data).toMatchObject({ promo_codes: [], total_items: 0 });
  });
});

describe('addresses and tracking', () => {
  const EMPTY = { address1: '', address2: '', city: '', province: '', province_code: '', postal_code: '', country: '', country_code: '' };

  it('an order answers both addresses with every part ("" never sent); a PATCH merges the parts it sends, "" empties one', async () => {
    await h.api.post(O, sampleOrder('o1', { id: 'c1' }, { shipping_address: { name: 'Ada', city: 'Paris', country_code: 'FR' }, tracking_number: 'T1' }));
    const created = (await h.api.get(`${O}/o1`)).data;
    expect(created.shipping_address).toEqual({ ...EMPTY, name: 'Ada', city: 'Paris', country_code: 'FR', phone: '', company: '' });
    expect(created.billing_address).toEqual({ ...EMPTY, name: '', phone: '', company: '' });

    const res = await h.api.patch(`${O}/o1`, { shipping_address: { city: '', postal_code: '75004' }, tracking_number: '', tracking_carrier: 'UPS' });
    expect(res.status).toBe(200);
    expect(res.data.shipping_address).toMatchObject({ name: 'Ada', city: '', postal_code: '75004', country_code: 'FR' });
    expect(res.data).toMatchObject({ tracking_number: '', tracking_carrier: 'UPS', tracking_url: '' });
  });

  it('a customer answers its address with every part; PUT replaces it, PATCH merges the parts it sends', async () => {
    expect((await h.api.get(`${S}/customers/c1`)).data.address).toEqual(EMPTY);
    await h.api.put(`${S}/customers/c1`, sampleCustomer('c1', 'c1@example.com', false, { address: { city: 'Oslo', country_code: 'NO' } }));
    await h.api.patch(`${S}/customers/c1`, { address: { postal_code: '0150' } });
    expect((await h.api.get(`${S}/customers/c1`)).data.address).toEqual({ ...EMPTY, city: 'Oslo', country_code: 'NO', postal_code: '0150' });
    await h.api.put(`${S}/customers/c1`, sampleCustomer('c1'));
    expect((await h.api.get(`${S}/customers/c1`)).data.address).toEqual(EMPTY);
  });
});

describe('customers', () => {
  it('a customer PUT replaces its names; "" empties one', async () => {
    const res = await h.api.put(`${S}/customers/c1`, sampleCustomer('c1', 'c1@example.com', false, { last_name: '' }));
    expect(res.data).toMatchObject({ first_name: 'Ada', last_name: '' });
  });

  it('a customer DELETE leaves the audience member as it was; orders name a customer by id (GET orders?customer_id=)', async () => {
    await h.api.post(O, sampleOrder('o1', { id: 'c1' }));
    expect((await h.api.get(O, { params: { customer_id: 'c1', count: 1 } })).data.total_items).toBe(1);
    expect((await h.api.get(O, { params: { customer_id: 'c2', count: 1 } })).data.total_items).toBe(0);

    await h.api.put(`${S}/customers/c3`, sampleCustomer('c3', 'c3@example.com'));
    const hash = (await h.api.get(`/lists/${LIST_ID}/members`, { params: { count: 1000 } })).data.members
      .find((m: { email_address: string }) => m.email_address === 'c3@example.com').id as string;
    expect((await h.api.delete(`${S}/customers/c3`)).status).toBe(204);
    expect((await h.api.get(`${S}/customers/c3`)).status).toBe(404);
    expect((await h.api.get(`/lists/${LIST_ID}/members/${hash}`)).data.status).toBe('transactional');
  });
});
