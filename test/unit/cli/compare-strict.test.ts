import { compareCollection, compareEntity, type ExpectedSet } from '../../../client/reconcile/compare';
import { expectedCustomers, expectedOrders, expectedPromoCodes, expectedPromoRules, keptCustomers, type ShopSnapshot } from '../../../client/reconcile/expected';
import { isEmpty } from '../../../client/reconcile/fields';
import type { MemberStatus } from '../../../mapping/consent';
import { customerIdForEmail } from '../../../mapping/ids';
import { mapOrder } from '../../../mapping/order';
import { mapProduct } from '../../../mapping/product';
import { mapPromoRule } from '../../../mapping/promo';
import { orderCtx, payloadOf, productWith, promoCodeRow, promotionRow, settings, variantRow } from '../mapping/fixtures';

type Json = Record<string, unknown>;

/** What Mailchimp answers for a resource the sync wrote: the body, Mailchimp's defaults for the rest, its own fields. */
const server = { created_at: '2026-03-07T10:00:00+00:00', updated_at: '2026-03-08T10:00:00+00:00', _links: [{ rel: 'self' }] };
const variantView = (v: Json): Json => ({ url: '', sku: '', price: 0, inventory_quantity: 0, image_url: '', backorders: '', visibility: '', ...v, ...server });
const productView = (p: Json): Json => ({
  currency_code: 'EUR', handle: '', url: '', description: '', type: '', vendor: '', image_url: '', images: [], published_at_foreign: '',
  ...p, variants: (p.variants as Json[]).map(variantView), ...server,
});
const lineView = (l: Json): Json => ({ discount: 0, ...l, product_title: 'Mug', product_variant_title: 'Blue', image_url: 'https://cdn.example.com/x.jpg', _links: [] });
const orderView = (o: Json): Json => ({
  campaign_id: '', landing_site: '', financial_status: '', fulfillment_status: '', order_url: '', discount_total: 0, tax_total: 0, shipping_total: 0,
  tracking_code: '', processed_at_foreign: '', cancelled_at_foreign: '', updated_at_foreign: '', promos: [],
  ...o, store_id: 'shop1', customer: { ...(o.customer as Json), orders_count: 3, total_spent: 99.5, ...server }, lines: (o.lines as Json[]).map(lineView), ...server,
});

const product = payloadOf(mapProduct(productWith(), settings)) as unknown as Json;
const order = payloadOf(mapOrder(orderCtx(), settings)) as unknown as Json;

describe('isEmpty: what Mailchimp answers for a field nobody set', () => {
  it('absent, null, "", 0, false, [] and objects of such values are empty; anything else is not', () => {
    for (const v of [undefined, null, '', 0, false, [], {}, { address1: '', city: '', country_code: '' }]) expect(isEmpty(v)).toBe(true);
    for (const v of ['x', 1, true, [''], { city: 'Lyon' }]) expect(isEmpty(v)).toBe(false);
  });
});

