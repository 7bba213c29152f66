import { compareCollection, compareEntity, sameValue, type ExpectedSet } from '../../../client/reconcile/compare';
import { buyerIds, expectedOrders, expectedProducts, expectedPromoCodes, type ShopSnapshot } from '../../../client/reconcile/expected';
import { planFix } from '../../../client/reconcile/fix';
import { orderCtx, productWith, promoCodeRow, promotionRow, settings, variantRow } from '../mapping/fixtures';

function set(type: ExpectedSet['type'], present: Array<[string, Record<string, unknown>]>, absent: Array<[string, string]> = []): ExpectedSet {
  return { type, present: present.map(([id, payload], i) => ({ id, entityId: `e${i}`, payload: { id, ...payload } })), absent: new Map(absent), unsendable: [] };
}

describe('sameValue', () => {
  it('compares money within 0.005 and no further', () => {
    expect(sameValue('money', 19.9, 19.904)).toBe(true);
    expect(sameValue('money', 19.9, 19.905)).toBe(true);
    expect(sameValue('money', 19.9, 19.91)).toBe(false);
    expect(sameValue('money', 19.9, '19.90')).toBe(true);
    expect(sameValue('money', 0, undefined)).toBe(false);
  });
  it('compares fractions tightly, dates as instants, e-mails without case, booleans strictly', () => {
    expect(sameValue('fraction', 0.15, 0.154)).toBe(false);
    expect(sameValue('fraction', 0.15, 0.15 + 1e-9)).toBe(true);
    expect(sameValue('date', '2026-03-01T10:00:00.000Z', '2026-03-01T10:00:00+00:00')).toBe(true);
    expect(sameValue('date', '2026-03-01T10:00:00.000Z', '2026-03-01T10:00:01+00:00')).toBe(false);
    expect(sameValue('date', '2026-03-01T10:00:00.000Z', '')).toBe(false);
    expect(sameValue('email', 'ada@example.com', 'Ada@Example.com')).toBe(true);
    expect(sameValue('bool', false, 'false')).toBe(false);
    expect(sameValue('bool', true, true)).toBe(true);
    expect(sameValue('number', 3, 3)).toBe(true);
    expect(sameValue('number', 3, 4)).toBe(false);
    expect(sameValue('text', 'a', 'A')).toBe(false);
  });
});

describe('compareEntity', () => {
  it('compares every field (one the shop leaves out must be empty), and variants by id (missing, extra, differing)', () => {
    const expected = { id: 'P1', title: 'Mug', variants: [{ id: 'A', title: 'Blue', price: 10 }, { id: 'B', title: 'Red', price: 12 }] };
    const actual = { id: 'P1', title: 'Mug', description: 'left over', variants: [{ id: 'A', title: 'Blue', price: 11 }, { id: 'C', title: 'Old' }] };
    expect(compareEntity('product', expected, actual)).toEqual([
      { field: 'description', expected: null, actual: 'left over' },
      { field: 'variant A.price', expected: 10, actual: 11 },
      { field: 'variant B', expected: 'present', actual: 'missing' },
      { field: 'variant C', expected: 'absent', actual: 'present', part: { kind: 'variant', id: 'C' } },
    ]);
  });

  it('compares an order\'s totals, statuses, lines and promos, not its customer (it keeps the one it was sent with); no promos means none', () => {
    const expected = {
      id: 'O1', customer: { id: 'h1' }, order_total: 20, financial_status: 'paid',
      lines: [{ id: 'l1', product_id: 'P1', product_variant_id: 'A', quantity: 2, price: 10, discount: 0 }],
    };
    const same = { ...expected, order_total: 20.001, lines: [{ ...expected.lines[0] }], promos: [] };
    expect(compareEntity('order', expected, same)).toEqual([]);
    const drifted = {
      ...expected, customer: { id: 'h2' }, financial_status: 'refunded', order_total: 21,
      lines: [{ ...expected.lines[0], quantity: 3 }], promos: [{ code: 'X', amount_discounted: 1, type: 'fixed' }],
    };
    expect(compareEntity('order', expected, drifted)).toEqual([
      { field: 'order_total', expected: 20, actual: 21 },
      { field: 'financial_status', expected: 'paid', actual: 'refunded' },
      { field: 'line l1.quantity', expected: 2, actual: 3 },
      { field: 'promo X', expected: 'absent', actual: 'present' },
    ]);
  });

  it('compares a percentage rule\'s amount as a fraction and a fixed one as money', () => {
    expect(compareEntity('promo_rule', { type: 'percentage', amount: 0.15 }, { type: 'percentage', amount: 0.153 })).toEqual([
      { field: 'amount', expected: 0.15, actual: 0.153 },
    ]);
    expect(compareEntity('promo_rule', { type: 'fixed', amount: 5 }, { type: 'fixed', amount: 5.003 })).toEqual([]);
  });
});

