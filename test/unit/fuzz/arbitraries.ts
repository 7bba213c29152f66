/**
 * Rows as messy as the contract's column types allow: control characters, emoji, right-to-left text, very long
 * values, zero, negative and huge numbers, odd and far dates, empty strings where NULL is expected.
 */
import fc from 'fast-check';
import {
  ADDRESS_PARTS, ORDER_ADDRESS_PREFIXES, TRACKING_COLUMNS, type OrderOptionalColumns, type UserOptionalColumns,
} from '../../../mapping/address-columns';
import { DEFAULT_CART_MAX_AGE_MS, DEFAULT_CART_URL_TEMPLATE, type CartOptions } from '../../../mapping/cart';
import type {
  CartRow, CartWithContext, OrderLineRow, OrderRow, OrderStatus, OrderWithContext, ProductRow, ProductWithVariants, PromoCodeRow, PromotionRow,
  ShopSettings, UserRow, VariantRow,
} from '../../../mapping/shop-rows';

const LONG = 'x'.repeat(10_000);
const SPECIAL = ['', ' ', '\t', '\u0000', '\u0007bell', '\u202Eevil\u202C', 'שלום', '🛒🎉', 'e\u0301', '\uFEFFbom', LONG, 'a\nb', '<b>bold</b>', '%00', '../..'];

export const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.constantFrom(...SPECIAL) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
);
export const nullableText = fc.option(text, { nil: null });
/** A value that should look like a code or SKU, sometimes does not. */
export const code = fc.oneof(fc.stringMatching(/^[A-Z0-9-]{1,12}$/), text);
/** A DECIMAL column as the driver gives it, most often a plain amount (a row with several must be able to pass). */
export const money = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 100_000_00 }).map((cents) => (cents / 100).toFixed(2)) },
  { weight: 1, arbitrary: fc.constantFrom('0', '0.00', '-1.00', '-0.01', '99999999999.99', '1e309', 'NaN', 'abc', '', ' 5 ', '12.345', '0x10') },
);
/** An INT column: whole numbers only (the database gives no NaN or fractions), huge and negative ones included. */
export const int = fc.oneof(fc.integer({ min: -5, max: 1000 }), fc.constantFrom(0, -1, -(2 ** 31), 2 ** 31 - 1));
export const date = fc.oneof(
  fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
  fc.constantFrom(new Date('0001-01-01T00:00:00Z'), new Date('9999-12-31T23:59:59.999Z'), new Date(NaN), new Date(-1)),
);
export const nullableDate = fc.option(date, { nil: null });
export const currency = fc.oneof(fc.constantFrom('USD', 'usd', 'EUR', ' USD', 'US', 'XXXX', ''), text);
/** An address of the plain kind shops hold (fc.emailAddress() is RFC 5322's, whose local parts Mailchimp mostly refuses). */
const plainEmail = fc.tuple(fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.option(fc.stringMatching(/^[a-z0-9]{1,8}$/), { nil: null }), fc.domain())
  .map(([name, tag, domain]) => `${name}${tag === null ? '' : `.${tag}`}@${domain}`);
export const email = fc.oneof(
  { weight: 8, arbitrary: plainEmail },
  { weight: 1, arbitrary: plainEmail.map((e) => ` ${e.toUpperCase()}\t`) },
  { weight: 2, arbitrary: fc.emailAddress() },
  { weight: 1, arbitrary: fc.emailAddress().map((e) => ` ${e.toUpperCase()}\t`) },
  { weight: 2, arbitrary: text },
  { weight: 1, arbitrary: fc.constantFrom('a@b', '@x.com', 'x@.com', 'a..b@x.com', 'ü@example.com', `${'a'.repeat(70)}@example.com`) },
);
const id = fc.integer({ min: 1, max: 1_000_000 }).map(String);

export const settings: fc.Arbitrary<ShopSettings> = fc.record({
  mailchimpSyncEnabled: fc.constant(true),
  alwaysOptIn: fc.boolean(),
  storeName: text,
  storeDomain: fc.oneof(fc.domain(), text),
  storeCurrency: fc.constantFrom('USD', 'EUR'),
});

