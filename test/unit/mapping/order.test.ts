import { orderPatchSchema, orderSchema } from '../../../mailchimp/schemas';
import { CLEARED_ORDER_ADDRESS } from '../../../mapping/address';
import { md5 } from '../../../mapping/ids';
import { mapOrder, mapOrderLine, needsOrderPut, orderLineChanges, orderPatchFrom, orderPutFrom } from '../../../mapping/order';
import { expectSchemaAccepts, guestOrderCtx, lineRow, orderCtx, payloadOf, promotionRow, settings } from './fixtures';

describe('mapOrder: fields', () => {
  it('maps every order field of a paid order', () => {
    const o = payloadOf(mapOrder(orderCtx(), settings));
    expect(o).toEqual({
      id: '10023',
      customer: { id: md5('zoe.fake@example.com'), email_address: 'zoe.fake@example.com' },
      currency_code: 'EUR',
      order_total: 31.77,
      discount_total: 2.98,
      tax_total: 4.76,
      shipping_total: 4.95,
      processed_at_foreign: '2026-03-05T22:59:59.999Z',
      updated_at_foreign: '2026-03-06T07:00:00.000Z',
      financial_status: 'paid',
      lines: [{ id: '5001', product_id: 'MUG-ÆØÅ-01', product_variant_id: 'MUG-01-BLUE', quantity: 2, price: 14.9, discount: 1.49 }],
    });
    expectSchemaAccepts(orderSchema, o, 'order');
  });

  it('totals are numbers, not strings', () => {
    const o = payloadOf(mapOrder(orderCtx({ order_total: '1234567.89', tax_total: '0.00' }), settings));
    expect(o.order_total).toBe(1234567.89);
    expect(o.tax_total).toBe(0);
    expect(typeof o.discount_total).toBe('number');
    expect(typeof o.shipping_total).toBe('number');
  });

  it('dates are ISO 8601 in UTC', () => {
    const o = payloadOf(
      mapOrder(orderCtx({ ordered_at: new Date('2026-12-31T23:30:00-05:00'), updated_at: new Date('2027-01-01T06:00:00+01:00') }), settings),
    );
    expect(o.processed_at_foreign).toBe('2027-01-01T04:30:00.000Z');
    expect(o.updated_at_foreign).toBe('2027-01-01T05:00:00.000Z');
  });

  it('sends campaign_id and landing_site when set', () => {
    const o = payloadOf(mapOrder(orderCtx({ campaign_id: '839488a60b', landing_site: 'https://shop.example.com/?utm_source=mc' }), settings));
    expect(o.campaign_id).toBe('839488a60b');
    expect(o.landing_site).toBe('https://shop.example.com/?utm_source=mc');
    expectSchemaAccepts(orderSchema, o, 'order');
  });

  it('leaves campaign_id and landing_site out when empty', () => {
    const o = payloadOf(mapOrder(orderCtx({ campaign_id: ' ', landing_site: null }), settings));
    expect(o).not.toHaveProperty('campaign_id');
    expect(o).not.toHaveProperty('landing_site');
  });

  it('uses the guest’s email for the customer id', () => {
    const o = payloadOf(mapOrder(guestOrderCtx(), settings));
    expect(o.customer).toEqual({ id: md5('ana.lopez+shop@mail.example.es'), email_address: 'ana.lopez+shop@mail.example.es' });
    expectSchemaAccepts(orderSchema, o, 'order');
  });

  it('accepts an order currency that differs only in case from the store’s, and sends the store’s code', () => {
    expect(payloadOf(mapOrder(orderCtx({ currency: 'eur' }), settings)).currency_code).toBe('EUR');
  });
});

describe('mapOrder: status', () => {
  it('pending orders are not sent', () => {
    expect(mapOrder(orderCtx({ status: 'pending' }), settings)).toEqual({
      kind: 'skip',
      reason: 'Order 10023 is pending: pending orders are not sent',
    });
  });

  it.each([
    ['paid', { financial_status: 'paid' }],
    ['shipped', { financial_status: 'paid', fulfillment_status: 'shipped' }],
    ['cancelled', { financial_status: 'cancelled', cancelled_at_foreign: '2026-03-06T07:00:00.000Z' }],
    ['refunded', { financial_status: 'refunded' }],
    ['partially_refunded', { financial_status: 'partially_refunded' }],
  ] as const)('%s → %j', (status, fields) => {
    const o = payloadOf(mapOrder(orderCtx({ status }), settings));
    expect({
      financial_status: o.financial_status,
      ...(o.fulfillment_status !== undefined ? { fulfillment_status: o.fulfillment_status } : {}),
      ...(o.cancelled_at_foreign !== undefined ? { cancelled_at_foreign: o.cancelled_at_foreign } : {}),
    }).toEqual(fields);
    expectSchemaAccepts(orderSchema, o, `${status} order`);
  });

  it('only a cancelled order carries cancelled_at_foreign (sending it cancels the order)', () => {
    for (const status of ['paid', 'shipped', 'refunded', 'partially_refunded'] as const) {
      expect(payloadOf(mapOrder(orderCtx({ status }), settings))).not.toHaveProperty('cancelled_at_foreign');
    }
  });
});

