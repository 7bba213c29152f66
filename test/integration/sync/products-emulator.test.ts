import { boot, sampleStore, type Harness } from '../emulator/helpers';

/**
 * How the emulator clears and replaces product and variant fields (docs/emulator.md, "Products and variants"), the
 * behaviour the product sync relies on to end where a fresh full sync ends.
 */
let h: Harness;
beforeAll(async () => {
  h = await boot();
});
afterAll(async () => h.emu.close());
beforeEach(async () => {
  await h.control.post('/_emulator/reset', {});
  expect((await h.api.post('/ecommerce/stores', sampleStore('shop1'))).status).toBe(200);
});

const P = '/ecommerce/stores/shop1/products';
const full = {
  id: 'p1', title: 'Full', description: 'Desc', type: 'Type', vendor: 'Vendor', url: 'https://x.example/p1', handle: 'p1',
  image_url: 'https://x.example/p1.jpg', published_at_foreign: '2026-01-02T03:04:05+00:00',
  variants: [{ id: 'v1', title: 'V1', sku: 'v1', price: 5, inventory_quantity: 3, url: 'https://x.example/p1', image_url: 'https://x.example/v1.jpg' }],
};

describe('products and variants: clearing and replacing', () => {
  it('a product PATCH keeps what its body leaves out and clears a text field sent as ""', async () => {
    await h.api.post(P, full);
    const res = await h.api.patch(`${P}/p1`, { title: 'Patched', vendor: '', description: '' });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ title: 'Patched', vendor: '', description: '', type: 'Type', handle: 'p1', published_at_foreign: full.published_at_foreign });
  });

  it('a product PATCH cannot clear published_at_foreign: "" is not a date-time', async () => {
    await h.api.post(P, full);
    const res = await h.api.patch(`${P}/p1`, { published_at_foreign: '' });
    expect(res.status).toBe(400);
    expect(res.data.title).toBe('Invalid Resource');
    expect((await h.api.get(`${P}/p1`)).data.published_at_foreign).toBe(full.published_at_foreign);
  });

  it('a product PUT replaces the product whole: fields and variants it leaves out are gone', async () => {
    await h.api.post(P, { ...full, variants: [...full.variants, { id: 'v2', title: 'V2' }] });
    const res = await h.api.put(`${P}/p1`, { id: 'p1', title: 'Bare', variants: [{ id: 'v1', title: 'V1' }] });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ title: 'Bare', description: '', type: '', vendor: '', url: '', handle: '', image_url: '', published_at_foreign: '' });
    expect(res.data.variants).toEqual([expect.objectContaining({ id: 'v1', title: 'V1', sku: '', price: 0, inventory_quantity: 0, image_url: '', url: '' })]);
  });

  it('a variant PUT replaces the variant whole; a variant PATCH keeps what it leaves out', async () => {
    await h.api.post(P, full);
    const patched = await h.api.patch(`${P}/p1/variants/v1`, { title: 'Patched' });
    expect(patched.data).toMatchObject({ title: 'Patched', sku: 'v1', price: 5, inventory_quantity: 3, image_url: 'https://x.example/v1.jpg' });
    const put = await h.api.put(`${P}/p1/variants/v1`, { id: 'v1', title: 'Put' });
    expect(put.status).toBe(200);
    expect(put.data).toMatchObject({ title: 'Put', sku: '', price: 0, inventory_quantity: 0, image_url: '', url: '' });
  });

  it('a variant DELETE removes only that variant', async () => {
    await h.api.post(P, { ...full, variants: [...full.variants, { id: 'v2', title: 'V2' }] });
    expect((await h.api.delete(`${P}/p1/variants/v2`)).status).toBe(204);
    expect((await h.api.get(`${P}/p1`)).data.variants.map((v: { id: string }) => v.id)).toEqual(['v1']);
  });
});