export const product: fc.Arbitrary<ProductRow> = fc.record({
  id, code, title: text, description: nullableText, category: nullableText, vendor: nullableText,
  seo_url: fc.option(fc.oneof(fc.webPath(), fc.webUrl(), text), { nil: null }), image_url: fc.option(fc.oneof(fc.webUrl(), text), { nil: null }),
  status: fc.constantFrom('active', 'active', 'inactive', 'deleted'), published_at: nullableDate, created_at: date, updated_at: date,
});

export const variant = (productId: string): fc.Arbitrary<VariantRow> => fc.record({
  id, product_id: fc.constant(productId), sku: code, title: text, price: money, currency, inventory_quantity: fc.option(int, { nil: null }),
  image_url: fc.option(fc.oneof(fc.webUrl(), text), { nil: null }), status: fc.constantFrom('active', 'active', 'deleted'), created_at: date, updated_at: date,
});

export const productWithVariants: fc.Arbitrary<ProductWithVariants> = product.chain((p) =>
  fc.array(variant(p.id), { maxLength: 4 }).map((variants) => ({ product: p, variants })));

/** A country code column: often a real ISO 3166-1 alpha-2 code (in any case, padded), sometimes not. */
const countryCode = fc.oneof(fc.constantFrom('US', 'de', ' GB ', 'USA', 'XX', 'U', '12', ''), text);

/**
 * The contract's optional columns (docs/shop-database.md, mapping/address-columns.ts): each left out of the table
 * (undefined), NULL or any text.
 */
function optionalColumns(names: readonly string[]): fc.Arbitrary<Record<string, string | null | undefined>> {
  const column = (name: string) => fc.oneof(fc.constant(undefined), fc.constant(null), name.endsWith('country_code') ? countryCode : text);
  return fc.record(Object.fromEntries(names.map((name) => [name, column(name)])));
}
const userAddress: fc.Arbitrary<UserOptionalColumns> = optionalColumns(ADDRESS_PARTS);
const orderOptional: fc.Arbitrary<OrderOptionalColumns> = optionalColumns([
  ...ORDER_ADDRESS_PREFIXES.flatMap((prefix) => ['name', ...ADDRESS_PARTS].map((part) => `${prefix}${part}`)),
  ...TRACKING_COLUMNS,
]);

export const user: fc.Arbitrary<UserRow> = fc.tuple(fc.record({
  id, email, first_name: nullableText, last_name: nullableText, marketing_opt_in: fc.boolean(), marketing_opt_in_at: nullableDate,
  created_at: date, updated_at: date,
}), userAddress).map(([row, address]) => ({ ...row, ...address }));

export const promotion: fc.Arbitrary<PromotionRow> = fc.record({
  id, title: text, description: nullableText, discount_type: fc.constantFrom('percentage', 'fixed'), amount: money,
  target: fc.constantFrom('per_item', 'total', 'shipping'), starts_at: nullableDate, ends_at: nullableDate, enabled: fc.boolean(),
  created_at: date, updated_at: date,
});

export const promoCode = (promotionId: string): fc.Arbitrary<PromoCodeRow> => fc.record({
  id, promotion_id: fc.constant(promotionId), code: text, usage_count: int, enabled: fc.boolean(), created_at: date, updated_at: date,
});

const line = (orderId: string): fc.Arbitrary<OrderWithContext['lines'][number]> => fc.record({
  id, order_id: fc.constant(orderId), product_id: id, variant_id: fc.option(id, { nil: null }), quantity: int, unit_price: money, discount: money,
  product_code: code, variant_sku: fc.option(code, { nil: null }),
}).map((l): OrderLineRow & { product_code: string; variant_sku: string | null } => l);

const orderColumns = fc.record({
  id, order_number: code, user_id: fc.option(id, { nil: null }), guest_email: fc.option(email, { nil: null }), guest_first_name: nullableText,
  guest_last_name: nullableText,
  status: fc.constantFrom<OrderStatus>('pending', 'paid', 'shipped', 'cancelled', 'refunded', 'partially_refunded'),
  currency, discount_total: money, tax_total: money, shipping_total: money, order_total: money, promo_code: nullableText,
  campaign_id: nullableText, landing_site: fc.option(fc.oneof(fc.webUrl(), text), { nil: null }), ordered_at: date, updated_at: date,
});
const orderRow: fc.Arbitrary<OrderRow> = fc.tuple(orderColumns, orderOptional).map(([row, optional]) => ({ ...row, ...optional }));

