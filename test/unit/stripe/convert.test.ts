import { mapOrder } from '../../../mapping/order';
import { mapProduct } from '../../../mapping/product';
import { minorToDecimal, orderFromStripe, productFromStripe, purchaseStatus, splitName, type StripePurchase } from '../../../source/stripe/convert';
import type { ShopSettings } from '../../../mapping/shop-rows';

const settings: ShopSettings = { mailchimpSyncEnabled: true, alwaysOptIn: false, storeName: 'S', storeDomain: '', storeCurrency: 'USD' };
const price = (id: string, amount: number, currency = 'usd', active = true) => ({ id, product: 'prod_1', active, currency, unit_amount: amount, created: 1 });

function purchase(over: Partial<StripePurchase> = {}): StripePurchase {
  return {
    kind: 'invoice', id: 'in_1', paid: true, currency: 'usd', total: 2500, tax: 0, discount: 0, shipping: 0, createdAt: 1_700_000_000,
    customerId: 'cus_1', email: null, name: null, charge: { id: 'ch_1', amount: 2500, amount_refunded: 0 },
    lines: [{ id: 'il_1', amount: 2500, currency: 'usd', quantity: 2, price: price('price_1', 1250) }],
    ...over,
  };
}
const ada = { id: 'cus_1', email: 'Ada@Example.com', name: 'Ada King Lovelace', created: 1 };

describe('Stripe conversions', () => {
  it('minor units by currency exponent', () => {
    expect(minorToDecimal(1250, 'usd')).toBe('12.50');
    expect(minorToDecimal(5, 'eur')).toBe('0.05');
    expect(minorToDecimal(500, 'JPY')).toBe('500');
    expect(minorToDecimal(1234, 'kwd')).toBe('1.234');
  });

  it('a product with its prices as variants (sku = price id); another currency is rejected by the shared mapper', () => {
    const p = productFromStripe({ id: 'prod_1', name: 'Mug', active: true, created: 1 }, [price('price_1', 1250), price('price_old', 900, 'usd', false)]);
    expect(p.product).toMatchObject({ code: 'prod_1', title: 'Mug', status: 'active' });
    expect(p.variants.map((v) => [v.sku, v.price, v.status])).toEqual([['price_1', '12.50', 'active'], ['price_old', '9.00', 'deleted']]);
    const mapped = mapProduct(productFromStripe({ id: 'prod_1', name: 'Mug', active: true, created: 1 }, [price('price_eur', 900, 'eur')]), settings);
    expect(mapped).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('priced in EUR') });
  });

  it('a paid invoice as an order of its customer, lines by price and product', () => {
    const mapped = mapOrder(orderFromStripe(purchase(), ada), settings);
    expect(mapped.kind).toBe('ok');
    if (mapped.kind !== 'ok') return;
    expect(mapped.payload).toMatchObject({ id: 'in_1', order_total: 25, financial_status: 'paid', customer: { email_address: 'ada@example.com' } });
    expect(mapped.payload.lines).toEqual([{ id: 'il_1', product_id: 'prod_1', product_variant_id: 'price_1', quantity: 2, price: 12.5, discount: 0 }]);
  });

  it('refund statuses come from the charge; unpaid purchases are pending', () => {
    expect(purchaseStatus({ paid: true, charge: { id: 'c', amount: 100, amount_refunded: 30 } })).toBe('partially_refunded');
    expect(purchaseStatus({ paid: true, charge: { id: 'c', amount: 100, amount_refunded: 100 } })).toBe('refunded');
    expect(purchaseStatus({ paid: true, charge: null })).toBe('paid');
    expect(purchaseStatus({ paid: false, charge: null })).toBe('pending');
  });

  it('a line billing no product makes the purchase not sendable, with the reason', () => {
    const order = orderFromStripe(purchase({ lines: [...purchase().lines, { id: 'il_2', amount: 300, currency: 'usd', description: 'Setup fee', plan: null }] }), ada);
    expect(order.notSendable).toContain('"Setup fee" bill no Stripe product');
    expect(mapOrder(order, settings)).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/^Order in_1 was not sent: its line "Setup fee"/) });
    expect(orderFromStripe(purchase(), ada).notSendable).toBeUndefined();
  });

  it('a purchase without a Stripe customer uses its e-mail as a guest', () => {
    const order = orderFromStripe(purchase({ customerId: null, email: 'guest@example.org', name: 'Gus Guest' }), null);
    expect(order.order).toMatchObject({ user_id: null, guest_email: 'guest@example.org', guest_first_name: 'Gus' });
    expect(splitName('  ')).toEqual({ first: null, last: null });
  });
});
