import { customerIdForEmail } from '../../../mapping/ids';
import { HELD_BEFORE_FIRST_SYNC } from '../../../activities/entities/cart';
import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { resync, storePath, syncNow, syncState } from '../../support/sync-steps';

/**
 * Carts on the real stack (Temporal, MariaDB, the emulator): sent with lines and checkout URL, changed in place, deleted
 * when converted, emptied or aged out, held before the first full sync, a stale campaign dropped, guests, batch mode.
 */

interface RemoteCart {
  id: string;
  customer: { id: string; email_address?: string; opt_in_status?: boolean };
  checkout_url: string;
  campaign_id: string;
  order_total: number;
  lines: Array<{ id: string; product_id: string; product_variant_id: string; quantity: number; price: number }>;
}

interface Logged { method: string; path: string; status: number }

async function requests(h: SyncHarness, prefix = ''): Promise<Logged[]> {
  return ((await h.http.get('/_emulator/requests', { params: { path: prefix } })).data as { requests: Logged[] }).requests;
}

async function product(h: SyncHarness) {
  const p = await shop.product(h.t.db, {}, [{ price: '10.00' }, { price: '12.00' }]);
  const variants = (await h.t.db('product_variants').where({ product_id: p.id }).orderBy('id').select('id')) as Array<{ id: number }>;
  return { ...p, variantIds: variants.map((v) => v.id) };
}

