import type { Drift } from '../../../client/reconcile/compare';
import { customerIdForEmail } from '../../../mapping/ids';
import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { cli } from './support';

/**
 * After a clean full sync, the merchant changes the shop while no sync runs (no schedule in this harness): a
 * variant's price written in product_variants alone, hard deletes from every contract table, a shipped order
 * cancelled, the store renamed. `mcsync reconcile` reports exactly what Mailchimp now lacks or holds too much of,
 * `--fix` repairs it, and a second reconcile finds nothing.
 */
describe('reconcile follows shop changes the sync has not seen yet, and --fix repairs them', () => {
  let h: SyncHarness;
  const store = () => `/ecommerce/stores/${h.config.storeId}`;
  const stamp = Date.now();
  let cup: { id: number; code: string; skus: string[] };
  let plate: { id: number; code: string };
  let kept: { id: number; number: string };
  let shipped: { id: number; number: string };
  let gone: { id: number; number: string };
  let promo: { id: number; codeIds: number[] };
  let retired: { id: number; codeIds: number[] };
  let bob: { id: number; email: string };
  const guest = `guest${stamp}@example.org`;

  beforeAll(async () => {
    h = await startSyncHarness();
    const { db } = h.t;
    cup = await shop.product(db, { title: 'Cup', code: `CUP-${stamp}` }, [{ sku: `CUP-1-${stamp}`, price: '10.00' }, { sku: `CUP-2-${stamp}`, price: '11.00' }]);
    plate = await shop.product(db, { title: 'Plate', code: `PLATE-${stamp}` }, [{ sku: `PLATE-${stamp}` }]);
    const ada = await shop.user(db, { email: `ada${stamp}@example.com` });
    bob = await shop.user(db, { email: `bob${stamp}@example.com` });
    const [cup1] = (await db('product_variants').where({ product_id: cup.id }).orderBy('id').select('id')) as Array<{ id: number }>;
    kept = await shop.order(db, { user_id: ada.id }, [{ product_id: cup.id, variant_id: cup1.id }, { product_id: cup.id, variant_id: cup1.id, quantity: 2 }]);
    shipped = await shop.order(db, { user_id: ada.id, status: 'shipped' }, [{ product_id: cup.id, variant_id: cup1.id }]);
    gone = await shop.order(db, { guest_email: guest }, [{ product_id: cup.id, variant_id: cup1.id }]);
    promo = await shop.promotion(db, {}, [{ code: `A${stamp}` }, { code: `B${stamp}` }]);
    retired = await shop.promotion(db, {}, [{ code: `C${stamp}` }]);
    const resync = await cli(h, ['resync', '--page-size', '50'], { pollMs: 500 });
    expect(resync.err).toContain('Full resync done');
  });
  afterAll(() => h.stop());

  it('reports each change the sync missed, --fix repairs each, a second reconcile finds nothing', async () => {
    const clean = await cli(h, ['reconcile', '--json']);
    expect(clean.json<{ drifts: Drift[] }>().drifts).toEqual([]);
    expect(clean.code).toBe(0);

    const { db } = h.t;
    const [cup1, cup2] = cup.skus;
    const cancelledAt = '2026-04-01T08:00:00.000Z';
    await db('product_variants').where({ sku: cup1 }).update({ price: '12.50' });
    await db('product_variants').where({ sku: cup2 }).delete();
    await db('products').where({ id: plate.id }).delete();
    await db('product_variants').where({ product_id: plate.id }).delete();
    await db('users').where({ id: bob.id }).delete();
    await db('orders').where({ id: shipped.id }).update({ status: 'cancelled', updated_at: new Date(cancelledAt) });
    const [, secondLine] = (await db('order_lines').where({ order_id: kept.id }).orderBy('id').select('id')) as Array<{ id: number }>;
    await db('order_lines').where({ id: secondLine.id }).delete();
    await db('orders').where({ id: gone.id }).delete();
    await db('order_lines').where({ order_id: gone.id }).delete();
    await db('promo_codes').where({ id: promo.codeIds[1] }).delete();
    await db('promotions').where({ id: retired.id }).delete();
    await db('promo_codes').where({ promotion_id: retired.id }).delete();
    await db('shop_settings').where({ name: 'store_name' }).update({ value: 'Renamed shop' });

    const drift = await cli(h, ['reconcile', '--json']);
    expect(drift.code).toBe(1);
    const expected = [
      { type: 'store', kind: 'field', id: h.config.storeId, field: 'name', expected: 'Renamed shop', actual: 'Test Shop ✨' },
      { type: 'product', kind: 'field', id: cup.code, field: `variant ${cup1}.price`, expected: 12.5, actual: 10 },
      { type: 'product', kind: 'extra', id: cup.code, part: { kind: 'variant', id: cup2 } },
      { type: 'product', kind: 'extra', id: plate.code },
      { type: 'customer', kind: 'extra', id: customerIdForEmail(bob.email) },
      { type: 'customer', kind: 'extra', id: customerIdForEmail(guest) },
      { type: 'order', kind: 'field', id: shipped.number, field: 'financial_status', expected: 'cancelled', actual: 'paid' },
      { type: 'order', kind: 'field', id: shipped.number, field: 'fulfillment_status', expected: null, actual: 'shipped' },
      { type: 'order', kind: 'field', id: shipped.number, field: 'cancelled_at_foreign', expected: cancelledAt },
      { type: 'order', kind: 'field', id: shipped.number, field: 'updated_at_foreign', expected: cancelledAt },
      { type: 'order', kind: 'extra', id: kept.number, part: { kind: 'line', id: String(secondLine.id) } },
      { type: 'order', kind: 'extra', id: gone.number },
      { type: 'promo_code', kind: 'extra', id: `${promo.id}/${promo.codeIds[1]}` },
      { type: 'promo_rule', kind: 'extra', id: String(retired.id) },
      { type: 'promo_code', kind: 'extra', id: `${retired.id}/${retired.codeIds[0]}` },
    ];
    const { drifts } = drift.json<{ drifts: Drift[] }>();
    expect(drifts).toEqual(expect.arrayContaining(expected.map((e) => expect.objectContaining(e))));
    expect(drifts).toHaveLength(expected.length);

    const fix = await cli(h, ['reconcile', '--fix']);
    expect(fix.out).toMatch(/After the fix:[\s\S]*No drift/);
    expect(fix.code).toBe(0);
    expect(fix.out).toContain('Deleted 9 extra item(s) from Mailchimp');

    const product = await remote<{ variants: Array<{ id: string; price: number }> }>(h, `${store()}/products/${cup.code}`);
    expect(product?.variants.map((v) => [v.id, v.price])).toEqual([[cup1, 12.5]]);
    expect(await remote(h, `${store()}/products/${plate.code}`)).toBeNull();
    expect(await remote(h, `${store()}/customers/${customerIdForEmail(bob.email)}`)).toBeNull();
    expect(await remote(h, `${store()}/orders/${shipped.number}`)).toMatchObject({ financial_status: 'cancelled', fulfillment_status: '' });
    expect((await remote<{ lines: Array<{ id: string }> }>(h, `${store()}/orders/${kept.number}`))?.lines).toHaveLength(1);
    expect(await remote(h, `${store()}/orders/${gone.number}`)).toBeNull();
    expect(await remote(h, `${store()}/promo-rules/${retired.id}`)).toBeNull();
    expect((await remote<{ name: string }>(h, store()))?.name).toBe('Renamed shop');

    const after = await cli(h, ['reconcile', '--json']);
    expect(after.json<{ drifts: Drift[] }>().drifts).toEqual([]);
    expect(after.code).toBe(0);
  });
});