describe('strict comparison: a field the expected state leaves empty must be empty in Mailchimp', () => {
  it('a product and an order as the sync wrote them, with Mailchimp\'s defaults and its own fields, match', () => {
    expect(compareEntity('product', product, productView(product))).toEqual([]);
    expect(compareEntity('order', order, orderView(order))).toEqual([]);
  });

  it('finds every cleared product field that Mailchimp kept, and fields the sync never sends', () => {
    const cleared = payloadOf(mapProduct(productWith({ description: null, image_url: null, published_at: null, vendor: '  ' }, [variantRow({ image_url: null })]), settings)) as unknown as Json;
    const stale = productView({
      ...cleared, description: 'Old text', image_url: 'https://cdn.example.com/old.jpg', published_at_foreign: '2026-01-01T00:00:00+00:00', vendor: 'Old vendor',
      images: [{ id: 'i1', url: 'https://cdn.example.com/i1.jpg' }],
    });
    expect(compareEntity('product', cleared, stale).map((d) => [d.field, d.expected, d.actual])).toEqual([
      ['description', null, 'Old text'],
      ['vendor', null, 'Old vendor'],
      ['image_url', null, 'https://cdn.example.com/old.jpg'],
      ['published_at_foreign', null, '2026-01-01T00:00:00+00:00'],
      ['images', null, [{ id: 'i1', url: 'https://cdn.example.com/i1.jpg' }]],
    ]);
  });

  it('finds a stale variant price and a stock count the shop no longer gives', () => {
    const noStock = payloadOf(mapProduct(productWith({}, [variantRow({ inventory_quantity: null })]), settings)) as unknown as Json;
    const [v] = noStock.variants as Json[];
    const stale = productView({ ...noStock, variants: [{ ...v, price: 12.5, inventory_quantity: 7, backorders: 'yes' }] });
    expect(compareEntity('product', noStock, stale).map((d) => [d.field, d.expected, d.actual])).toEqual([
      [`variant ${String(v.id)}.price`, 14.9, 12.5],
      [`variant ${String(v.id)}.inventory_quantity`, null, 7],
      [`variant ${String(v.id)}.backorders`, null, 'yes'],
    ]);
  });

  it('finds fulfillment_status "shipped" kept on a cancelled order, and a cancellation kept on a reinstated one', () => {
    const cancelled = payloadOf(mapOrder(orderCtx({ status: 'cancelled' }), settings)) as unknown as Json;
    const kept = orderView({ ...cancelled, fulfillment_status: 'shipped' });
    expect(compareEntity('order', cancelled, kept)).toEqual([{ field: 'fulfillment_status', expected: null, actual: 'shipped' }]);
    const reinstated = orderView({ ...order, cancelled_at_foreign: '2026-03-06T07:00:00+00:00', campaign_id: 'old-campaign', tracking_code: 'prec' });
    expect(compareEntity('order', order, reinstated).map((d) => d.field)).toEqual(['cancelled_at_foreign', 'campaign_id', 'tracking_code']);
  });

  it('finds an extra order line (to delete) and a changed one', () => {
    const lines = (order.lines as Json[]);
    const extra = orderView({ ...order, lines: [{ ...lines[0], price: 9.99 }, { id: 'l-old', product_id: 'P', product_variant_id: 'P', quantity: 1, price: 5 }] });
    expect(compareEntity('order', order, extra)).toEqual([
      { field: `line ${String(lines[0].id)}.price`, expected: lines[0].price, actual: 9.99 },
      { field: 'line l-old', expected: 'absent', actual: 'present', part: { kind: 'line', id: 'l-old' } },
    ]);
  });

  it('finds an end date the shop removed from a promotion', () => {
    const open = payloadOf(mapPromoRule(promotionRow({ ends_at: null }))) as unknown as Json;
    const kept = { title: '', starts_at: '', enabled: true, created_at_foreign: '', updated_at_foreign: '', ...open, ends_at: '2026-06-21T00:00:00+00:00', ...server };
    expect(compareEntity('promo_rule', open, kept)).toEqual([{ field: 'ends_at', expected: null, actual: '2026-06-21T00:00:00+00:00' }]);
  });

  it('finds a customer field the shop does not give (a guest\'s last name, a company, an address)', () => {
    const guest = { id: 'h1', email_address: 'ana@example.es', first_name: 'Ana' };
    const view = { company: '', first_name: '', last_name: '', address: { address1: '', city: '' }, opt_in_status: false, orders_count: 2, total_spent: 10, ...server };
    expect(compareEntity('customer', guest, { ...view, ...guest })).toEqual([]);
    expect(compareEntity('customer', guest, { ...view, ...guest, last_name: 'López', company: 'ACME', address: { address1: '1 Rue', city: '' } }).map((d) => d.field))
      .toEqual(['last_name', 'company', 'address']);
  });

  it('ignores only Mailchimp\'s own fields: timestamps, links, sums, the store\'s currency, line titles, store flags', () => {
    expect(compareEntity('store', { id: 's', list_id: 'l', name: 'Shop', platform: 'P', currency_code: 'EUR' }, {
      id: 's', list_id: 'l', name: 'Shop', platform: 'P', currency_code: 'EUR', domain: '', is_syncing: true, list_is_active: true,
      automations: { abandoned_cart: { is_supported: true } }, connected_site: { site_foreign_id: 'x' }, ...server,
    })).toEqual([]);
    const customer = { id: 'h', email_address: 'a@b.co', opt_in_status: true };
    expect(compareEntity('customer', customer, { ...customer, orders_count: 4, total_spent: 120, ...server })).toEqual([]);
    // An order keeps the customer it was sent with: another customer id there is not drift.
    expect(compareEntity('order', order, orderView({ ...order, customer: { id: 'another' } }))).toEqual([]);
    expect(compareEntity('order', order, { ...orderView(order), outreach: { id: 'c1', name: 'Spring', type: 'regular' } })).toEqual([]);
    // Anything else Mailchimp holds is compared.
    expect(compareEntity('order', order, { ...orderView(order), shipping_address: { city: 'Paris' } }).map((d) => d.field)).toEqual(['shipping_address']);
  });
});