describe('mapOrder: promos', () => {
  it('no promo code → no promos', () => {
    expect(payloadOf(mapOrder(orderCtx(), settings))).not.toHaveProperty('promos');
  });

  it.each(['percentage', 'fixed'] as const)('a code of a %s promotion → promos [{code, amount_discounted = discount_total, type}]', (type) => {
    const o = payloadOf(
      mapOrder(orderCtx({ promo_code: 'SPRING10', discount_total: '2.98' }, { promotion: promotionRow({ discount_type: type }) }), settings),
    );
    expect(o.promos).toEqual([{ code: 'SPRING10', amount_discounted: 2.98, type }]);
    expectSchemaAccepts(orderSchema, o, 'order');
  });

  it('a code whose promotion is unknown is sent as a fixed promo', () => {
    const o = payloadOf(mapOrder(orderCtx({ promo_code: 'OLD-CODE' }), settings));
    expect(o.promos).toEqual([{ code: 'OLD-CODE', amount_discounted: 2.98, type: 'fixed' }]);
  });

  it('an empty promo code is no promo', () => {
    expect(payloadOf(mapOrder(orderCtx({ promo_code: '  ' }), settings))).not.toHaveProperty('promos');
  });

  it('keeps a unicode promo code as is', () => {
    expect(payloadOf(mapOrder(orderCtx({ promo_code: 'SOMMER☀️' }), settings)).promos?.[0].code).toBe('SOMMER☀️');
  });
});

describe('mapOrder: lines', () => {
  it('product_variant_id is the sku', () => {
    expect(mapOrderLine(lineRow())).toMatchObject({ product_id: 'MUG-ÆØÅ-01', product_variant_id: 'MUG-01-BLUE' });
  });

  it('a line without a variant (variant_id NULL) points at the product code', () => {
    expect(mapOrderLine(lineRow({ variant_id: null, variant_sku: null }))).toMatchObject({
      product_id: 'MUG-ÆØÅ-01',
      product_variant_id: 'MUG-ÆØÅ-01',
    });
  });

  it('a line whose variant sku is unknown points at the product code', () => {
    expect(mapOrderLine(lineRow({ variant_id: '999', variant_sku: null }))).toMatchObject({ product_variant_id: 'MUG-ÆØÅ-01' });
  });

  it('a sku left over with variant_id NULL is ignored', () => {
    expect(mapOrderLine(lineRow({ variant_id: null, variant_sku: 'STALE' }))).toMatchObject({ product_variant_id: 'MUG-ÆØÅ-01' });
  });

  it('maps id, quantity, price = unit_price and discount as numbers', () => {
    expect(mapOrderLine(lineRow({ id: '77', quantity: 3, unit_price: '9.99', discount: '0.00' }))).toEqual({
      id: '77',
      product_id: 'MUG-ÆØÅ-01',
      product_variant_id: 'MUG-01-BLUE',
      quantity: 3,
      price: 9.99,
      discount: 0,
    });
  });

  it('an order mixing variant and variant-less lines passes the schema', () => {
    const ctx = orderCtx({}, { lines: [lineRow(), lineRow({ id: '5002', product_code: 'GIFT-CARD', variant_id: null, variant_sku: null, unit_price: '25.00', discount: '0.00', quantity: 1 })] });
    const o = payloadOf(mapOrder(ctx, settings));
    expect(o.lines.map((l) => [l.product_id, l.product_variant_id])).toEqual([
      ['MUG-ÆØÅ-01', 'MUG-01-BLUE'],
      ['GIFT-CARD', 'GIFT-CARD'],
    ]);
    expectSchemaAccepts(orderSchema, o, 'order');
  });
});