describe('carts (direct path)', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
    await resync(h);
  });
  afterAll(() => h.stop());

  const cartOf = (id: number | string) => remote<RemoteCart>(h, storePath(h, `/carts/${id}`));

  it('sends an abandoned cart with its lines, its checkout URL and its products first', async () => {
    const u = await shop.user(h.t.db);
    const p = await product(h);
    const c = await shop.cart(h.t.db, { user_id: u.id, order_total: '22.00', tax_total: '2.00' }, [
      { product_id: p.id, variant_id: p.variantIds[0], unit_price: '10.00' },
      { product_id: p.id, variant_id: p.variantIds[1], unit_price: '12.00' },
    ]);
    expect(await syncNow(h, 'cart', c.id)).toMatchObject({ status: 'synced' });
    const sent = await cartOf(c.id);
    expect(sent).toMatchObject({
      id: String(c.id), checkout_url: `https://shop.example/cart/${c.id}`, order_total: 22, customer: { id: customerIdForEmail(u.email) },
    });
    expect(sent?.lines.map((l) => [l.id, l.product_id, l.product_variant_id, l.price]).sort()).toEqual([
      [String(c.lineIds[0]), p.code, p.skus[0], 10], [String(c.lineIds[1]), p.code, p.skus[1], 12],
    ].sort());
    expect(await remote(h, storePath(h, `/products/${p.code}`))).not.toBeNull();
  });

  it('changes a cart in place: a PATCH of the cart and its lines, never a DELETE and a new POST', async () => {
    const u = await shop.user(h.t.db);
    const p = await product(h);
    const c = await shop.cart(h.t.db, { user_id: u.id, checkout_url: 'https://shop.example/restore/abc' }, [
      { product_id: p.id, variant_id: p.variantIds[0] }, { product_id: p.id, variant_id: p.variantIds[1] },
    ]);
    await syncNow(h, 'cart', c.id);
    const before = (await requests(h, storePath(h, '/carts'))).length;
    await h.t.db('cart_lines').where({ id: c.lineIds[0] }).update({ quantity: 3 });
    await h.t.db('cart_lines').where({ id: c.lineIds[1] }).delete();
    await h.t.db('cart_lines').insert({ id: 990002, cart_id: c.id, product_id: p.id, variant_id: p.variantIds[1], quantity: 1, unit_price: '12.00' });
    await h.t.db('carts').where({ id: c.id }).update({ order_total: '42.00' });
    expect(await syncNow(h, 'cart', c.id)).toMatchObject({ status: 'synced' });
    const calls = (await requests(h, storePath(h, '/carts'))).slice(before).map((r) => `${r.method} ${r.path.replace(storePath(h, ''), '')}`);
    expect(calls).toEqual([
      `PATCH /carts/${c.id}`, `PATCH /carts/${c.id}/lines/${c.lineIds[0]}`, `POST /carts/${c.id}/lines`, `DELETE /carts/${c.id}/lines/${c.lineIds[1]}`,
    ]);
    expect(calls.filter((x) => x === `DELETE /carts/${c.id}` || x === 'POST /carts')).toEqual([]);
    const sent = await cartOf(c.id);
    expect(sent).toMatchObject({ order_total: 42, checkout_url: 'https://shop.example/restore/abc' });
    expect(sent?.lines.map((l) => [l.id, l.quantity]).sort()).toEqual([[String(c.lineIds[0]), 3], ['990002', 1]].sort());
  });

  it('deletes a converted cart: by its order_id, and by an order of the same buyer placed after the cart changed', async () => {
    const u = await shop.user(h.t.db);
    const p = await product(h);
    const marked = await shop.cart(h.t.db, { user_id: u.id }, [{ product_id: p.id, variant_id: p.variantIds[0] }]);
    const guest = await shop.cart(h.t.db, { guest_email: 'Later.Buyer@Example.com' }, [{ product_id: p.id, variant_id: p.variantIds[0] }]);
    await syncNow(h, 'cart', marked.id);
    await syncNow(h, 'cart', guest.id);
    expect(await cartOf(marked.id)).not.toBeNull();
    expect(await cartOf(guest.id)).not.toBeNull();

    const o = await shop.order(h.t.db, { user_id: u.id }, [{ product_id: p.id, variant_id: p.variantIds[0] }]);
    await h.t.db('carts').where({ id: marked.id }).update({ order_id: o.id });
    expect(await syncNow(h, 'cart', marked.id)).toMatchObject({ status: 'deleted' });
    expect(await cartOf(marked.id)).toBeNull();

    await shop.order(h.t.db, { guest_email: 'later.buyer@example.com', ordered_at: new Date(Date.now() + 1000) }, [{ product_id: p.id, variant_id: p.variantIds[0] }]);
    expect(await syncNow(h, 'cart', guest.id)).toMatchObject({ status: 'deleted' });
    expect(await cartOf(guest.id)).toBeNull();
    // Not sent again by a later sync.
    expect(await syncNow(h, 'cart', guest.id)).toMatchObject({ status: 'skipped' });
    expect(await cartOf(guest.id)).toBeNull();
  });

  it('deletes an emptied cart, and a cart removed from the shop', async () => {
    const u = await shop.user(h.t.db);
    const p = await product(h);
    const emptied = await shop.cart(h.t.db, { user_id: u.id }, [{ product_id: p.id, variant_id: p.variantIds[0] }]);
    const removed = await shop.cart(h.t.db, { user_id: u.id }, [{ product_id: p.id, variant_id: p.variantIds[0] }]);
    await syncNow(h, 'cart', emptied.id);
    await syncNow(h, 'cart', removed.id);
    await h.t.db('cart_lines').where({ cart_id: emptied.id }).delete();
    await h.t.db('carts').where({ id: removed.id }).delete();
    expect(await syncNow(h, 'cart', emptied.id)).toMatchObject({ status: 'deleted' });
    expect(await syncNow(h, 'cart', removed.id)).toMatchObject({ status: 'deleted' });
    expect(await cartOf(emptied.id)).toBeNull();
    expect(await cartOf(removed.id)).toBeNull();
    expect(await syncNow(h, 'cart', emptied.id)).toMatchObject({ status: 'skipped' });
    expect(await cartOf(emptied.id)).toBeNull();
  });

  it('sends a cart with a campaign Mailchimp does not know without it, and one it knows with it', async () => {
    const u = await shop.user(h.t.db);
    const p = await product(h);
    const stale = await shop.cart(h.t.db, { user_id: u.id, campaign_id: 'deleted-campaign' }, [{ product_id: p.id, variant_id: p.variantIds[0] }]);
    expect(await syncNow(h, 'cart', stale.id)).toMatchObject({ status: 'synced' });
    expect(await cartOf(stale.id)).toMatchObject({ campaign_id: '' });
    expect((await syncState(h, 'cart', stale.id))?.error_reason).toContain('without its campaign_id "deleted-campaign"');

    expect((await h.http.post('/_emulator/campaigns', JSON.stringify({ id: 'c-live' }))).status).toBe(200);
    const live = await shop.cart(h.t.db, { user_id: u.id, campaign_id: 'c-live' }, [{ product_id: p.id, variant_id: p.variantIds[0] }]);
    await syncNow(h, 'cart', live.id);
    expect(await cartOf(live.id)).toMatchObject({ campaign_id: 'c-live' });
  });

  it('sends a guest cart with its customer inline and transactional', async () => {
    const p = await product(h);
    const c = await shop.cart(h.t.db, { guest_email: ' Guest.Cart@Example.com ', guest_first_name: 'Gus' }, [{ product_id: p.id, variant_id: p.variantIds[0] }]);
    expect(await syncNow(h, 'cart', c.id)).toMatchObject({ status: 'synced' });
    const id = customerIdForEmail('guest.cart@example.com');
    expect(await cartOf(c.id)).toMatchObject({ customer: { id } });
    expect(await remote(h, storePath(h, `/customers/${id}`))).toMatchObject({ email_address: 'guest.cart@example.com', first_name: 'Gus', opt_in_status: false });
    // Its cart emptied, nothing of the guest is left: a fresh sync would create no such customer.
    await h.t.db('cart_lines').where({ cart_id: c.id }).delete();
    expect(await syncNow(h, 'cart', c.id)).toMatchObject({ status: 'deleted' });
    expect(await remote(h, storePath(h, `/customers/${id}`))).toBeNull();
  });

  it('does not send a cart older than CART_MAX_AGE, and deletes one that aged out', async () => {
    const u = await shop.user(h.t.db);
    const p = await product(h);
    const old = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    const c = await shop.cart(h.t.db, { user_id: u.id, updated_at: old, created_at: old }, [{ product_id: p.id, variant_id: p.variantIds[0] }]);
    expect(await syncNow(h, 'cart', c.id)).toMatchObject({ status: 'skipped' });
    expect(await cartOf(c.id)).toBeNull();

    const aging = await shop.cart(h.t.db, { user_id: u.id }, [{ product_id: p.id, variant_id: p.variantIds[0] }]);
    await syncNow(h, 'cart', aging.id);
    expect(await cartOf(aging.id)).not.toBeNull();
    await h.t.db('carts').where({ id: aging.id }).update({ updated_at: old });
    await h.t.db('cart_lines').where({ cart_id: aging.id }).update({ updated_at: old });
    expect(await syncNow(h, 'cart', aging.id)).toMatchObject({ status: 'deleted' });
    expect(await cartOf(aging.id)).toBeNull();
  });
});

