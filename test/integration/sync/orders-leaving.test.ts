import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { resync, storePath, syncNow } from '../../support/sync-steps';

type RemoteProduct = { variants: Array<{ id: string }> } | null;

/**
 * An order sent before that a fresh full sync would no longer send (the mapping now refuses it, or it went back to
 * pending) leaves Mailchimp, and so does what only it kept there: the stand-in of a product the shop no longer has,
 * and (pending) the variant named after the code that only its variant-less line needed.
 */
describe('an order that leaves Mailchimp', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
    await resync(h);
  });
  afterAll(() => h?.stop());

  it('a sent order the mapping now refuses is deleted, with the stand-in only it kept', async () => {
    const gone = await shop.product(h.t.db, {}, [{}]);
    const mixed = await shop.product(h.t.db, {}, [{}, { currency: 'EUR' }]);
    const o = await shop.order(h.t.db, { guest_email: 'leaves@example.com' }, [{ product_id: gone.id }]);
    await h.t.db('products').where({ id: gone.id }).delete();
    expect(await syncNow(h, 'order', o.id)).toMatchObject({ status: 'synced' });
    expect(await remote(h, storePath(h, `/products/deleted-${gone.id}`))).not.toBeNull();

    const eur = (await h.t.db('product_variants').where({ product_id: mixed.id, currency: 'EUR' }).first('id')) as { id: number };
    await h.t.db('order_lines').insert({ id: gone.id + 5000, order_id: o.id, product_id: mixed.id, variant_id: eur.id, quantity: 1, unit_price: '10.00', discount: '0' });
    await expect(syncNow(h, 'order', o.id)).rejects.toThrow(/Workflow execution failed/);
    expect(await remote(h, storePath(h, `/orders/${o.number}`))).toBeNull();
    expect(await remote(h, storePath(h, `/products/deleted-${gone.id}`))).toBeNull();
  });

  it('an order back to pending takes the code variant only its variant-less line needed', async () => {
    const p = await shop.product(h.t.db, {}, [{}]);
    const o = await shop.order(h.t.db, { guest_email: 'pending-again@example.com' }, [{ product_id: p.id }]);
    expect(await syncNow(h, 'order', o.id)).toMatchObject({ status: 'synced' });
    const before = (await remote(h, storePath(h, `/products/${p.code}`))) as RemoteProduct;
    expect(before?.variants.map((v) => v.id).sort()).toEqual([p.code, ...p.skus].sort());

    await h.t.db('orders').where({ id: o.id }).update({ status: 'pending' });
    expect(await syncNow(h, 'order', o.id)).toMatchObject({ status: 'skipped' });
    expect(await remote(h, storePath(h, `/orders/${o.number}`))).toBeNull();
    const after = (await remote(h, storePath(h, `/products/${p.code}`))) as RemoteProduct;
    expect(after?.variants.map((v) => v.id)).toEqual(p.skus);
  });

  it('the order hard-deleted takes the code variant only it needed from its product (property test, seed 9001 path 5)', async () => {
    const p = await shop.product(h.t.db, {}, [{}]);
    const o = await shop.order(h.t.db, { guest_email: 'deleted-order@example.com' }, [{ product_id: p.id }]);
    expect(await syncNow(h, 'order', o.id)).toMatchObject({ status: 'synced' });
    const before = (await remote(h, storePath(h, `/products/${p.code}`))) as RemoteProduct;
    expect(before?.variants.map((v) => v.id).sort()).toEqual([p.code, ...p.skus].sort());

    await h.t.db('order_lines').where({ order_id: o.id }).delete();
    await h.t.db('orders').where({ id: o.id }).delete();
    await syncNow(h, 'order', o.id);
    const after = (await remote(h, storePath(h, `/products/${p.code}`))) as RemoteProduct;
    expect(after?.variants.map((v) => v.id)).toEqual(p.skus);
    // The order's removal synced the product already: its next sync has nothing to do.
    expect(await syncNow(h, 'product', p.id)).toMatchObject({ status: 'unchanged' });
  });
});