describe('mapOrder: not sent', () => {
  it.each([
    [
      'an invalid email',
      guestOrderCtx({ guest_email: 'bob@@x' }),
      'Order 10023 was not sent: the email "bob@@x" is not a valid address (it must contain exactly one "@")',
      'customer.email_address',
    ],
    ['another currency', orderCtx({ currency: 'USD' }), "Order 10023 was not sent: it is in USD but the store's currency is EUR", 'currency_code'],
    ['a negative order total', orderCtx({ order_total: '-5.00' }), 'Order 10023 was not sent: the order total "-5.00" is negative', 'order_total'],
    ['a negative discount total', orderCtx({ discount_total: '-0.01' }), 'Order 10023 was not sent: the discount total "-0.01" is negative', 'discount_total'],
    ['a negative tax total', orderCtx({ tax_total: '-1.00' }), 'Order 10023 was not sent: the tax total "-1.00" is negative', 'tax_total'],
    ['a negative shipping total', orderCtx({ shipping_total: '-4.95' }), 'Order 10023 was not sent: the shipping total "-4.95" is negative', 'shipping_total'],
    ['a total that is not a number', orderCtx({ order_total: 'NaN' }), 'Order 10023 was not sent: the order total "NaN" is not a number', 'order_total'],
    ['a negative line quantity', orderCtx({}, { lines: [lineRow({ quantity: -1 })] }), 'Order 10023 was not sent: the quantity -1 of line 5001 is negative', 'lines'],
    ['a fractional line quantity', orderCtx({}, { lines: [lineRow({ quantity: 1.5 })] }), 'Order 10023 was not sent: the quantity "1.5" of line 5001 is not a whole number', 'lines'],
    ['a negative line price', orderCtx({}, { lines: [lineRow({ unit_price: '-14.90' })] }), 'Order 10023 was not sent: the unit price of line 5001 "-14.90" is negative', 'lines'],
    ['a negative line discount', orderCtx({}, { lines: [lineRow({ discount: '-1.00' })] }), 'Order 10023 was not sent: the discount of line 5001 "-1.00" is negative', 'lines'],
    ['a line without product code', orderCtx({}, { lines: [lineRow({ product_code: '' })] }), 'Order 10023 was not sent: line 5001 has no product code', 'lines'],
    ['no lines', orderCtx({}, { lines: [] }), 'Order 10023 was not sent: it has no lines', 'lines'],
    ['an invalid order date', orderCtx({ ordered_at: new Date('x') }), 'Order 10023 was not sent: its order date is not a valid date', 'processed_at_foreign'],
    [
      'nobody to attach it to',
      orderCtx({ user_id: null }, { user: null }),
      'Order 10023 was not sent: it has neither a registered customer nor a guest email',
      'customer',
    ],
  ])('fails on %s', (_label, ctx, reason, field) => {
    expect(mapOrder(ctx, settings)).toEqual({ kind: 'invalid', reason, field });
  });

  it('a pending order is skipped before anything is checked (even with a bad email)', () => {
    expect(mapOrder(guestOrderCtx({ status: 'pending', guest_email: 'bob@@x' }), settings).kind).toBe('skip');
  });
});

