import * as shop from '../../support/shop';
import { differences, freshStores, type FreshStores } from '../../support/fresh-store';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { resync, storePath, syncNow } from '../../support/sync-steps';

type RemoteCart = { lines: Array<{ id: string; product_variant_id: string }> } | null;

/**
 * A cart line names a product and a variant the product sync sends; a line whose product (or variant) the mapping
 * refuses is left out (mapping/cart.ts). Nothing in a cart's rows changes when its product is fixed or becomes refused,
 * so the product's own sync, once it writes the product, syncs the carts naming it again (as it does the orders that
 * waited for it): each case ends where a fresh full sync of the final shop ends, without any scan.
 */
describe('carts naming a product the mapping refuses, once the product is written', () => {
  let h: SyncHarness;
  let fresh: FreshStores;
  beforeAll(async () => {
    h = await startSyncHarness();
    fresh = await freshStores(h);
    await resync(h);
  });
  afterAll(async () => {
    await fresh.stop();
    await h.stop();
  });

  const variantId = async (sku: string) => ((await h.t.db('product_variants').where({ sku }).first('id')) as { id: number }).id;
  const cartLines = async (id: number) => ((await remote<RemoteCart>(h, storePath(h, `/carts/${id}`))) as RemoteCart)?.lines.map((l) => l.product_variant_id).sort();
  /** The cart and its products as a fresh full sync of the shop now sends them. */
  const sameAsFresh = async (cartId: number, codes: string[]) => {
    const freshId = await fresh.sync();
    expect(await differences(h, freshId, [`/carts/${cartId}`, ...codes.map((c) => `/products/${c}`)])).toEqual([]);
  };
  const guestCart = async (email: string, lines: Array<{ product_id: number; variant_id: number }>) => shop.cart(h.t.db, { guest_email: email }, lines);

  it('a cart line naming a variant priced in another currency is sent once the variant is priced in the store currency', async () => {
    const p = await shop.product(h.t.db, { code: 'CART-EUR' }, [{ sku: 'CART-EUR-USD' }, { sku: 'CART-EUR-EUR', currency: 'EUR' }]);
    const c = await guestCart('cart-eur@example.org', [
      { product_id: p.id, variant_id: await variantId('CART-EUR-USD') }, { product_id: p.id, variant_id: await variantId('CART-EUR-EUR') },
    ]);
    expect(await syncNow(h, 'cart', c.id)).toMatchObject({ status: 'synced' });
    expect(await cartLines(c.id)).toEqual(['CART-EUR-USD']);
    await h.t.db('product_variants').where({ sku: 'CART-EUR-EUR' }).update({ currency: 'USD' });
    expect(await syncNow(h, 'product', p.id)).toMatchObject({ status: 'synced' });
    expect(await cartLines(c.id)).toEqual(['CART-EUR-EUR', 'CART-EUR-USD']);
    await sameAsFresh(c.id, ['CART-EUR']);
  });

  it('a cart line naming a product refused whole is sent once the product can be sent', async () => {
    const p = await shop.product(h.t.db, { code: 'CART-WHOLE', title: 'Hat' }, [{ sku: 'CART-WHOLE-A' }]);
    const q = await shop.product(h.t.db, { code: 'CART-WHOLE-OTHER' }, [{ sku: 'CART-WHOLE-OTHER-A' }]);
    expect(await syncNow(h, 'product', p.id)).toMatchObject({ status: 'synced' });
    await h.t.db('products').where({ id: p.id }).update({ title: '' });
    await expect(syncNow(h, 'product', p.id)).rejects.toThrow(/Workflow execution failed/);
    const c = await guestCart('cart-whole@example.org', [
      { product_id: p.id, variant_id: await variantId('CART-WHOLE-A') }, { product_id: q.id, variant_id: await variantId('CART-WHOLE-OTHER-A') },
    ]);
    expect(await syncNow(h, 'cart', c.id)).toMatchObject({ status: 'synced' });
    expect(await cartLines(c.id)).toEqual(['CART-WHOLE-OTHER-A']);
    await h.t.db('products').where({ id: p.id }).update({ title: 'Hat' });
    expect(await syncNow(h, 'product', p.id)).toMatchObject({ status: 'synced' });
    expect(await cartLines(c.id)).toEqual(['CART-WHOLE-A', 'CART-WHOLE-OTHER-A']);
    await sameAsFresh(c.id, ['CART-WHOLE', 'CART-WHOLE-OTHER']);
  });

  it('a sent cart loses its line naming a product that nothing of can be sent any more', async () => {
    const p = await shop.product(h.t.db, { code: 'CART-GONE', title: 'Hat' }, [{ sku: 'CART-GONE-A' }]);
    const q = await shop.product(h.t.db, { code: 'CART-GONE-OTHER' }, [{ sku: 'CART-GONE-OTHER-A' }]);
    const c = await guestCart('cart-gone@example.org', [
      { product_id: p.id, variant_id: await variantId('CART-GONE-A') }, { product_id: q.id, variant_id: await variantId('CART-GONE-OTHER-A') },
    ]);
    expect(await syncNow(h, 'cart', c.id)).toMatchObject({ status: 'synced' });
    expect(await cartLines(c.id)).toEqual(['CART-GONE-A', 'CART-GONE-OTHER-A']);
    await h.t.db('products').where({ id: p.id }).update({ title: '' });
    await expect(syncNow(h, 'product', p.id)).rejects.toThrow(/Workflow execution failed/);
    expect(await cartLines(c.id)).toEqual(['CART-GONE-OTHER-A']);
    await sameAsFresh(c.id, ['CART-GONE', 'CART-GONE-OTHER']);
  });

  it('a sent cart loses its line naming a variant the product is sent without from now on', async () => {
    const p = await shop.product(h.t.db, { code: 'CART-LEFT' }, [{ sku: 'CART-LEFT-A' }, { sku: 'CART-LEFT-B' }]);
    const c = await guestCart('cart-left@example.org', [
      { product_id: p.id, variant_id: await variantId('CART-LEFT-A') }, { product_id: p.id, variant_id: await variantId('CART-LEFT-B') },
    ]);
    expect(await syncNow(h, 'cart', c.id)).toMatchObject({ status: 'synced' });
    expect(await cartLines(c.id)).toEqual(['CART-LEFT-A', 'CART-LEFT-B']);
    await h.t.db('product_variants').where({ sku: 'CART-LEFT-B' }).update({ currency: 'EUR' });
    expect(await syncNow(h, 'product', p.id)).toMatchObject({ status: 'synced' });
    expect(await cartLines(c.id)).toEqual(['CART-LEFT-A']);
    await sameAsFresh(c.id, ['CART-LEFT']);
  });
});
