/**
 * A small, fixed set of rows the sync must turn away (or survive), for reliability tests.
 * Pure data: write it with `writeShop(db, BAD_ROWS)` into a test database, on its own or next to a demo shop
 * (ids start at BAD_ROWS_ID_BASE + 1, far above the demo's, and codes/SKUs/order numbers do not clash).
 *
 * Every row that is bad on purpose has an entry in BAD_ROW_REASONS (keyed `table:id`) saying why, so a test can check
 * that the sync recorded a reason for each. Rows that only look bad (HTML, emoji, an address that is valid once trimmed)
 * are listed in MESSY_VALID_ROWS: the sync must send those.
 */
import { DEMO_EPOCH, DEMO_STORE, centsToString, orderNumber, productCode, type ShopData } from './generate';
import type { ShopTableName } from './write';

export const BAD_ROWS_ID_BASE = 900_000;

export type BadRowReason =
  | 'invalid_email'
  | 'negative_price'
  | 'currency_mismatch'
  | 'promo_code_too_long'
  | 'promo_title_too_long';

export interface BadRowTag {
  table: ShopTableName;
  id: string;
  reason: BadRowReason;
  /** The offending column. */
  field: string;
  /** Its value, as stored. */
  value: string;
  /** For a variant: the product whose sync must fail because of it. */
  owner?: { table: ShopTableName; id: string };
}

export interface MessyValidRow {
  table: ShopTableName;
  id: string;
  /** What makes it look wrong. */
  note: string;
}

export const badRowKey = (table: ShopTableName, id: string): string => `${table}:${id}`;

const id = (n: number): string => String(BAD_ROWS_ID_BASE + n);
const at = (hoursBeforeEpoch: number): Date => new Date(DEMO_EPOCH.getTime() - hoursBeforeEpoch * 3_600_000 + 123);

/** 26 × 🎉 = 104 UTF-8 bytes (only 52 UTF-16 units): over Mailchimp's 100-byte promo-rule title limit. */
export const TOO_LONG_PROMO_TITLE = '🎉'.repeat(26);
/** 54 characters: over Mailchimp's 50-character promo-code limit. */
export const TOO_LONG_PROMO_CODE = 'THIS-PROMO-CODE-IS-WAY-TOO-LONG-FOR-MAILCHIMP-2026-VIP';

const OTHER_CURRENCY_VARIANT = 'EUR';
const OTHER_CURRENCY_ORDER = 'GBP';