describe('orderPatchFrom', () => {
  it('drops id, customer and lines and keeps everything else', () => {
    const o = payloadOf(mapOrder(orderCtx({ status: 'shipped', promo_code: 'SPRING10', campaign_id: 'c1', landing_site: 'https://x.example/' }, { promotion: promotionRow() }), settings));
    const patch = orderPatchFrom(o);
    expect(patch).not.toHaveProperty('id');
    expect(patch).not.toHaveProperty('customer');
    expect(patch).not.toHaveProperty('lines');
    const { id: _id, customer: _c, lines: _l, ...rest } = o;
    // What the order does not have is sent emptied: a PATCH keeps what it is not sent.
    const cleared = { order_url: '', tracking_number: '', tracking_carrier: '', tracking_url: '', shipping_address: CLEARED_ORDER_ADDRESS, billing_address: CLEARED_ORDER_ADDRESS };
    expect(patch).toEqual({ ...cleared, ...rest });
    expectSchemaAccepts(orderPatchSchema, patch, 'order patch');
  });

  it('sends promos: [] when the order has none, because a PATCH replaces promos entirely', () => {
    const patch = orderPatchFrom(payloadOf(mapOrder(orderCtx(), settings)));
    expect(patch.promos).toEqual([]);
    expectSchemaAccepts(orderPatchSchema, patch, 'order patch');
  });

  it('carries the cancellation of a cancelled order, and no fulfillment_status (shipped → cancelled)', () => {
    const patch = orderPatchFrom(payloadOf(mapOrder(orderCtx({ status: 'cancelled' }), settings)));
    expect(patch).toMatchObject({ financial_status: 'cancelled', cancelled_at_foreign: '2026-03-06T07:00:00.000Z', fulfillment_status: '' });
    expectSchemaAccepts(orderPatchSchema, patch, 'order patch');
  });

  it('never sends cancelled_at_foreign for an order that is not cancelled (any date would cancel it)', () => {
    const patch = orderPatchFrom(payloadOf(mapOrder(orderCtx({ status: 'paid' }), settings)));
    expect(patch).toMatchObject({ financial_status: 'paid', fulfillment_status: '' });
    expect(patch).not.toHaveProperty('cancelled_at_foreign');
    expectSchemaAccepts(orderPatchSchema, patch, 'order patch');
  });

  it.each([
    ['campaign_id', { campaign_id: null }],
    ['campaign_id', { campaign_id: '  ' }],
    ['landing_site', { landing_site: null }],
  ] as const)('sends %s as "" when the shop emptied it', (field, row) => {
    const patch = orderPatchFrom(payloadOf(mapOrder(orderCtx({ campaign_id: 'c1', landing_site: 'https://x.example/', ...row }), settings)));
    expect(patch[field]).toBe('');
  });

  it('sends zero totals as 0, not left out', () => {
    const patch = orderPatchFrom(payloadOf(mapOrder(orderCtx({ discount_total: '0.00', tax_total: '0', shipping_total: '0.00' }), settings)));
    expect(patch).toMatchObject({ discount_total: 0, tax_total: 0, shipping_total: 0 });
  });
});

describe('needsOrderPut / orderPutFrom', () => {
  const paid = payloadOf(mapOrder(orderCtx({ status: 'paid' }), settings));
  const cancelled = payloadOf(mapOrder(orderCtx({ status: 'cancelled' }), settings));

  it('a reinstated order whose Mailchimp copy keeps its cancellation needs the PUT', () => {
    expect(needsOrderPut({ cancelled_at_foreign: '2026-03-06T07:00:00+00:00' }, paid)).toBe(true);
  });

  it.each([
    ['Mailchimp has no cancellation', { cancelled_at_foreign: '' }, paid],
    ['the answer has no such field', {}, paid],
    ['the order is still cancelled', { cancelled_at_foreign: '2026-03-06T07:00:00+00:00' }, cancelled],
  ])('no PUT when %s', (_what, remote, payload) => {
    expect(needsOrderPut(remote, payload)).toBe(false);
  });

  it('the PUT body is the whole order under the customer Mailchimp has it with', () => {
    const body = orderPutFrom(paid, 'old-customer');
    expect(body).toEqual({ ...paid, customer: { id: 'old-customer' } });
    expect(body).not.toHaveProperty('cancelled_at_foreign');
    expectSchemaAccepts(orderSchema, body, 'order');
  });
});

describe('orderLineChanges', () => {
  const line = (id: string, over: Record<string, unknown> = {}) => ({ id, product_id: 'P', product_variant_id: 'P-1', quantity: 1, price: 10, discount: 0, ...over });

  it('nothing to do when Mailchimp has the same lines (extra answer fields ignored, a missing discount is 0)', () => {
    const current = [{ ...line('1'), product_title: 'P', image_url: '' }, { ...line('2', { discount: undefined }) }];
    expect(orderLineChanges([line('1'), line('2')], current)).toEqual({ create: [], update: [], remove: [] });
  });

  it('a line the shop added is created, a line it removed is deleted', () => {
    expect(orderLineChanges([line('1'), line('3')], [line('1'), line('2')])).toEqual({ create: [line('3')], update: [], remove: ['2'] });
  });

  it.each([
    ['product_id', { product_id: 'NEW' }],
    ['product_variant_id', { product_variant_id: 'P-2' }],
    ['quantity', { quantity: 3 }],
    ['price', { price: 9.99 }],
    ['discount cleared', { discount: 0 }],
  ])('a changed %s is PATCHed in place with every field', (_what, over) => {
    const before = line('1', { discount: 1.5 });
    const wanted = line('1', { discount: 1.5, ...over });
    const { id: _id, ...patch } = wanted;
    expect(orderLineChanges([wanted], [before])).toEqual({ create: [], update: [{ id: '1', patch }], remove: [] });
  });

  it('matches lines by id as strings', () => {
    expect(orderLineChanges([line('7')], [{ ...line('7'), id: '7' }]).update).toEqual([]);
  });
});