describe('carts and the first full sync', () => {
  it('holds a cart until the first full sync is over, then sends it after is_syncing went false', async () => {
    const h = await startSyncHarness();
    try {
      const u = await shop.user(h.t.db);
      const p = await product(h);
      const c = await shop.cart(h.t.db, { user_id: u.id }, [{ product_id: p.id, variant_id: p.variantIds[0] }]);
      expect(await syncNow(h, 'cart', c.id)).toMatchObject({ status: 'skipped', reason: HELD_BEFORE_FIRST_SYNC });
      await resync(h);
      const log = await requests(h, storePath(h, ''));
      const created = log.findIndex((r) => r.method === 'POST' && r.path === storePath(h, '/carts'));
      const storePatches = log.map((r, i) => (r.method === 'PATCH' && r.path === storePath(h, '') ? i : -1)).filter((i) => i >= 0);
      expect(created).toBeGreaterThan(-1);
      // The last store PATCH (is_syncing false) comes before the cart.
      expect(created).toBeGreaterThan(storePatches[storePatches.length - 1]);
      expect(await remote(h, storePath(h, ''))).toMatchObject({ is_syncing: false });
      expect(await remote(h, storePath(h, `/carts/${c.id}`))).toMatchObject({ id: String(c.id) });
    } finally {
      await h.stop();
    }
  });
});

describe('carts in the batch backfill', () => {
  it('sends the shop\'s carts during a full resync in batch mode', async () => {
    const h = await startSyncHarness({ backfillMode: 'batch' });
    try {
      const u = await shop.user(h.t.db);
      const p = await product(h);
      const a = await shop.cart(h.t.db, { user_id: u.id }, [{ product_id: p.id, variant_id: p.variantIds[0] }]);
      const b = await shop.cart(h.t.db, { guest_email: 'batch.guest@example.com' }, [{ product_id: p.id, variant_id: p.variantIds[1] }]);
      await resync(h);
      expect(await remote(h, storePath(h, `/carts/${a.id}`))).toMatchObject({ id: String(a.id) });
      expect(await remote(h, storePath(h, `/carts/${b.id}`))).toMatchObject({ id: String(b.id) });
    } finally {
      await h.stop();
    }
  });
});
