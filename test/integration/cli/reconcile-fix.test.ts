import type { Drift } from '../../../client/reconcile/compare';
import { customerIdForEmail } from '../../../mapping/ids';
import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { cli } from './support';

/**
 * After a clean full sync, each case the sync's blind spots hid is planted straight into the emulator (or into the
 * shop, with no sync running): `mcsync reconcile` reports each, `--fix` repairs each, and a second reconcile finds
 * nothing.
 */
describe('reconcile finds what the sync left behind, and --fix repairs it', () => {
  let h: SyncHarness;
  const store = () => `/ecommerce/stores/${h.config.storeId}`;
  const stamp = Date.now();
  let mug: { id: number; code: string; skus: string[] };
  let renamed: { id: number; code: string };
  let paid: { id: number; number: string };
  let cancelled: { id: number; number: string };
  let lost: { id: number; number: string };
  let promo: { id: number; codeIds: number[] };
  const newCode = `NEW-${stamp}`;
  const stray = `stray${stamp}@example.com`;

  beforeAll(async () => {
    h = await startSyncHarness();
    const { db } = h.t;
    mug = await shop.product(db, { title: 'Mug', code: `MUG-${stamp}` }, [{ sku: `MUG-A-${stamp}`, price: '10.00' }, { sku: `MUG-B-${stamp}`, price: '12.00' }]);
    renamed = await shop.product(db, { title: 'Lamp', code: `OLD-${stamp}` }, [{ sku: `LAMP-${stamp}` }]);
    const ada = await shop.user(db, { email: `ada${stamp}@example.com` });
    const [variantA] = (await db('product_variants').where({ product_id: mug.id }).orderBy('id').select('id')) as Array<{ id: number }>;
    paid = await shop.order(db, { user_id: ada.id }, [{ product_id: mug.id, variant_id: variantA.id }]);
    cancelled = await shop.order(db, { guest_email: `guest${stamp}@example.org`, status: 'cancelled' }, [{ product_id: mug.id, variant_id: variantA.id }]);
    lost = await shop.order(db, { user_id: ada.id, order_total: '12.00' }, [{ product_id: mug.id, variant_id: variantA.id, unit_price: '12.00' }]);
    promo = await shop.promotion(db, { ends_at: new Date('2026-12-31T00:00:00.000Z'), starts_at: new Date('2026-01-01T00:00:00.000Z') }, [{ code: `TEN${stamp}` }]);
    const resync = await cli(h, ['resync', '--page-size', '50'], { pollMs: 500 });
    expect(resync.err).toContain('Full resync done');
  });
  afterAll(() => h.stop());

  it('finds nothing after a clean full sync, then each planted case; --fix repairs each; a second reconcile finds nothing', async () => {
    const clean = await cli(h, ['reconcile', '--json']);
    expect(clean.json<{ drifts: Drift[] }>().drifts).toEqual([]);
    expect(clean.code).toBe(0);

    const [skuA] = mug.skus;
    const ok = (status: number) => expect([200, 204]).toContain(status);
    const api = (path: string) => `/3.0${store()}${path}`;
    // Mailchimp: a stale variant price, an extra variant, "shipped" kept on a cancelled order, an extra order line,
    // an extra promo code, an extra customer, a missing order, a store name changed by hand, is_syncing left true.
    ok((await h.http.patch(api(`/products/${mug.code}/variants/${skuA}`), { price: 99 })).status);
    ok((await h.http.put(api(`/products/${mug.code}/variants/GHOST-${stamp}`), { id: `GHOST-${stamp}`, title: 'Ghost' })).status);
    ok((await h.http.patch(api(`/orders/${cancelled.number}`), { fulfillment_status: 'shipped' })).status);
    ok((await h.http.post(api(`/orders/${paid.number}/lines`), { id: `ghost-line-${stamp}`, product_id: mug.code, product_variant_id: skuA, quantity: 1, price: 10 })).status);
    ok((await h.http.post(api(`/promo-rules/${promo.id}/promo-codes`), { id: `ghost-code-${stamp}`, code: 'GHOST', redemption_url: 'https://shop.example/cart?promo=GHOST' })).status);
    ok((await h.http.put(api(`/customers/${customerIdForEmail(stray)}`), { id: customerIdForEmail(stray), email_address: stray, opt_in_status: false })).status);
    ok((await h.http.delete(api(`/orders/${lost.number}`))).status);
    ok((await h.http.patch(`/3.0${store()}`, { name: 'Renamed by hand', is_syncing: true })).status);
    // The shop, with no sync running: a promotion's end date removed, a product's code changed.
    await h.t.db('promotions').where({ id: promo.id }).update({ ends_at: null });
    await h.t.db('products').where({ id: renamed.id }).update({ code: newCode });

    const drift = await cli(h, ['reconcile', '--json']);
    expect(drift.code).toBe(1);
    const planted = [
      { type: 'store', kind: 'field', id: h.config.storeId, field: 'name', expected: 'Test Shop ✨', actual: 'Renamed by hand' },
      // Left true with no full resync running: the store's automations stay off.
      { type: 'store', kind: 'field', id: h.config.storeId, field: 'is_syncing', expected: false, actual: true },
      { type: 'product', kind: 'field', id: mug.code, field: `variant ${skuA}.price`, expected: 10, actual: 99 },
      { type: 'product', kind: 'extra', id: mug.code, part: { kind: 'variant', id: `GHOST-${stamp}` } },
      { type: 'order', kind: 'field', id: cancelled.number, field: 'fulfillment_status', expected: null, actual: 'shipped' },
      { type: 'promo_rule', kind: 'field', id: String(promo.id), field: 'ends_at', expected: null },
      { type: 'product', kind: 'missing', id: newCode, entityId: String(renamed.id) },
      { type: 'product', kind: 'extra', id: renamed.code },
      { type: 'order', kind: 'extra', id: paid.number, part: { kind: 'line', id: `ghost-line-${stamp}` } },
      { type: 'promo_code', kind: 'extra', id: `${promo.id}/ghost-code-${stamp}` },
      { type: 'customer', kind: 'extra', id: customerIdForEmail(stray) },
      { type: 'order', kind: 'missing', id: lost.number, entityId: String(lost.id) },
    ];
    const { drifts } = drift.json<{ drifts: Drift[] }>();
    expect(drifts).toEqual(expect.arrayContaining(planted.map((p) => expect.objectContaining(p))));
    expect(drifts).toHaveLength(planted.length);
    const human = await cli(h, ['reconcile', '--type', 'orders']);
    expect(human.out).toMatch(new RegExp(`order +${cancelled.number} \\(#${cancelled.id}\\) +field +fulfillment_status +null +"shipped"`));
    expect(human.out).toMatch(new RegExp(`order +${paid.number} \\(#${paid.id}\\) +extra +line ghost-line-${stamp}`));

    const fix = await cli(h, ['reconcile', '--fix']);
    expect(fix.out).toMatch(/After the fix:[\s\S]*No drift/);
    expect(fix.code).toBe(0);
    expect(fix.out).toContain('Deleted 5 extra item(s) from Mailchimp');

    const product = await remote<{ variants: Array<{ id: string; price: number }> }>(h, `${store()}/products/${mug.code}`);
    expect(product?.variants.map((v) => [v.id, v.price]).sort()).toEqual([[skuA, 10], [mug.skus[1], 12]]);
    expect((await remote<{ fulfillment_status: string; financial_status: string }>(h, `${store()}/orders/${cancelled.number}`))).toMatchObject({ fulfillment_status: '', financial_status: 'cancelled' });
    expect((await remote<{ ends_at: string }>(h, `${store()}/promo-rules/${promo.id}`))?.ends_at ?? '').toBe('');
    expect(await remote(h, `${store()}/products/${renamed.code}`)).toBeNull();
    expect(await remote(h, `${store()}/products/${newCode}`)).not.toBeNull();
    expect((await remote<{ lines: Array<{ id: string }> }>(h, `${store()}/orders/${paid.number}`))?.lines.map((l) => l.id)).not.toContain(`ghost-line-${stamp}`);
    expect(await remote(h, `${store()}/promo-rules/${promo.id}/promo-codes/ghost-code-${stamp}`)).toBeNull();
    expect(await remote(h, `${store()}/customers/${customerIdForEmail(stray)}`)).toBeNull();
    expect(await remote(h, `${store()}/orders/${lost.number}`)).not.toBeNull();
    expect(await remote(h, store())).toMatchObject({ name: 'Test Shop ✨', is_syncing: false });

    const after = await cli(h, ['reconcile', '--json']);
    expect(after.json<{ drifts: Drift[] }>().drifts).toEqual([]);
    expect(after.code).toBe(0);
  });
});