describe('compareCollection', () => {
  it('reports missing, extra (with the shop id when the shop knows it), field drift and counts', () => {
    const expected = set('product', [['P1', { title: 'One' }], ['P2', { title: 'Two' }]], [['P9', '909']]);
    const { drifts, summary } = compareCollection(expected, [{ id: 'P1', title: 'Uno' }, { id: 'P9', title: 'Gone' }, { id: 'P7', title: '?' }]);
    expect(drifts).toEqual([
      { type: 'product', kind: 'field', id: 'P1', entityId: 'e0', field: 'title', expected: 'One', actual: 'Uno' },
      { type: 'product', kind: 'missing', id: 'P2', entityId: 'e1' },
      { type: 'product', kind: 'extra', id: 'P9', entityId: '909', note: 'the shop has it but it must not be in Mailchimp' },
      { type: 'product', kind: 'extra', id: 'P7', note: 'not in the shop' },
    ]);
    expect(summary).toEqual({ type: 'product', shop: 2, mailchimp: 3, missing: 1, extra: 2, differing: 1, duplicates: 0, unsendable: 0, failed: 0 });
  });

  it('reports duplicates on either side', () => {
    const expected: ExpectedSet = {
      type: 'order', absent: new Map(), unsendable: [],
      present: [{ id: 'O1', entityId: '1', payload: { id: 'O1' } }, { id: 'O1', entityId: '2', payload: { id: 'O1' } }],
    };
    const { drifts, summary } = compareCollection(expected, [{ id: 'O1' }, { id: 'O1' }]);
    expect(drifts.map((d) => [d.kind, d.note])).toEqual([
      ['duplicate', 'Mailchimp lists O1 2 times'],
      ['duplicate', '2 shop rows (1, 2) map to O1'],
    ]);
    expect(summary.duplicates).toBe(2);
  });

  it('a missing entity the sync recorded as failed is not drift but listed with its reason; a wrong one still is', () => {
    const expected = set('order', [['O1', { order_total: 10 }], ['O2', { order_total: 20 }], ['O3', { order_total: 30 }]]);
    const failures = new Map([['e0', 'Order O1 waits for a product: Product X was not sent'], ['e2', 'Order O3 was refused']]);
    const { drifts, summary, unsent } = compareCollection(expected, [{ id: 'O3', order_total: 31 }], failures);
    expect(drifts).toEqual([
      { type: 'order', kind: 'missing', id: 'O2', entityId: 'e1' },
      { type: 'order', kind: 'field', id: 'O3', entityId: 'e2', field: 'order_total', expected: 30, actual: 31 },
    ]);
    expect(unsent).toEqual([{ type: 'order', cause: 'failed', id: 'O1', entityId: 'e0', reason: 'Order O1 waits for a product: Product X was not sent' }]);
    expect(summary).toMatchObject({ missing: 1, differing: 1, failed: 1 });
  });

  it('lists the rows the mappers refuse with their reasons; one Mailchimp still has is extra, with the reason', () => {
    const expected: ExpectedSet = { ...set('product', [['P1', { title: 'One' }]]), unsendable: [{ id: 'BAD', entityId: '7', reason: 'Product BAD was not sent: negative price' }] };
    const { drifts, summary, unsent } = compareCollection(expected, [{ id: 'P1', title: 'One' }, { id: 'BAD', title: 'Old' }]);
    expect(unsent).toEqual([{ type: 'product', cause: 'refused', id: 'BAD', entityId: '7', reason: 'Product BAD was not sent: negative price' }]);
    expect(drifts).toEqual([
      { type: 'product', kind: 'extra', id: 'BAD', entityId: '7', note: 'the shop has it but it cannot be sent: Product BAD was not sent: negative price' },
    ]);
    expect(summary).toMatchObject({ unsendable: 1, extra: 1, failed: 0 });
  });

  it('finds nothing when Mailchimp matches', () => {
    const { drifts } = compareCollection(set('customer', [['h', { email_address: 'a@b.co', first_name: 'A' }]]), [{ id: 'h', email_address: 'A@b.co', first_name: 'A', last_name: '' }]);
    expect(drifts).toEqual([]);
  });
});

