import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { count, resetStats, resync, stats, storePath, syncNow, syncState, writes } from '../../support/sync-steps';

interface RemoteVariant {
  id: string;
  title: string;
  sku: string;
  price: number;
  inventory_quantity: number;
  image_url: string;
  url: string;
}
interface RemoteProduct {
  id: string;
  title: string;
  description: string;
  type: string;
  vendor: string;
  url: string;
  handle: string;
  image_url: string;
  published_at_foreign: string;
  variants: RemoteVariant[];
}

describe('product sync (entity workflows → emulator)', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
    await resync(h); // empty shop: creates the Mailchimp store
  });
  afterAll(() => h.stop());

  const product = (code: string) => remote<RemoteProduct>(h, storePath(h, `/products/${encodeURIComponent(code)}`));
  const byId = (variants: RemoteVariant[]) => Object.fromEntries(variants.map((v) => [v.id, v]));

  it('maps every product field and every active variant', async () => {
    const p = await shop.product(h.t.db, {
      code: 'RUN-1', title: '  Red runner 👟 ', description: '<p>Bold <b>shoe</b>\u0007</p>', category: 'Shoes', vendor: 'Acme',
      seo_url: '/shoes/red-runner/', image_url: 'https://cdn.example/runner.jpg', published_at: new Date('2026-01-02T03:04:05.678Z'),
    }, [
      { sku: 'RUN-1-41', title: 'Size 41', price: '59.90', inventory_quantity: 7, image_url: 'https://cdn.example/runner-41.jpg' },
      { sku: 'RUN-1-42', title: '', price: '61.00', inventory_quantity: -3, image_url: null },
      { sku: 'RUN-1-43', title: 'Size 43', price: '62.00', status: 'deleted' },
    ]);

    await expect(syncNow(h, 'product', p.id)).resolves.toMatchObject({ status: 'synced' });

    const remoteProduct = await product('RUN-1');
    expect(remoteProduct).toMatchObject({
      id: 'RUN-1',
      title: 'Red runner 👟',
      description: '<p>Bold <b>shoe</b></p>',
      type: 'Shoes',
      vendor: 'Acme',
      url: 'https://shop.example/shoes/red-runner/',
      handle: 'red-runner',
      image_url: 'https://cdn.example/runner.jpg',
      published_at_foreign: '2026-01-02T03:04:05.678Z',
    });
    const variants = byId(remoteProduct!.variants);
    expect(Object.keys(variants).sort()).toEqual(['RUN-1-41', 'RUN-1-42']); // the deleted variant is not sent
    expect(variants['RUN-1-41']).toMatchObject({
      title: 'Size 41', sku: 'RUN-1-41', price: 59.9, inventory_quantity: 7,
      image_url: 'https://cdn.example/runner-41.jpg', url: 'https://shop.example/shoes/red-runner/',
    });
    // Empty variant title → the product's; negative stock → 0; no variant image → the product's image.
    expect(variants['RUN-1-42']).toMatchObject({
      title: 'Red runner 👟', sku: 'RUN-1-42', price: 61, inventory_quantity: 0, image_url: 'https://cdn.example/runner.jpg',
    });
    expect(await syncState(h, 'product', p.id)).toMatchObject({ status: 'synced', remote_id: 'RUN-1' });
  });

  it('gives a variant-less product one variant named after its code; a relative seo_url gets the store domain', async () => {
    const p = await shop.product(h.t.db, { code: 'BOOK-1', title: 'A book', seo_url: 'books/a-book', image_url: 'https://cdn.example/book.png' });
    await syncNow(h, 'product', p.id);
    const remoteProduct = await product('BOOK-1');
    expect(remoteProduct).toMatchObject({ url: 'https://shop.example/books/a-book', handle: 'a-book', type: '', vendor: '', description: '' });
    expect(remoteProduct!.variants).toEqual([
      expect.objectContaining({ id: 'BOOK-1', title: 'A book', url: 'https://shop.example/books/a-book', image_url: 'https://cdn.example/book.png' }),
    ]);
  });

  it('uses an absolute seo_url as it is, takes the handle from its last segment, and leaves out an absent image', async () => {
    const p = await shop.product(h.t.db, { code: 'MUG-1', title: 'Mug', seo_url: 'https://other.example/kitchen/big-mug/?ref=1#top', image_url: null }, [
      { sku: 'MUG-1-RED', title: 'Red', price: '5.00', image_url: null },
    ]);
    await syncNow(h, 'product', p.id);
    const remoteProduct = await product('MUG-1');
    expect(remoteProduct).toMatchObject({ url: 'https://other.example/kitchen/big-mug/?ref=1#top', handle: 'big-mug', image_url: '' });
    expect(remoteProduct!.variants).toEqual([expect.objectContaining({ id: 'MUG-1-RED', image_url: '', url: 'https://other.example/kitchen/big-mug/?ref=1#top' })]);
  });

  it('sends a changed product as an update, including fields that were cleared in the shop', async () => {
    const p = await shop.product(h.t.db, {
      code: 'HAT-1', title: 'Hat', category: 'Hats', vendor: 'Acme', description: 'Warm', image_url: 'https://cdn.example/hat.jpg',
    }, [{ sku: 'HAT-1-S', title: 'Small', price: '20.00', inventory_quantity: 3 }]);
    await syncNow(h, 'product', p.id);
    await h.t.db('products').where({ id: p.id }).update({ title: 'Winter hat', category: null, vendor: null, description: null, image_url: null });
    await h.t.db('product_variants').where({ sku: 'HAT-1-S' }).update({ price: '25.00', inventory_quantity: 1 });
    await resetStats(h);

    await expect(syncNow(h, 'product', p.id)).resolves.toMatchObject({ status: 'synced' });

    const s = await stats(h);
    expect(count(s, 'POST', '/ecommerce/stores/{store_id}/products')).toBe(0); // never a second copy
    const remoteProduct = await product('HAT-1');
    expect(remoteProduct).toMatchObject({ title: 'Winter hat', type: '', vendor: '', description: '', image_url: '' });
    expect(remoteProduct!.variants).toEqual([expect.objectContaining({ id: 'HAT-1-S', price: 25, inventory_quantity: 1, image_url: '' })]);
  });

  it('makes no write call at all when an unchanged product is synced again', async () => {
    const p = await shop.product(h.t.db, { code: 'SOCK-1', title: 'Sock' }, [{ sku: 'SOCK-1-A', price: '3.00' }]);
    await syncNow(h, 'product', p.id);
    const before = await product('SOCK-1');
    await resetStats(h);

    await expect(syncNow(h, 'product', p.id)).resolves.toMatchObject({ status: 'unchanged' });
    await expect(syncNow(h, 'product', p.id)).resolves.toMatchObject({ status: 'unchanged' });

    expect(writes(await stats(h))).toEqual({});
    expect(await product('SOCK-1')).toEqual(before);
  });

  it('deletes a deleted variant from Mailchimp and keeps the others', async () => {
    const p = await shop.product(h.t.db, { code: 'TEE-1', title: 'Tee' }, [
      { sku: 'TEE-1-S', title: 'S', price: '9.00' }, { sku: 'TEE-1-M', title: 'M', price: '9.00' },
    ]);
    await syncNow(h, 'product', p.id);
    expect((await product('TEE-1'))!.variants.map((v) => v.id).sort()).toEqual(['TEE-1-M', 'TEE-1-S']);

    await h.t.db('product_variants').where({ sku: 'TEE-1-M' }).update({ status: 'deleted' });
    await syncNow(h, 'product', p.id);

    expect((await product('TEE-1'))!.variants.map((v) => v.id)).toEqual(['TEE-1-S']);
    expect(await remote(h, storePath(h, '/products/TEE-1/variants/TEE-1-M'))).toBeNull();
  });

  it('deletes a deleted product, and a product whose row is gone, when no order references them', async () => {
    const soft = await shop.product(h.t.db, { code: 'OLD-1', title: 'Old' }, [{ sku: 'OLD-1-A', price: '1.00' }]);
    const hard = await shop.product(h.t.db, { code: 'GONE-1', title: 'Gone' });
    await syncNow(h, 'product', soft.id);
    await syncNow(h, 'product', hard.id);
    expect(await product('OLD-1')).not.toBeNull();
    expect(await product('GONE-1')).not.toBeNull();

    await h.t.db('products').where({ id: soft.id }).update({ status: 'deleted' });
    await h.t.db('products').where({ id: hard.id }).delete();
    await expect(syncNow(h, 'product', soft.id)).resolves.toMatchObject({ status: 'deleted' });
    await expect(syncNow(h, 'product', hard.id)).resolves.toMatchObject({ status: 'deleted' });

    expect(await product('OLD-1')).toBeNull();
    expect(await product('GONE-1')).toBeNull();
    expect(await syncState(h, 'product', soft.id)).toMatchObject({ status: 'deleted' });
    expect(await syncState(h, 'product', hard.id)).toMatchObject({ status: 'deleted' });
  });

  it('keeps a deleted product that an order references as a placeholder without stock', async () => {
    const p = await shop.product(h.t.db, { code: 'LAMP-1', title: 'Lamp' }, [{ sku: 'LAMP-1-W', title: 'White', price: '30.00', inventory_quantity: 12 }]);
    const o = await shop.order(h.t.db, { guest_email: 'lamp-buyer@example.org', order_total: '30.00' }, [{ product_id: p.id, variant_id: null, unit_price: '30.00' }]);
    const variantId = (await h.t.db('product_variants').where({ sku: 'LAMP-1-W' }).first('id') as { id: number }).id;
    await h.t.db('order_lines').where({ order_id: o.id }).update({ variant_id: variantId });
    await syncNow(h, 'order', o.id);
    expect(await remote(h, storePath(h, `/orders/${o.number}`))).not.toBeNull();

    await h.t.db('products').where({ id: p.id }).update({ status: 'deleted' });
    await resetStats(h);
    await expect(syncNow(h, 'product', p.id)).resolves.toMatchObject({ status: 'synced' });

    expect(count(await stats(h), 'DELETE', '/ecommerce/stores/{store_id}/products/{product_id}')).toBe(0);
    const placeholder = await product('LAMP-1');
    expect(placeholder?.title).toBe('Lamp');
    expect(placeholder!.variants).toEqual([expect.objectContaining({ id: 'LAMP-1-W', inventory_quantity: 0 })]);
    // The order still resolves its product.
    const order = await remote<{ lines: Array<{ product_id: string; product_variant_id: string }> }>(h, storePath(h, `/orders/${o.number}`));
    expect(order?.lines).toEqual([expect.objectContaining({ product_id: 'LAMP-1', product_variant_id: 'LAMP-1-W' })]);
  });

  it('keeps a product whose row is gone as a stock-less placeholder when an order references it', async () => {
    const p = await shop.product(h.t.db, { code: 'DESK-1', title: 'Desk' }, [{ sku: 'DESK-1-OAK', title: 'Oak', price: '300.00', inventory_quantity: 4 }]);
    const o = await shop.order(h.t.db, { guest_email: 'desk-buyer@example.org', order_total: '300.00' }, [{ product_id: p.id, unit_price: '300.00' }]);
    await syncNow(h, 'order', o.id);

    await h.t.db('product_variants').where({ product_id: p.id }).delete();
    await h.t.db('products').where({ id: p.id }).delete();
    await resetStats(h);
    await expect(syncNow(h, 'product', p.id)).resolves.toMatchObject({ status: 'synced' });

    // Nothing in Mailchimp is left for sale: whatever the order points at has no stock.
    const order = await remote<{ lines: Array<{ product_id: string; product_variant_id: string }> }>(h, storePath(h, `/orders/${o.number}`));
    for (const line of order!.lines) {
      const variant = await remote<RemoteVariant>(h, storePath(h, `/products/${line.product_id}/variants/${line.product_variant_id}`));
      expect(variant).not.toBeNull();
      expect(variant!.inventory_quantity).toBe(0);
    }
    const all = await remote<{ products: RemoteProduct[] }>(h, storePath(h, '/products?count=1000'));
    const desk = all!.products.filter((x) => x.id === 'DESK-1' || x.id === `deleted-${p.id}`);
    expect(desk.length).toBeGreaterThan(0);
    for (const x of desk) for (const v of x.variants) expect(v.inventory_quantity).toBe(0);
  });
});
