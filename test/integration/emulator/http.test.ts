import axios from 'axios';
import { boot, LIST_ID, PROBLEM_TYPE, TEST_KEY, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await boot();
});
afterAll(async () => h.emu.close());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('auth', () => {
  it('answers 401 API Key Missing without credentials', async () => {
    const res = await axios.get(`${h.emu.url}/3.0/lists/${LIST_ID}`, { validateStatus: () => true });
    expect(res.status).toBe(401);
    expect(res.data.title).toBe('API Key Missing');
  });

  it('answers 401 API Key Invalid for a wrong key', async () => {
    const res = await axios.get(`${h.emu.url}/3.0/lists/${LIST_ID}`, { auth: { username: 'x', password: 'wrong-us1' }, validateStatus: () => true });
    expect(res.status).toBe(401);
    expect(res.data.title).toBe('API Key Invalid');
  });

  it('accepts HTTP Basic with any user name and the key as password', async () => {
    const res = await axios.get(`${h.emu.url}/3.0/lists/${LIST_ID}`, { auth: { username: 'whoever', password: TEST_KEY } });
    expect(res.status).toBe(200);
    expect(res.data.id).toBe(LIST_ID);
  });
});

describe('problem documents', () => {
  it('have the Mailchimp problem+json shape', async () => {
    const res = await h.api.get('/ecommerce/stores/nope');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(res.data).toEqual({
      type: 'https://mailchimp.com/developer/marketing/docs/errors/',
      title: 'Resource Not Found',
      status: 404,
      detail: 'The requested resource could not be found.',
      instance: expect.stringMatching(UUID),
    });
  });

  it('carry errors[] for validation failures (Invalid Resource)', async () => {
    const res = await h.api.post('/ecommerce/stores', { id: 's', name: 'x' });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(res.data.title).toBe('Invalid Resource');
    expect(res.data.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'list_id' }), expect.objectContaining({ field: 'currency_code' })]));
  });

  it('answers a body that is not JSON with 400', async () => {
    const res = await h.api.post('/ecommerce/stores', '{nope', { headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe(PROBLEM_TYPE);
  });
});

describe('routing', () => {
  it('answers an unknown route with 404 Resource Not Found', async () => {
    const res = await h.api.get('/no/such/thing');
    expect(res.status).toBe(404);
    expect(res.data.title).toBe('Resource Not Found');
  });

  it('answers a known path with a wrong verb with 405 Method Not Allowed', async () => {
    const put = await h.api.put('/ecommerce/stores/shop1', {});
    expect(put.status).toBe(405);
    expect(put.data.title).toBe('Method Not Allowed');
    expect(put.headers['content-type']).toBe(PROBLEM_TYPE);
    // no PUT on promo rules (in any version), no PATCH on batches
    expect((await h.api.put('/ecommerce/stores/s/promo-rules/r', {})).status).toBe(405);
    expect((await h.api.patch('/batches/b', {})).status).toBe(405);
    expect((await h.api.post('/ecommerce/stores/s/customers/c', {})).status).toBe(405);
  });

  it('routes PUT /products/{id} and PUT /orders/{id} (newer API: "Create or update product", "Add or update order")', async () => {
    expect((await h.api.put('/ecommerce/stores/missing/products/p1', {})).status).toBe(404);
    expect((await h.api.put('/ecommerce/stores/missing/orders/o1', {})).status).toBe(404);
  });

  it('answers unknown paths outside /3.0 with a problem 404', async () => {
    const res = await h.control.get('/whatever');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe(PROBLEM_TYPE);
  });
});

describe('bodies held to the official spec', () => {
  it('refuses what the spec refuses even when it is well-formed JSON: null for a string, a string for a number', async () => {
    const store = { id: 'spec-store', list_id: LIST_ID, name: 'Spec', currency_code: 'USD' };
    expect((await h.api.post('/ecommerce/stores', store)).status).toBe(200);
    const bad = await h.api.post('/ecommerce/stores/spec-store/products', {
      id: 'p1', title: 'Shoe', description: null, variants: [{ id: 'v1', title: 'Shoe', price: '9.99' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.data.title).toBe('Invalid Resource');
    expect(bad.data.errors.map((e: { field: string }) => e.field).sort()).toEqual(['description', 'variants.0.price']);
    expect((await h.api.get('/ecommerce/stores/spec-store/products/p1')).status).toBe(404);
  });
});