describe('opt_in_status: what the consent policy decides from the audience as it is now', () => {
  const record = (email: string, shopOptIn: boolean) => ({ emailHash: customerIdForEmail(email), email, firstName: 'A', lastName: 'B', isGuest: false, shopOptIn });
  const snapshot = (statuses: Array<[string, MemberStatus]>, doubleOptIn = false, alwaysOptIn = true): ShopSnapshot => ({
    settings: { ...settings, alwaysOptIn }, storeId: 's', listId: 'l', redemptionUrlTemplate: '', products: [], referencedProductIds: new Set(),
    orderedWithoutVariant: new Set(), orderedSkus: new Map(), orders: [], promotions: [], promoCodes: [],
    customers: [record('sub@example.com', true), record('tx@example.com', true), record('new@example.com', true), record('no@example.com', false)],
    audience: { statuses: new Map(statuses.map(([email, status]) => [customerIdForEmail(email), status])), doubleOptIn },
  });
  const optIns = (s: ShopSnapshot) => expectedCustomers(s).present.map((c) => [c.payload.email_address, c.payload.opt_in_status]);

  it('true for a subscribed member or a new consenting contact of an "always opt-in" shop without double opt-in; false otherwise', () => {
    const members: Array<[string, MemberStatus]> = [['sub@example.com', 'subscribed'], ['tx@example.com', 'transactional']];
    expect(optIns(snapshot(members))).toEqual([['sub@example.com', true], ['tx@example.com', false], ['new@example.com', true], ['no@example.com', false]]);
    expect(optIns(snapshot(members, true))).toEqual([['sub@example.com', true], ['tx@example.com', false], ['new@example.com', false], ['no@example.com', false]]);
    expect(optIns(snapshot(members, false, false))).toEqual([['sub@example.com', true], ['tx@example.com', false], ['new@example.com', false], ['no@example.com', false]]);
  });

  it('a subscribed member whose customer still says false (a confirmed double opt-in) is drift', () => {
    const expected = expectedCustomers(snapshot([['sub@example.com', 'subscribed']]));
    const sub = expected.present[0];
    const { drifts } = compareCollection({ ...expected, present: [sub] }, [{ ...sub.payload, opt_in_status: false }]);
    expect(drifts).toEqual([{ type: 'customer', kind: 'field', id: sub.id, entityId: sub.entityId, field: 'opt_in_status', expected: true, actual: false }]);
  });
});

describe('extras at collection level', () => {
  const base: ShopSnapshot = {
    settings, storeId: 's', listId: 'l', redemptionUrlTemplate: 'https://{domain}/p?c={code}', products: [], referencedProductIds: new Set(),
    orderedWithoutVariant: new Set(), orderedSkus: new Map(), orders: [], customers: [], promotions: [], promoCodes: [],
  };

  it('an extra promo code of a rule the shop has is drift', () => {
    const snapshot = { ...base, promotions: [promotionRow({ id: '33' })], promoCodes: [promoCodeRow({ id: '77' })] };
    const expected = expectedPromoCodes(snapshot);
    const code = { ...expected.present[0].payload, id: '33/77', created_at_foreign: '', updated_at_foreign: '', ...server };
    const { drifts } = compareCollection(expected, [code, { ...code, id: '33/78', code: 'OLD10' }]);
    expect(drifts).toEqual([{ type: 'promo_code', kind: 'extra', id: '33/78', note: 'not in the shop' }]);
    expect(compareCollection(expectedPromoRules(snapshot), [{ id: '34', title: 'Gone' }]).drifts).toEqual([
      { type: 'promo_rule', kind: 'missing', id: '33', entityId: '33' },
      { type: 'promo_rule', kind: 'extra', id: '34', note: 'not in the shop' },
    ]);
  });

  it('an extra customer is drift unless an order Mailchimp holds, and the shop still sends, names it', () => {
    const paid = orderCtx({ id: '1', order_number: 'A-1' });
    const orders = expectedOrders({ ...base, orders: [paid] });
    const remoteOrders = [{ id: 'A-1', customer: { id: 'old-hash' } }, { id: 'X-9', customer: { id: 'orphan-of-extra-order' } }];
    const kept = keptCustomers(orders, remoteOrders);
    expect(kept).toEqual(new Map([['old-hash', 'kept by order A-1']]));
    const customers: ExpectedSet = { ...expectedCustomers(base), kept };
    const { drifts } = compareCollection(customers, [{ id: 'old-hash', email_address: 'old@example.com' }, { id: 'stray', email_address: 'x@example.com' }, { id: 'orphan-of-extra-order' }]);
    expect(drifts).toEqual([
      { type: 'customer', kind: 'extra', id: 'stray', note: 'not in the shop' },
      { type: 'customer', kind: 'extra', id: 'orphan-of-extra-order', note: 'not in the shop' },
    ]);
  });

  it('an extra variant is drift with its part named, so --fix can delete it; a missing order is drift', () => {
    const expected: ExpectedSet = { type: 'product', present: [{ id: 'P', entityId: '5', payload: { id: 'P', title: 'T', variants: [{ id: 'A', title: 'A' }] } }], absent: new Map(), unsendable: [] };
    const { drifts, summary } = compareCollection(expected, [{ id: 'P', title: 'T', variants: [{ id: 'A', title: 'A' }, { id: 'B', title: 'B' }] }]);
    expect(drifts).toEqual([{ type: 'product', kind: 'extra', id: 'P', entityId: '5', part: { kind: 'variant', id: 'B' }, field: 'variant B', expected: 'absent', actual: 'present' }]);
    expect(summary).toMatchObject({ differing: 1, extra: 0 });
    const missing = compareCollection(expectedOrders({ ...base, orders: [orderCtx({ id: '2', order_number: 'A-2' })] }), []);
    expect(missing.drifts).toEqual([{ type: 'order', kind: 'missing', id: 'A-2', entityId: '2' }]);
  });
});