function buildBadRows(): ShopData {
  const created = at(72);
  const updated = at(24);
  const stamps = { created_at: created, updated_at: updated };

  const products: ShopData['products'] = [
    {
      id: id(1), code: productCode(BAD_ROWS_ID_BASE + 1), title: 'Emoji 🎉 <b>Bold</b> “Mug” & Co.',
      description: '<p>Perfect <em>for</em> ☕ &amp; 🍵</p><script>alert("x")</script><p>Größe: Ø 8 cm</p>',
      category: 'Café ☕', vendor: 'Müller & Söhne', seo_url: `https://${DEMO_STORE.domain}/products/emoji-bold-mug`,
      image_url: null, status: 'active', published_at: created, ...stamps,
    },
    {
      id: id(2), code: productCode(BAD_ROWS_ID_BASE + 2), title: 'Negative Price Widget',
      description: '<p>A variant of this product has a negative price.</p>', category: null, vendor: null,
      seo_url: null, image_url: null, status: 'active', published_at: created, ...stamps,
    },
    {
      id: id(3), code: productCode(BAD_ROWS_ID_BASE + 3), title: 'Euro-priced Scarf 🇪🇺',
      description: null, category: 'Apparel', vendor: 'Maison Étoile', seo_url: null, image_url: null,
      status: 'active', published_at: created, ...stamps,
    },
    {
      id: id(4), code: productCode(BAD_ROWS_ID_BASE + 4), title: '🔥🔥 <i>Hot</i> &amp; Spicy Sauce 🌶️',
      description: null, category: null, vendor: '株式会社サンプル', seo_url: null,
      image_url: `https://cdn.${DEMO_STORE.domain}/images/sauce%20%F0%9F%94%A5.jpg`, status: 'active', published_at: created, ...stamps,
    },
  ];

  const variant = (n: number, suffix: string, title: string, price: string, currency: string): ShopData['variants'][number] => ({
    id: id(n), product_id: id(n), sku: `SKU-${BAD_ROWS_ID_BASE + n}-${suffix}`, title, price, currency,
    inventory_quantity: 10, image_url: null, status: 'active', ...stamps,
  });
  const variants: ShopData['variants'] = [
    variant(1, 'MUG', 'Default — 🎉', '12.00', DEMO_STORE.currency),
    variant(2, 'NEG', 'Refund me', '-5.00', DEMO_STORE.currency),
    variant(3, 'EUR', 'One size', '19.99', OTHER_CURRENCY_VARIANT),
  ];

  const user = (n: number, email: string, first: string | null, last: string | null, optIn: boolean): ShopData['users'][number] => ({
    id: id(n), email, first_name: first, last_name: last, marketing_opt_in: optIn, marketing_opt_in_at: optIn ? created : null, ...stamps,
  });
  const users: ShopData['users'] = [
    user(1, 'bob@@example', 'Bob', 'Doubleat', true),
    user(2, 'no-at-sign', 'Nora', null, false),
    user(3, 'trailing space@x.com ', 'Trailing', 'Space', true),
    user(4, 'trailing.space@x.com ', 'Trailing', 'Space ✅', true),
    user(5, ' Zoe.Unicorn@Example.COM', '<b>Zoë</b> 🦄', '&lt;script&gt;alert(1)&lt;/script&gt;', true),
  ];

  // Every order: one line of the 12.00 mug (product 1, variant 1); totals add up.
  const order = (
    n: number,
    who: { user_id: string } | { guest_email: string; guest_first_name: string | null; guest_last_name: string | null },
    currency: string,
  ): ShopData['orders'][number] => ({
    id: id(n), order_number: orderNumber(BAD_ROWS_ID_BASE + n), user_id: null, guest_email: null, guest_first_name: null,
    guest_last_name: null, ...who, status: 'paid', currency, discount_total: '0.00', tax_total: '0.99', shipping_total: '4.99',
    order_total: centsToString(1200 + 99 + 499), promo_code: null, campaign_id: null,
    landing_site: `https://${DEMO_STORE.domain}/?utm_campaign=%F0%9F%8E%89&q=<b>`, ordered_at: at(48 - n), updated_at: at(47 - n),
  });
  const orders: ShopData['orders'] = [
    order(1, { guest_email: 'bob@@example', guest_first_name: 'Bob', guest_last_name: null }, DEMO_STORE.currency),
    order(2, { guest_email: 'no-at-sign', guest_first_name: null, guest_last_name: null }, DEMO_STORE.currency),
    order(3, { user_id: id(5) }, OTHER_CURRENCY_ORDER),
    order(4, { guest_email: 'TRAILING.SPACE@X.COM ', guest_first_name: 'Trailing', guest_last_name: 'Space' }, DEMO_STORE.currency),
    order(5, { guest_email: 'emoji.fan@example.com', guest_first_name: '🎉🎉', guest_last_name: '<img src=x onerror=alert(1)>' }, DEMO_STORE.currency),
  ];
  const orderLines: ShopData['orderLines'] = orders.map((o, k) => ({
    id: id(k + 1), order_id: o.id, product_id: id(1), variant_id: id(1), quantity: 1, unit_price: '12.00', discount: '0.00', updated_at: o.updated_at,
  }));

  const promotions: ShopData['promotions'] = [
    {
      id: id(1), title: TOO_LONG_PROMO_TITLE, description: '<p>Party time 🎉</p>', discount_type: 'percentage', amount: '15.00',
      target: 'total', starts_at: null, ends_at: null, enabled: true, ...stamps,
    },
    {
      id: id(2), title: 'Ünïcode <b>Fiesta</b> 🪅 — $5 off', description: '<h1>Big</h1><p>sale &amp; more ✨</p>', discount_type: 'fixed',
      amount: '5.00', target: 'total', starts_at: at(2000), ends_at: new Date(DEMO_EPOCH.getTime() + 30 * 86_400_000), enabled: true, ...stamps,
    },
  ];
  const promoCodes: ShopData['promoCodes'] = [
    { id: id(1), promotion_id: id(1), code: 'PARTY15', usage_count: 0, enabled: true, ...stamps },
    { id: id(2), promotion_id: id(2), code: TOO_LONG_PROMO_CODE, usage_count: 3, enabled: true, ...stamps },
    { id: id(3), promotion_id: id(2), code: 'FIESTA🪅5', usage_count: 0, enabled: true, ...stamps },
  ];

  const settings: ShopData['settings'] = [
    { name: 'mailchimp_sync_enabled', value: '1', updated_at: DEMO_EPOCH },
    { name: 'always_opt_in', value: '1', updated_at: DEMO_EPOCH },
    { name: 'store_name', value: DEMO_STORE.name, updated_at: DEMO_EPOCH },
    { name: 'store_domain', value: DEMO_STORE.domain, updated_at: DEMO_EPOCH },
    { name: 'store_currency', value: DEMO_STORE.currency, updated_at: DEMO_EPOCH },
  ];
  return { settings, products, variants, users, orders, orderLines, promotions, promoCodes, carts: [], cartLines: [] };
}

