import fc from 'fast-check';
import { cartSchema, cartPatchSchema } from '../../../mailchimp/schemas';
import {
  cartLineChanges, cartPatchFrom, cartSkipKind, checkoutUrl, isConverted, mapCart, withoutCampaign, type CartOptions,
} from '../../../mapping/cart';
import { customerIdForEmail } from '../../../mapping/ids';
import type { CartWithContext } from '../../../mapping/shop-rows';
import { expectSchemaAccepts, payloadOf, productWith, settings, userRow, variantRow } from './fixtures';

const NOW = '2026-03-10T12:00:00.000Z';
const DAY = 24 * 3600 * 1000;
const options: CartOptions = { now: NOW, maxAgeMs: 30 * DAY, urlTemplate: 'https://{domain}/cart/{id}' };
const changed = new Date('2026-03-09T08:00:00.000Z');

function cartCtx(over: Partial<CartWithContext['cart']> = {}, extra: Partial<CartWithContext> = {}): CartWithContext {
  const product = productWith({ id: '101', code: ' MUG-1 ' }, [variantRow({ id: '201', product_id: '101', sku: 'MUG-1-RED', currency: 'EUR', price: '12.50' })]);
  return {
    cart: {
      id: '77', user_id: '5', guest_email: null, guest_first_name: null, currency: 'eur', order_total: '25.00', tax_total: '4.00',
      campaign_id: null, checkout_url: null, order_id: null, created_at: changed, updated_at: changed, ...over,
    },
    lines: [{
      id: '9', cart_id: '77', product_id: '101', variant_id: '201', quantity: 2, unit_price: '12.50', updated_at: over.updated_at ?? changed, product, variant_sku: 'MUG-1-RED',
    }],
    user: userRow({ id: '5', email: 'Ada@Example.com ' }),
    buyerLastOrderedAt: null,
    ...extra,
  };
}

describe('mapCart', () => {
  it('maps a registered cart with its lines, totals and the templated checkout URL', () => {
    const mapped = payloadOf(mapCart(cartCtx(), settings, options));
    expect(mapped.payload).toMatchObject({
      id: '77', currency_code: 'EUR', order_total: 25, tax_total: 4, checkout_url: 'https://shop.example.com/cart/77',
      customer: { id: customerIdForEmail('ada@example.com'), email_address: 'ada@example.com' },
      lines: [{ id: '9', product_id: 'MUG-1', product_variant_id: 'MUG-1-RED', quantity: 2, price: 12.5 }],
    });
    expect(mapped.payload).not.toHaveProperty('campaign_id');
    expectSchemaAccepts(cartSchema, { ...mapped.payload, customer: { ...mapped.payload.customer, opt_in_status: false } }, 'cart');
  });

  it.each([[''], ['   '], ['\t']])('refuses a cart whose id is empty (%j), with the reason: Mailchimp needs an id (found by the fuzzed mappers)', (id) => {
    const mapped = mapCart(cartCtx({ id }), settings, options);
    expect(mapped).toEqual({ kind: 'invalid', reason: expect.stringContaining('was not sent: its id is empty'), field: 'id' });
  });

  it('keeps the row\'s checkout_url and campaign_id', () => {
    const mapped = payloadOf(mapCart(cartCtx({ checkout_url: ' https://shop.example.com/restore?t=1 ', campaign_id: 'abc123' }), settings, options));
    expect(mapped.payload).toMatchObject({ checkout_url: 'https://shop.example.com/restore?t=1', campaign_id: 'abc123' });
  });

  it('a guest cart: first name only, no consent', () => {
    const mapped = payloadOf(mapCart(cartCtx({ user_id: null, guest_email: 'Gus@Example.com', guest_first_name: 'Gus' }, { user: null }), settings, options));
    expect(mapped.payload.customer).toEqual({ id: customerIdForEmail('gus@example.com'), email_address: 'gus@example.com', first_name: 'Gus' });
    expect(mapped.buyer).toMatchObject({ shopOptIn: false, input: { isGuest: true } });
  });

  it.each([
    ['no buyer yet', cartCtx({ user_id: null }, { user: null }), 'no_buyer'],
    ['its order_id set', cartCtx({ order_id: '400' }), 'converted'],
    ['an order of the buyer after its last change', cartCtx({}, { buyerLastOrderedAt: new Date('2026-03-09T09:00:00.000Z') }), 'converted'],
    ['older than CART_MAX_AGE', cartCtx({ updated_at: new Date('2026-01-01T00:00:00.000Z') }), 'too_old'],
    ['no line', cartCtx({}, { lines: [] }), 'empty'],
  ] as const)('is not sent (and leaves Mailchimp) with %s', (_what, ctx, kind) => {
    const mapped = mapCart(ctx, settings, options);
    expect(mapped.kind).toBe('skip');
    expect(mapped.kind === 'skip' && cartSkipKind(mapped.reason)).toBe(kind);
  });

  it('an order placed before the cart changed does not convert it; a line changed later keeps it alive', () => {
    expect(isConverted(cartCtx({}, { buyerLastOrderedAt: new Date('2026-03-01T00:00:00.000Z') }))).toBe(false);
    const base = cartCtx({ updated_at: new Date('2026-01-01T00:00:00.000Z') });
    expect(mapCart(base, settings, options).kind).toBe('skip');
    const recentLine = { ...base, lines: base.lines.map((l) => ({ ...l, updated_at: changed })) };
    expect(mapCart(recentLine, settings, options).kind).toBe('ok');
  });

  it('leaves out lines Mailchimp could not show; with none left the cart is empty', () => {
    const ctx = cartCtx();
    const inactive = { ...ctx.lines[0], id: '10', product: productWith({ id: '101', code: 'MUG-1', status: 'inactive' }) };
    const gone = { ...ctx.lines[0], id: '11', product: null };
    const noVariantOnVariantProduct = { ...ctx.lines[0], id: '12', variant_id: null, variant_sku: null };
    const zero = { ...ctx.lines[0], id: '13', quantity: 0 };
    const mapped = payloadOf(mapCart({ ...ctx, lines: [...ctx.lines, inactive, gone, noVariantOnVariantProduct, zero] }, settings, options));
    expect(mapped.payload.lines.map((l) => l.id)).toEqual(['9']);
    expect(cartSkipKind((mapCart({ ...ctx, lines: [gone, zero] }, settings, options) as { reason: string }).reason)).toBe('empty');
  });

  it('fails another currency and a negative total', () => {
    expect(mapCart(cartCtx({ currency: 'USD' }), settings, options)).toMatchObject({ kind: 'invalid', field: 'currency_code' });
    expect(mapCart(cartCtx({ order_total: '-1' }), settings, options)).toMatchObject({ kind: 'invalid', field: 'order_total' });
  });
});