export const orderWithContext: fc.Arbitrary<OrderWithContext> = orderRow.chain((order) =>
  fc.record({
    order: fc.constant(order),
    lines: fc.array(line(order.id), { maxLength: 4 }),
    user: order.user_id ? fc.option(user.map((u) => ({ ...u, id: order.user_id as string })), { nil: null }) : fc.constant(null),
    promotion: fc.option(promotion, { nil: null }),
  }));

/** null (the store's currency) three times in four, else any currency column. */
const inStoreCurrencyMostly = fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: currency });

/** A plain amount of money and a whole, positive quantity. */
const saneMoney = fc.integer({ min: 0, max: 100_000_00 }).map((cents) => (cents / 100).toFixed(2));
const saneQuantity = fc.integer({ min: 1, max: 20 });
const saneDate = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true });

/**
 * An order whose e-mail, number, status, totals, date and lines are valid, the rest (names, campaign, landing site,
 * promo code, addresses, tracking) as hostile as ever: what must come out as a payload the spec accepts.
 */
const sendableOrder: fc.Arbitrary<OrderWithContext> = fc.record({
  ctx: orderWithContext, number: fc.stringMatching(/^[A-Z0-9]{1,12}$/), buyer: plainEmail, ordered: saneDate,
  status: fc.constantFrom<OrderStatus>('paid', 'shipped', 'cancelled', 'refunded', 'partially_refunded'),
  totals: fc.tuple(saneMoney, saneMoney, saneMoney, saneMoney), lines: fc.array(fc.tuple(saneQuantity, saneMoney, saneMoney, code), { minLength: 1, maxLength: 4 }),
}).map(({ ctx, number, buyer, ordered, status, totals: [order_total, tax_total, shipping_total, discount_total], lines }) => ({
  ...ctx,
  order: { ...ctx.order, order_number: number, guest_email: buyer, status, order_total, tax_total, shipping_total, discount_total, ordered_at: ordered },
  user: ctx.user === null ? null : { ...ctx.user, email: buyer },
  lines: lines.map(([quantity, unit_price, discount, productCode], i) => ({
    id: String(i + 1), order_id: ctx.order.id, product_id: String(i + 1), variant_id: null, quantity, unit_price, discount, product_code: `P${i}-${productCode}`, variant_sku: null,
  })),
}));

/** A shop's settings and an order of it (half of them sendable), most often in the store's currency (in any case), else in any. */
export const orderInShop: fc.Arbitrary<[ShopSettings, OrderWithContext]> = fc.tuple(settings, fc.oneof(orderWithContext, sendableOrder), inStoreCurrencyMostly)
  .map(([shop, ctx, other]): [ShopSettings, OrderWithContext] => [shop, { ...ctx, order: { ...ctx.order, currency: other ?? shop.storeCurrency.toLowerCase() } }]);

/** A cart id: the reference schema's number, a session token (a view over a session table), or any text. */
const cartId = fc.oneof(id, fc.stringMatching(/^[0-9a-f]{32}$/), code);

/**
 * A product a cart line names that the product mapping usually sends (the product mapper has its own fuzzing): active,
 * with a code, a title, and variants with SKUs in the store's currency (their statuses and stocks as they come).
 */
const sendableProduct = (storeCurrency: string): fc.Arbitrary<ProductWithVariants> => productWithVariants.map(({ product, variants }) => {
  const code = `P-${product.id}`;
  return {
    product: { ...product, status: 'active', code, title: `Product ${product.id}` },
    variants: variants.map((v, i) => ({ ...v, sku: `${code}-${i}`, currency: storeCurrency, price: /^\d+(\.\d+)?$/.test(v.price) ? v.price : '1.00' })),
  };
});

/**
 * A cart line: its product (or null: the row is gone), and a variant of that product, of another, or none (a row
 * gone: variant_id without a SKU).
 */