/** The fixture rows, including the same shop_settings as the demo (store currency USD). */
export const BAD_ROWS: ShopData = buildBadRows();

/** A fresh deep copy of the fixture, for a test that wants to modify it. */
export function badRows(): ShopData {
  return buildBadRows();
}

const TAGS: BadRowTag[] = [
  { table: 'users', id: id(1), reason: 'invalid_email', field: 'email', value: 'bob@@example' },
  { table: 'users', id: id(2), reason: 'invalid_email', field: 'email', value: 'no-at-sign' },
  { table: 'users', id: id(3), reason: 'invalid_email', field: 'email', value: 'trailing space@x.com ' },
  { table: 'orders', id: id(1), reason: 'invalid_email', field: 'guest_email', value: 'bob@@example' },
  { table: 'orders', id: id(2), reason: 'invalid_email', field: 'guest_email', value: 'no-at-sign' },
  { table: 'product_variants', id: id(2), reason: 'negative_price', field: 'price', value: '-5.00', owner: { table: 'products', id: id(2) } },
  { table: 'products', id: id(2), reason: 'negative_price', field: 'price', value: '-5.00' },
  { table: 'product_variants', id: id(3), reason: 'currency_mismatch', field: 'currency', value: OTHER_CURRENCY_VARIANT, owner: { table: 'products', id: id(3) } },
  { table: 'products', id: id(3), reason: 'currency_mismatch', field: 'currency', value: OTHER_CURRENCY_VARIANT },
  { table: 'orders', id: id(3), reason: 'currency_mismatch', field: 'currency', value: OTHER_CURRENCY_ORDER },
  { table: 'promo_codes', id: id(2), reason: 'promo_code_too_long', field: 'code', value: TOO_LONG_PROMO_CODE },
  { table: 'promotions', id: id(1), reason: 'promo_title_too_long', field: 'title', value: TOO_LONG_PROMO_TITLE },
];

/**
 * Why each bad row is bad, keyed `table:id` (see badRowKey). A product appears when one of its variants is bad,
 * because the product is what the sync sends; the variant's own entry names it as `owner`.
 */
export const BAD_ROW_REASONS: ReadonlyMap<string, BadRowTag> = new Map(TAGS.map((t) => [badRowKey(t.table, t.id), t]));

/** Rows that look wrong but are valid and must be synced. */
export const MESSY_VALID_ROWS: readonly MessyValidRow[] = [
  { table: 'users', id: id(4), note: 'e-mail with a trailing space: valid once trimmed' },
  { table: 'users', id: id(5), note: 'leading space and mixed-case e-mail; HTML and emoji in both names' },
  { table: 'orders', id: id(4), note: 'guest e-mail upper-case with a trailing space: the same person as user 900004' },
  { table: 'orders', id: id(5), note: 'emoji and an HTML tag as guest names; emoji-encoded landing site' },
  { table: 'products', id: id(1), note: 'HTML, emoji and curly quotes in the title; a <script> in the description' },
  { table: 'products', id: id(4), note: 'variant-less; emoji and HTML entities in the title; NULL description' },
  { table: 'promotions', id: id(2), note: 'unicode, HTML and emoji in title and description (title under 100 bytes)' },
  { table: 'promo_codes', id: id(1), note: 'ordinary code of the promotion whose title is too long' },
  { table: 'promo_codes', id: id(3), note: 'emoji in the code' },
];