describe('expected state (the sync\'s mappers and decisions)', () => {
  const usd = { ...settings, storeCurrency: 'EUR' };
  const base: ShopSnapshot = {
    settings: usd, storeId: 's', listId: 'l', redemptionUrlTemplate: 'https://{domain}/p?c={code}', products: [], referencedProductIds: new Set(),
    orderedWithoutVariant: new Set(), orderedSkus: new Map(), orders: [], customers: [], promotions: [], promoCodes: [],
  };

  it('deleted products are absent unless an order references them; then a stockless placeholder', () => {
    const gone = productWith({ id: '5', code: 'GONE', status: 'deleted' });
    const kept = productWith({ id: '6', code: 'KEPT', status: 'inactive' }, [variantRow({ product_id: '6', sku: 'K-1' })]);
    const out = expectedProducts({ ...base, products: [gone, kept], referencedProductIds: new Set(['6']) });
    expect(out.absent).toEqual(new Map([['GONE', '5']]));
    expect(out.present.map((p) => p.id)).toEqual(['KEPT']);
    expect((out.present[0].payload.variants as Array<{ id: string; inventory_quantity: number }>)).toEqual([expect.objectContaining({ id: 'K-1', inventory_quantity: 0 })]);
  });

  it('a product ordered without a variant keeps the variant named after its code', () => {
    const p = productWith({ id: '7', code: 'MUG' }, [variantRow({ product_id: '7', sku: 'MUG-B' })]);
    const out = expectedProducts({ ...base, products: [p], orderedWithoutVariant: new Set(['7']) });
    expect((out.present[0].payload.variants as Array<{ id: string }>).map((v) => v.id)).toEqual(['MUG-B', 'MUG']);
  });

  it('a variant the shop no longer sells but a sent order names stays, without stock; an emptied optional field must be empty', () => {
    const p = productWith({ id: '8', code: 'CUP', vendor: null }, [variantRow({ product_id: '8', sku: 'CUP-A' }), variantRow({ id: '2', product_id: '8', sku: 'CUP-OLD', status: 'deleted' })]);
    const out = expectedProducts({ ...base, products: [p], referencedProductIds: new Set(['8']), orderedSkus: new Map([['8', ['CUP-A', 'CUP-OLD']]]) });
    const { payload: expected } = out.present[0];
    expect(expected.vendor).toBeUndefined();
    expect(expected.variants).toEqual([expect.objectContaining({ id: 'CUP-A', inventory_quantity: 42 }), { id: 'CUP-OLD', title: expected.title, inventory_quantity: 0 }]);
    const variants = (expected.variants as Array<Record<string, unknown>>).map((v) => ({ ...v }));
    const mailchimp = { ...expected, variants };
    expect(compareEntity('product', expected, mailchimp)).toEqual([]);
    expect(compareEntity('product', expected, { ...mailchimp, variants: variants.slice(0, 1) })).toEqual([{ field: 'variant CUP-OLD', expected: 'present', actual: 'missing' }]);
    expect(compareEntity('product', expected, { ...mailchimp, variants: [...variants, { id: 'CUP-GONE', title: 'x' }] })).toEqual([
      { field: 'variant CUP-GONE', expected: 'absent', actual: 'present', part: { kind: 'variant', id: 'CUP-GONE' } },
    ]);
    expect(compareEntity('product', expected, { ...mailchimp, vendor: 'Old vendor' })).toEqual([{ field: 'vendor', expected: null, actual: 'Old vendor' }]);
  });

  it('a variant the mapping refuses is left out of its product, listed with its reason, not drift', () => {
    const p = productWith({ id: '9', code: 'POT' }, [variantRow({ product_id: '9', sku: 'POT-EUR' }), variantRow({ id: '3', product_id: '9', sku: 'POT-USD', currency: 'USD' })]);
    const out = expectedProducts({ ...base, products: [p] });
    expect((out.present[0].payload.variants as Array<{ id: string }>).map((v) => v.id)).toEqual(['POT-EUR']);
    const { drifts, unsent } = compareCollection(out, [{ ...out.present[0].payload }]);
    expect(drifts).toEqual([]);
    expect(unsent).toEqual([{ type: 'product', cause: 'left_out', id: 'POT/POT-USD', entityId: '9', reason: expect.stringContaining('USD') }]);
  });

  it('pending orders are absent, sent orders present by order number, their buyers expected as customers', () => {
    const paid = orderCtx({ id: '1', order_number: 'A-1' });
    const pending = orderCtx({ id: '2', order_number: 'A-2', status: 'pending' });
    const out = expectedOrders({ ...base, orders: [paid, pending] });
    expect(out.present.map((o) => [o.id, o.entityId])).toEqual([['A-1', '1']]);
    expect(out.absent).toEqual(new Map([['A-2', '2']]));
    expect(buyerIds({ orders: [paid, pending], settings: usd })).toHaveLength(1);
    // A line of a product whose row is gone points at a `deleted-<id>` placeholder product.
    const products = expectedProducts({ ...base, orders: [orderCtx({}, { lines: [{ ...paid.lines[0], product_id: '404', product_code: 'deleted-404', variant_id: null }] })] });
    expect(products.present).toEqual([expect.objectContaining({ id: 'deleted-404', entityId: '404' })]);
  });

  it('promo codes are keyed rule/code; a code whose promotion is gone is not expected', () => {
    const out = expectedPromoCodes({ ...base, promotions: [promotionRow({ id: '33' })], promoCodes: [promoCodeRow({ id: '77' }), promoCodeRow({ id: '78', promotion_id: '34' })] });
    expect(out.present.map((c) => c.id)).toEqual(['33/77']);
    expect(out.present[0].payload.redemption_url).toBe('https://shop.example.com/p?c=SPRING10');
  });

  it('unsendable rows carry the Mailchimp id, the shop id and the reason; a code of a refused promotion waits for it', () => {
    const orders = expectedOrders({ ...base, orders: [orderCtx({ id: '4', order_number: 'A-4', currency: 'USD' })] });
    expect(orders.present).toEqual([]);
    expect(orders.unsendable).toEqual([{ id: 'A-4', entityId: '4', reason: expect.stringContaining('Order A-4 was not sent') }]);
    const codes = expectedPromoCodes({ ...base, promotions: [promotionRow({ id: '35', amount: '-1' })], promoCodes: [promoCodeRow({ id: '79', promotion_id: '35' })] });
    expect(codes.present).toEqual([]);
    expect(codes.unsendable).toEqual([{ id: '35/79', entityId: '79', reason: expect.stringMatching(/^Promo code 79 waits for its promotion: Promotion 35 was not sent/) }]);
  });
});

