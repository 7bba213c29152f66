import { customerIdForEmail } from '../../../mapping/ids';
import { differences, freshStores, type FreshStores } from '../../support/fresh-store';
import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { count, resetStats, resync, stats, storePath, syncNow, syncState } from '../../support/sync-steps';

/**
 * Orders after later shop changes equal what a fresh full sync of the shop sends into an empty store: emptied fields
 * are emptied, lines follow the shop's lines, deleted orders leave Mailchimp.
 */

interface RemoteOrder {
  id: string;
  financial_status: string;
  fulfillment_status: string;
  cancelled_at_foreign: string;
  campaign_id: string;
  landing_site: string;
  discount_total: number;
  tax_total: number;
  shipping_total: number;
  promos: Array<{ code: string }>;
  customer: { id: string };
  lines: Array<{ id: string; product_id: string; product_variant_id: string; quantity: number; price: number; discount: number }>;
}

const LINES = '/ecommerce/stores/{store_id}/orders/{order_id}/lines';
const LINE = `${LINES}/{line_id}`;

describe('order lifecycle: clearing, lines, deletes (incremental = fresh full sync)', () => {
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

  const order = (number: string) => remote<RemoteOrder>(h, storePath(h, `/orders/${number}`));
  const setOrder = (id: number, values: Record<string, unknown>) => h.t.db('orders').where({ id }).update(values);

  /** The named resources of the incremental store equal those of a fresh full sync of the shop as it is now. */
  async function expectLikeFresh(...resources: string[]): Promise<void> {
    const freshId = await fresh.sync();
    expect(await differences(h, freshId, resources)).toEqual([]);
  }

  async function twoVariantOrder(email: string, row: Record<string, unknown> = {}) {
    const p = await shop.product(h.t.db, {}, [{ price: '10.00' }, { price: '12.00' }]);
    const variants = (await h.t.db('product_variants').where({ product_id: p.id }).orderBy('id').select('id')) as Array<{ id: number }>;
    const o = await shop.order(h.t.db, { guest_email: email, order_total: '22.00', ...row }, [
      { product_id: p.id, variant_id: variants[0].id, unit_price: '10.00' },
      { product_id: p.id, variant_id: variants[1].id, unit_price: '12.00' },
    ]);
    const lines = (await h.t.db('order_lines').where({ order_id: o.id }).orderBy('id').select('id')) as Array<{ id: number }>;
    return { ...o, product: p, variantIds: variants.map((v) => v.id), lineIds: lines.map((l) => l.id) };
  }

  it('shipped → cancelled empties fulfillment_status', async () => {
    const o = await twoVariantOrder('ship.cancel@example.com', { status: 'shipped' });
    await syncNow(h, 'order', o.id);
    expect(await order(o.number)).toMatchObject({ fulfillment_status: 'shipped' });

    await setOrder(o.id, { status: 'cancelled' });
    await syncNow(h, 'order', o.id);
    expect(await order(o.number)).toMatchObject({ financial_status: 'cancelled', fulfillment_status: '' });
    await expectLikeFresh(`/orders/${o.number}`);
  });

  it('cancelled → paid empties cancelled_at_foreign (the order is replaced, under the same customer)', async () => {
    const o = await twoVariantOrder('cancel.reinstate@example.com', { status: 'cancelled' });
    await syncNow(h, 'order', o.id);
    expect((await order(o.number))?.cancelled_at_foreign).not.toBe('');

    await setOrder(o.id, { status: 'paid' });
    await resetStats(h);
    await syncNow(h, 'order', o.id);
    expect(await order(o.number)).toMatchObject({
      financial_status: 'paid', cancelled_at_foreign: '', customer: { id: customerIdForEmail('cancel.reinstate@example.com') },
    });
    expect(count(await stats(h), 'POST', '/ecommerce/stores/{store_id}/orders')).toBe(0);
    await expectLikeFresh(`/orders/${o.number}`);
  });

  it('campaign_id, landing_site, the promo code and the discount, tax and shipping totals emptied in the shop are emptied', async () => {
    const promo = await shop.promotion(h.t.db, { discount_type: 'fixed', amount: '2.00' }, [{ code: 'CLEARME' }]);
    const o = await twoVariantOrder('clear.fields@example.com', {
      campaign_id: 'cmp-1', landing_site: 'https://shop.example/landing', promo_code: 'CLEARME',
      discount_total: '2.00', tax_total: '1.50', shipping_total: '4.95',
    });
    await syncNow(h, 'promo_rule', promo.id);
    await syncNow(h, 'order', o.id);
    expect(await order(o.number)).toMatchObject({ campaign_id: 'cmp-1', landing_site: 'https://shop.example/landing', promos: [{ code: 'CLEARME' }], tax_total: 1.5 });

    await setOrder(o.id, { campaign_id: null, landing_site: '', promo_code: null, discount_total: '0.00', tax_total: '0.00', shipping_total: '0.00' });
    await syncNow(h, 'order', o.id);
    expect(await order(o.number)).toMatchObject({ campaign_id: '', landing_site: '', promos: [], discount_total: 0, tax_total: 0, shipping_total: 0 });
    await expectLikeFresh(`/orders/${o.number}`);
  });

  it('order lines follow the shop: a discount cleared, a variant changed, a line deleted, a line added', async () => {
    const o = await twoVariantOrder('lines.follow@example.com');
    await h.t.db('order_lines').where({ id: o.lineIds[0] }).update({ discount: '1.00' });
    await syncNow(h, 'order', o.id);
    expect((await order(o.number))?.lines.map((l) => l.discount).sort()).toEqual([0, 1]);

    const book = await shop.product(h.t.db, { code: `BOOK-${o.id}` });
    await h.t.db('order_lines').where({ id: o.lineIds[0] }).update({ discount: '0', variant_id: o.variantIds[1], unit_price: '12.00' });
    await h.t.db('order_lines').where({ id: o.lineIds[1] }).delete();
    await h.t.db('order_lines').insert({ id: o.id * 10, order_id: o.id, product_id: book.id, variant_id: null, quantity: 2, unit_price: '5.00', discount: '0' });
    await resetStats(h);
    await syncNow(h, 'order', o.id);

    const lines = (await order(o.number))!.lines;
    expect(lines.map((l) => [l.id, l.product_id, l.product_variant_id, l.quantity, l.discount]).sort()).toEqual([
      [String(o.id * 10), book.code, book.code, 2, 0],
      [String(o.lineIds[0]), o.product.code, o.product.skus[1], 1, 0],
    ]);
    const s = await stats(h);
    expect([count(s, 'PATCH', LINE), count(s, 'POST', LINES), count(s, 'DELETE', LINE)]).toEqual([1, 1, 1]);
    await expectLikeFresh(`/orders/${o.number}`, `/orders/${o.number}/lines`);
  });

  it('a line whose product code changed is PATCHed in place to the new product and variant ids', async () => {
    const o = await twoVariantOrder('code.change@example.com');
    await syncNow(h, 'order', o.id);
    await h.t.db('products').where({ id: o.product.id }).update({ code: `${o.product.code}-NEW` });
    await h.t.db('product_variants').where({ id: o.variantIds[0] }).update({ sku: `${o.product.skus[0]}-NEW` });
    await resetStats(h);
    await syncNow(h, 'product', o.product.id);
    await syncNow(h, 'order', o.id);

    const lines = (await order(o.number))!.lines;
    expect(lines.map((l) => [l.id, l.product_id, l.product_variant_id]).sort()).toEqual([
      [String(o.lineIds[0]), `${o.product.code}-NEW`, `${o.product.skus[0]}-NEW`],
      [String(o.lineIds[1]), `${o.product.code}-NEW`, o.product.skus[1]],
    ]);
    const s = await stats(h);
    expect([count(s, 'PATCH', LINE), count(s, 'POST', LINES), count(s, 'DELETE', LINE)]).toEqual([2, 0, 0]);
  });

  it('an order hard-deleted from the shop is deleted from Mailchimp, and so is its guest customer nothing else names', async () => {
    const email = 'deleted.order@example.com';
    const o = await twoVariantOrder(email);
    await syncNow(h, 'order', o.id);
    const customerPath = storePath(h, `/customers/${customerIdForEmail(email)}`);
    expect(await remote(h, customerPath)).not.toBeNull();

    await h.t.db('order_lines').where({ order_id: o.id }).delete();
    await h.t.db('orders').where({ id: o.id }).delete();
    await expect(syncNow(h, 'order', o.id)).resolves.toMatchObject({ status: 'deleted' });

    expect(await order(o.number)).toBeNull();
    expect(await remote(h, customerPath)).toBeNull();
    expect(await syncState(h, 'order', o.id)).toMatchObject({ status: 'deleted' });
    expect(await syncState(h, 'customer', customerIdForEmail(email))).toMatchObject({ status: 'deleted' });
    const member = await remote<{ status: string }>(h, `/lists/${h.config.listId}/members/${customerIdForEmail(email)}`);
    expect(member?.status).toBe('transactional');
    await expectLikeFresh(`/orders/${o.number}`, `/customers/${customerIdForEmail(email)}`);
  });

  it('an order sent before that goes back to pending leaves Mailchimp with its guest customer, and comes back once paid', async () => {
    const o = await twoVariantOrder('back.to.pending@example.com');
    await syncNow(h, 'order', o.id);
    await setOrder(o.id, { status: 'pending' });
    await expect(syncNow(h, 'order', o.id)).resolves.toMatchObject({ status: 'skipped' });
    expect(await order(o.number)).toBeNull();
    expect(await remote(h, storePath(h, `/customers/${customerIdForEmail('back.to.pending@example.com')}`))).toBeNull();
    await expectLikeFresh(`/orders/${o.number}`, `/customers/${customerIdForEmail('back.to.pending@example.com')}`);

    await setOrder(o.id, { status: 'paid' });
    await syncNow(h, 'order', o.id);
    expect(await order(o.number)).toMatchObject({ financial_status: 'paid' });
    expect(await remote(h, storePath(h, `/customers/${customerIdForEmail('back.to.pending@example.com')}`))).not.toBeNull();
  });

  it('a deleted order leaves its registered customer, and a guest customer another sent order names', async () => {
    const u = await shop.user(h.t.db, { email: 'stays.registered@example.com' });
    const mine = await twoVariantOrder('ignored@example.com', { user_id: u.id, guest_email: null });
    const guestA = await twoVariantOrder('two.orders@example.com');
    const guestB = await twoVariantOrder('two.orders@example.com');
    for (const o of [mine, guestA, guestB]) await syncNow(h, 'order', o.id);

    for (const o of [mine, guestA]) {
      await h.t.db('order_lines').where({ order_id: o.id }).delete();
      await h.t.db('orders').where({ id: o.id }).delete();
      await syncNow(h, 'order', o.id);
    }
    expect(await remote(h, storePath(h, `/customers/${customerIdForEmail(u.email)}`))).not.toBeNull();
    expect(await remote(h, storePath(h, `/customers/${customerIdForEmail('two.orders@example.com')}`))).not.toBeNull();
    await expectLikeFresh(`/customers/${customerIdForEmail(u.email)}`, `/customers/${customerIdForEmail('two.orders@example.com')}`, `/orders/${guestB.number}`);
  });

  it('a changed order number replaces the old order', async () => {
    const o = await twoVariantOrder('renumbered@example.com');
    await syncNow(h, 'order', o.id);
    await setOrder(o.id, { order_number: `${o.number}-B` });
    await syncNow(h, 'order', o.id);

    expect(await order(o.number)).toBeNull();
    expect(await order(`${o.number}-B`)).toMatchObject({ financial_status: 'paid' });
    await expectLikeFresh(`/orders/${o.number}`, `/orders/${o.number}-B`);
  });
});
