import { interleaver } from '../../support/interleave';
import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { resync, storePath, syncNow } from '../../support/sync-steps';

type RemoteProduct = { variants: Array<{ id: string; inventory_quantity: number }> } | null;

/**
 * An order that is not pending but that the mapping refuses is not sent, and keeps nothing of its products in
 * Mailchimp: what the product sync keeps for order lines (the variant named after the code for a variant-less line,
 * an inactive product's placeholder) it keeps for the orders the sync sends only (mapping/sent-order.ts, the one rule;
 * the source's queries used to count any order that is not pending). Both the full sync and the order's own sync.
 */
describe('products named by an order the mapping refuses', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
    await resync(h);
  });
  afterAll(() => h?.stop());

  const refusedOrder = (productId: number) => shop.order(h.t.db, { guest_email: 'not valid@example', status: 'paid' }, [{ product_id: productId }]);
  const syncRefused = async (orderId: number) => {
    await expect(syncNow(h, 'order', orderId)).rejects.toThrow(/Workflow execution failed/);
  };
  const productIn = async (code: string) => (await remote(h, storePath(h, `/products/${code}`))) as RemoteProduct;

  it('a refused order\'s variant-less line adds no variant named after the code, synced or fully synced', async () => {
    const p = await shop.product(h.t.db, { code: 'REFUSED-LINE' }, [{ sku: 'REFUSED-LINE-S' }]);
    expect(await syncNow(h, 'product', p.id)).toMatchObject({ status: 'synced' });
    const o = await refusedOrder(p.id);
    await syncRefused(o.id);
    expect((await productIn('REFUSED-LINE'))?.variants.map((v) => v.id)).toEqual(['REFUSED-LINE-S']);
    await resync(h, 'products');
    expect((await productIn('REFUSED-LINE'))?.variants.map((v) => v.id)).toEqual(['REFUSED-LINE-S']);
  });

  it('an inactive product only a refused order names has no placeholder, synced or fully synced', async () => {
    const p = await shop.product(h.t.db, { code: 'REFUSED-INACTIVE', status: 'inactive' }, [{ sku: 'REFUSED-INACTIVE-S', inventory_quantity: 4 }]);
    const o = await refusedOrder(p.id);
    await syncRefused(o.id);
    expect(await productIn('REFUSED-INACTIVE')).toBeNull();
    await resync(h, 'products');
    expect(await productIn('REFUSED-INACTIVE')).toBeNull();
  });

  it('an inactive product a sent order names keeps its stock-less placeholder', async () => {
    const p = await shop.product(h.t.db, { code: 'SENT-INACTIVE', status: 'inactive' }, [{ sku: 'SENT-INACTIVE-S', inventory_quantity: 4 }]);
    const o = await shop.order(h.t.db, { guest_email: 'sent-inactive@example.org', status: 'paid' }, [{ product_id: p.id }]);
    expect(await syncNow(h, 'order', o.id)).toMatchObject({ status: 'synced' });
    await resync(h, 'products');
    expect((await productIn('SENT-INACTIVE'))?.variants.map((v) => [v.id, v.inventory_quantity]).sort()).toEqual([['SENT-INACTIVE', 0], ['SENT-INACTIVE-S', 0]]);
  });
});

/**
 * An order refused because of a product (a line naming a variant the product is sent without, or a product nothing of
 * which can be sent) is sent once the product can send what it names, as a fresh full sync of the shop then would.
 */
