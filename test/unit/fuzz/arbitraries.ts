/**
 * Rows as messy as the contract's column types allow: control characters, emoji, right-to-left text, very long
 * values, zero, negative and huge numbers, odd and far dates, empty strings where NULL is expected.
 */
import fc from 'fast-check';
import type {
  OrderLineRow, OrderRow, OrderStatus, OrderWithContext, ProductRow, ProductWithVariants, PromoCodeRow, PromotionRow, ShopSettings, UserRow, VariantRow,
} from '../../../source/types';

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
export const money = fc.oneof(
  fc.integer({ min: 0, max: 100_000_00 }).map((cents) => (cents / 100).toFixed(2)),
  fc.constantFrom('0', '0.00', '-1.00', '-0.01', '99999999999.99', '1e309', 'NaN', 'abc', '', ' 5 ', '12.345', '0x10'),
);
/** An INT column: whole numbers only (the database gives no NaN or fractions), huge and negative ones included. */
export const int = fc.oneof(fc.integer({ min: -5, max: 1000 }), fc.constantFrom(0, -1, -(2 ** 31), 2 ** 31 - 1));
export const date = fc.oneof(
  fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
  fc.constantFrom(new Date('0001-01-01T00:00:00Z'), new Date('9999-12-31T23:59:59.999Z'), new Date(NaN), new Date(-1)),
);
export const nullableDate = fc.option(date, { nil: null });
export const currency = fc.oneof(fc.constantFrom('USD', 'usd', 'EUR', ' USD', 'US', 'XXXX', ''), text);
export const email = fc.oneof(
  { weight: 3, arbitrary: fc.emailAddress() },
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

export const user: fc.Arbitrary<UserRow> = fc.record({
  id, email, first_name: nullableText, last_name: nullableText, marketing_opt_in: fc.boolean(), marketing_opt_in_at: nullableDate,
  created_at: date, updated_at: date,
});

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

const orderRow: fc.Arbitrary<OrderRow> = fc.record({
  id, order_number: code, user_id: fc.option(id, { nil: null }), guest_email: fc.option(email, { nil: null }), guest_first_name: nullableText,
  guest_last_name: nullableText,
  status: fc.constantFrom<OrderStatus>('pending', 'paid', 'shipped', 'cancelled', 'refunded', 'partially_refunded'),
  currency, discount_total: money, tax_total: money, shipping_total: money, order_total: money, promo_code: nullableText,
  campaign_id: nullableText, landing_site: fc.option(fc.oneof(fc.webUrl(), text), { nil: null }), ordered_at: date, updated_at: date,
});

export const orderWithContext: fc.Arbitrary<OrderWithContext> = orderRow.chain((order) =>
  fc.record({
    order: fc.constant(order),
    lines: fc.array(line(order.id), { maxLength: 4 }),
    user: order.user_id ? fc.option(user.map((u) => ({ ...u, id: order.user_id as string })), { nil: null }) : fc.constant(null),
    promotion: fc.option(promotion, { nil: null }),
  }));