describe('checkoutUrl', () => {
  it('fills the template with the bare domain and the encoded id; empty template or domain: none', () => {
    expect(checkoutUrl('https://{domain}/cart/{id}', 'https://shop.example.com/', 'a b', null)).toBe('https://shop.example.com/cart/a%20b');
    expect(checkoutUrl('', 'shop.example.com', '1', null)).toBeUndefined();
    expect(checkoutUrl('https://{domain}/c/{id}', '', '1', null)).toBeUndefined();
    expect(checkoutUrl('https://{domain}/c/{id}', '', '1', 'https://x.example/r')).toBe('https://x.example/r');
  });
});

describe('cartPatchFrom and withoutCampaign', () => {
  it('empties a cleared campaign_id and checkout_url, and sends tax_total 0 when cleared', () => {
    const patch = cartPatchFrom({ currency_code: 'EUR', order_total: 3 });
    expect(patch).toEqual({ currency_code: 'EUR', order_total: 3, tax_total: 0, campaign_id: '', checkout_url: '' });
    expectSchemaAccepts(cartPatchSchema, patch, 'cart patch');
    expect(withoutCampaign({ id: '1', campaign_id: 'x' })).toEqual({ id: '1' });
  });
});

describe('cartLineChanges', () => {
  const line = fc.record({
    id: fc.constantFrom<string>('1', '2', '3', '4', '5'), product_id: fc.constantFrom<string>('P1', 'P2'), product_variant_id: fc.constantFrom<string>('V1', 'V2'),
    quantity: fc.integer({ min: 1, max: 3 }), price: fc.constantFrom<number>(1, 2.5),
  });
  const lines = fc.uniqueArray(line, { selector: (l) => l.id, maxLength: 5 });

  it('applied to what Mailchimp has, gives exactly the wanted lines (property)', () => {
    fc.assert(fc.property(lines, lines, (wanted, current) => {
      const changes = cartLineChanges(wanted, current);
      const result = new Map(current.map((l) => [l.id, { ...l }]));
      for (const { id, patch } of changes.update) result.set(id, { ...(result.get(id) ?? { id }), ...patch } as (typeof wanted)[number]);
      for (const l of changes.create) result.set(l.id, l);
      for (const id of changes.remove) result.delete(id);
      const sorted = (xs: typeof wanted) => [...xs].sort((a, b) => a.id.localeCompare(b.id));
      expect(sorted([...result.values()])).toEqual(sorted(wanted));
      // Nothing is touched that is already right.
      expect(cartLineChanges(wanted, wanted)).toEqual({ create: [], update: [], remove: [] });
    }));
  });
});