describe('orders refused because of a product, once the product can send what they name', () => {
  let h: SyncHarness;
  const gate = interleaver();
  beforeAll(async () => {
    h = await startSyncHarness({ hooks: gate.hooks });
    await resync(h);
  });
  afterAll(() => h?.stop());

  const variantId = async (sku: string) => ((await h.t.db('product_variants').where({ sku }).first('id')) as { id: number }).id;
  const orderIn = (number: string) => remote(h, storePath(h, `/orders/${number}`));

  it('an order naming a variant priced in another currency is sent once the variant is priced in the store currency', async () => {
    const p = await shop.product(h.t.db, { code: 'WAIT-EUR' }, [{ sku: 'WAIT-EUR-USD' }, { sku: 'WAIT-EUR-EUR', currency: 'EUR' }]);
    const o = await shop.order(h.t.db, { guest_email: 'wait-eur@example.org', status: 'paid' }, [
      { product_id: p.id, variant_id: await variantId('WAIT-EUR-USD') }, { product_id: p.id, variant_id: await variantId('WAIT-EUR-EUR') },
    ]);
    expect(await syncNow(h, 'product', p.id)).toMatchObject({ status: 'synced' });
    await expect(syncNow(h, 'order', o.id)).rejects.toThrow(/Workflow execution failed/);
    await h.t.db('product_variants').where({ sku: 'WAIT-EUR-EUR' }).update({ currency: 'USD' });
    expect(await syncNow(h, 'product', p.id)).toMatchObject({ status: 'synced' });
    expect(await orderIn(o.number)).toMatchObject({ id: o.number });
  });

  /** A product with two variants, sent; then `order()` writes a guest order naming the second (not synced). */
  const sentProduct = async (code: string) => {
    const p = await shop.product(h.t.db, { code, title: 'Hat' }, [{ sku: `${code}-A` }, { sku: `${code}-B` }]);
    expect(await syncNow(h, 'product', p.id)).toMatchObject({ status: 'synced' });
    const order = async () => shop.order(h.t.db, { guest_email: `${code.toLowerCase()}@example.org`, status: 'paid' }, [{ product_id: p.id, variant_id: await variantId(`${code}-B`) }]);
    return { p, order };
  };

  // The order reads the product without its lock: a new order found the product refused whole (its title emptied)
  // while the product was recorded synced with nothing refused, and the title came back before the product's own sync
  // ran, which then had nothing to write. A fresh sync sends the order; it stayed out of Mailchimp, recorded failed.
  // (An order sent before that leaves Mailchimp has its products synced on its way out, which records this one failed.)
  it('an order that read its product refused whole is sent once the product is as it was', async () => {
    const { p, order } = await sentProduct('RACE-WHOLE');
    await h.t.db('products').where({ id: p.id }).update({ title: '' });
    const o = await order();
    await expect(syncNow(h, 'order', o.id)).rejects.toThrow(/Workflow execution failed/);
    await h.t.db('products').where({ id: p.id }).update({ title: 'Hat' });
    await syncNow(h, 'product', p.id);
    expect(await orderIn(o.number)).toMatchObject({ id: o.number, lines: [expect.objectContaining({ product_variant_id: 'RACE-WHOLE-B' })] });
  });

  // The same with a variant: the order read the variant it names priced in another currency while the product was
  // recorded synced with it, and the price came back to the store's currency before the product's own sync ran.
  it('an order that read its variant refused is sent once the variant is as it was', async () => {
    const { p, order } = await sentProduct('RACE-VARIANT');
    await h.t.db('product_variants').where({ sku: 'RACE-VARIANT-B' }).update({ currency: 'EUR' });
    const o = await order();
    await expect(syncNow(h, 'order', o.id)).rejects.toThrow(/Workflow execution failed/);
    await h.t.db('product_variants').where({ sku: 'RACE-VARIANT-B' }).update({ currency: 'USD' });
    await syncNow(h, 'product', p.id);
    expect(await orderIn(o.number)).toMatchObject({ id: o.number, lines: [expect.objectContaining({ product_variant_id: 'RACE-VARIANT-B' })] });
  });

  // The narrowest window: the title comes back between the order's read and the product's sync the order starts. The
  // order is read again and stays in Mailchimp, unchanged.
  it('an order whose read found its product refused whole just before it was fixed stays sent', async () => {
    const { p, order } = await sentProduct('RACE-READ');
    const o = await order();
    expect(await syncNow(h, 'order', o.id)).toMatchObject({ status: 'synced' });
    await h.t.db('products').where({ id: p.id }).update({ title: '' });
    const pause = gate.pauseAfterRead('order', o.id);
    const run = syncNow(h, 'order', o.id);
    await pause.reached;
    await h.t.db('products').where({ id: p.id }).update({ title: 'Hat' });
    pause.release();
    expect(await run).toMatchObject({ status: 'unchanged' });
    expect(await orderIn(o.number)).toMatchObject({ id: o.number });
  });
});