const cartLine = (cart: string, storeCurrency: string): fc.Arbitrary<CartWithContext['lines'][number]> =>
  fc.oneof(
    { weight: 5, arbitrary: sendableProduct(storeCurrency) },
    { weight: 1, arbitrary: productWithVariants },
    { weight: 1, arbitrary: fc.constant(null) },
  ).chain((product) => {
    const own = product?.variants ?? [];
    const variant = fc.oneof(
      ...(own.length > 0 ? [{ weight: 4, arbitrary: fc.constantFrom(...own).map((v) => ({ variant_id: v.id, variant_sku: v.sku })) }] : []),
      { weight: 1, arbitrary: fc.record({ variant_id: fc.option(id, { nil: null }), variant_sku: fc.option(code, { nil: null }) }) },
    );
    const quantity = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 20 }) }, { weight: 1, arbitrary: int });
    return fc.record({ id, quantity, unit_price: money, updated_at: date, variant }).map(({ variant: v, ...line }) => ({
      ...line, ...v, cart_id: cart, product_id: product?.product.id ?? '1', product,
    }));
  });

const cartRow: fc.Arbitrary<CartRow> = fc.record({
  id: cartId, user_id: fc.option(id, { nil: null }), guest_email: fc.option(email, { nil: null }), guest_first_name: nullableText, currency,
  order_total: money, tax_total: fc.option(money, { nil: null }), campaign_id: nullableText,
  checkout_url: fc.option(fc.oneof(fc.webUrl(), text), { nil: null }),
  order_id: fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: id }), created_at: date, updated_at: date,
});

/** A cart of a store in `storeCurrency`, with its lines, its registered buyer's row and its buyer's last order. */
export const cartWithContext = (storeCurrency: string): fc.Arbitrary<CartWithContext> => cartRow.chain((cart) =>
  fc.record({
    cart: fc.constant(cart),
    lines: fc.oneof(
      { weight: 1, arbitrary: fc.constant<CartWithContext['lines']>([]) },
      { weight: 6, arbitrary: fc.uniqueArray(cartLine(cart.id, storeCurrency), { minLength: 1, maxLength: 4, selector: (l) => l.id }) },
    ),
    user: cart.user_id ? fc.option(user.map((u) => ({ ...u, id: cart.user_id as string })), { nil: null }) : fc.constant(null),
    buyerLastOrderedAt: fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: date }),
  }));

/**
 * A cart whose buyer, totals and line quantities and prices are valid, not converted, the rest (ids, names, campaign,
 * checkout URL, the lines' products and variants, dates) as hostile as ever.
 */
const sendableCart = (storeCurrency: string): fc.Arbitrary<CartWithContext> => fc.record({
  found: cartWithContext(storeCurrency), buyer: plainEmail, order_total: saneMoney, tax_total: fc.option(saneMoney, { nil: null }),
  prices: fc.array(fc.tuple(saneQuantity, saneMoney), { minLength: 4, maxLength: 4 }),
}).map(({ found, buyer, order_total, tax_total, prices }) => ({
  ...found,
  cart: { ...found.cart, guest_email: buyer, order_total, tax_total, order_id: null },
  user: found.user === null ? null : { ...found.user, email: buyer },
  lines: found.lines.map((line, i) => ({ ...line, quantity: prices[i][0], unit_price: prices[i][1] })),
  buyerLastOrderedAt: null,
}));

/** A shop's settings and a cart of it (half of them sendable), most often in the store's currency (in any case), else in any. */
export const cartInShop: fc.Arbitrary<[ShopSettings, CartWithContext]> = settings.chain((shop) =>
  fc.tuple(fc.oneof(cartWithContext(shop.storeCurrency), sendableCart(shop.storeCurrency)), inStoreCurrencyMostly).map(([found, other]): [ShopSettings, CartWithContext] => [
    shop, { ...found, cart: { ...found.cart, currency: other ?? shop.storeCurrency.toLowerCase() } },
  ]));

/**
 * The cart options: the source's clock (a valid time), CART_MAX_AGE (the default, none to speak of, or 0) and
 * CART_URL_TEMPLATE (the default, none, or odd ones).
 */
export const cartOptions: fc.Arbitrary<CartOptions> = fc.record({
  now: fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  maxAgeMs: fc.oneof({ weight: 4, arbitrary: fc.constant(Number.MAX_SAFE_INTEGER) }, { weight: 1, arbitrary: fc.constantFrom(DEFAULT_CART_MAX_AGE_MS, 0) }),
  urlTemplate: fc.oneof(fc.constantFrom(DEFAULT_CART_URL_TEMPLATE, '', '{domain}', 'https://x.example/{id}/{id}', 'no placeholders'), text),
});