describe('planFix', () => {
  it('syncs each drifted or missing entity once, names them through the sync state, deletes extras, patches the store, leaves duplicates', () => {
    const plan = planFix([
      { type: 'product', kind: 'field', id: 'P1', entityId: '1', field: 'title' },
      { type: 'product', kind: 'field', id: 'P1', entityId: '1', field: 'url' },
      { type: 'order', kind: 'missing', id: 'O9' },
      { type: 'order', kind: 'field', id: 'O8', field: 'order_total' },
      { type: 'customer', kind: 'extra', id: 'c0ffee' },
      { type: 'product', kind: 'extra', id: 'P1', entityId: '1', part: { kind: 'variant', id: 'OLD' } },
      { type: 'order', kind: 'extra', id: 'O7', entityId: '7', part: { kind: 'line', id: 'l9' } },
      { type: 'product', kind: 'extra', id: 'P2' },
      { type: 'product', kind: 'extra', id: 'P2', part: { kind: 'variant', id: 'V' } },
      { type: 'promo_code', kind: 'extra', id: '33/78' },
      { type: 'promo_rule', kind: 'extra', id: '34' },
      { type: 'order', kind: 'extra', id: 'O6', entityId: '6' },
      { type: 'order', kind: 'duplicate', id: 'O5', note: 'Mailchimp lists O5 2 times' },
      { type: 'store', kind: 'field', id: 's', field: 'name' },
    ], new Map([['order:O9', '99']]));
    expect(plan.resync).toEqual([{ type: 'product', entityId: '1' }, { type: 'order', entityId: '99' }]);
    // Orders (their lines first), codes, rules, products (variants first), customers; P2's variant goes with P2.
    expect(plan.remove).toEqual([
      { type: 'order', id: 'O7', part: { kind: 'line', id: 'l9' } },
      { type: 'order', id: 'O6' },
      { type: 'promo_code', id: '33/78' },
      { type: 'promo_rule', id: '34' },
      { type: 'product', id: 'P1', part: { kind: 'variant', id: 'OLD' } },
      { type: 'product', id: 'P2' },
      { type: 'customer', id: 'c0ffee' },
    ]);
    expect(plan.patchStore).toBe(true);
    expect(plan.unfixable.map((d) => [d.id, d.kind])).toEqual([['O8', 'field'], ['O5', 'duplicate']]);
  });

  it('a missing store is left to a resync', () => {
    const plan = planFix([{ type: 'store', kind: 'missing', id: 's' }]);
    expect(plan).toEqual({ resync: [], remove: [], patchStore: false, unfixable: [{ type: 'store', kind: 'missing', id: 's' }] });
  });
});
