/**
 * Pure, deterministic demo-shop generator: the same options always give deep-equal rows.
 * No clock and no Math.random: dates are offsets from DEMO_EPOCH drawn from a seeded Random.
 *
 * Shape of the data (valid, but messy like a real shop):
 * - products with 0–5 variants (about a third with none), unicode/emoji titles, HTML descriptions, some NULL
 *   category/vendor/seo_url/image_url, statuses active/inactive/deleted; SKUs are unique; every price is USD and ≥ 0.
 * - registered users with mixed marketing consent, unicode names (some NULL), e-mails that are sometimes mixed-case
 *   or wrapped in whitespace (all valid once trimmed).
 * - orders from guests and users in every status, 1–4 lines each, some with promo codes, campaign ids and landing sites;
 * - addresses on users and orders (some empty, partial or with an invalid country code), tracking on shipped orders
 *   (locations.ts).
 *   Money: order_total = Σ quantity × unit_price − discount_total + tax_total + shipping_total, and
 *   Σ line.discount ≤ discount_total (per-item promotions put their discount on the lines; others on the order).
 * - promotions (percentage 5–50 or fixed; per_item/total/shipping; some disabled or expired) with 1–3 codes each;
 *   usage_count is the number of demo orders that used the code.
 */
import type {
  CartRow,
  OrderLineRow,
  OrderRow,
  OrderStatus,
  ProductRow,
  PromoCodeRow,
  PromotionRow,
  UserRow,
  VariantRow,
} from '../../mapping/shop-rows';
import { withLocations } from './locations';
import { generateCarts, type SeedCartLine } from './carts';
import { Random } from '../../util/random';
import {
  ADJECTIVES,
  CATEGORIES,
  EMAIL_DOMAINS,
  FIRST_NAMES,
  LAST_NAMES,
  MATERIALS,
  NOUNS,
  OPTION_SETS,
  PROMO_TITLE_EMOJI,
  PROMO_WORDS,
  TITLE_EMOJI,
  VENDORS,
  type Name,
} from './vocabulary';

/** A row of `shop_settings`. */
export interface ShopSettingRow {
  name: string;
  value: string;
  updated_at: Date;
}

/** An order line with its updated_at (the contract's; the sync itself never reads it as a field): its order's. */
export type SeedOrderLine = OrderLineRow & { updated_at: Date };

/** Rows for every contract table, with explicit ids; ids and money are strings as the database returns them. */
export interface ShopData {
  settings: ShopSettingRow[];
  products: ProductRow[];
  variants: VariantRow[];
  users: UserRow[];
  orders: OrderRow[];
  orderLines: SeedOrderLine[];
  promotions: PromotionRow[];
  promoCodes: PromoCodeRow[];
  carts: CartRow[];
  cartLines: SeedCartLine[];
}

export interface GenerateOptions {
  seed: number;
  products: number;
  customers: number;
  orders: number;
  promotions: number;
  /** Carts (carts.ts; default none): their orders (converted, ordered later) come after the `orders` others. */
  carts?: number;
  /** The carts' "now" (default DEMO_EPOCH): the demo seed passes the real clock, so its abandoned carts are recent. */
  cartsAt?: Date;
}

/** Carts of the demo (`npm start`, and `npm run seed -- --carts N`). */
export const DEFAULT_CARTS = 60;

/** A small demo. */
export const DEFAULT_SIZES = { products: 200, customers: 500, orders: 1000, promotions: 20 } as const;
export const DEFAULT_SEED = 42;

/** Every demo date is an offset from this instant; "now" in the demo. */
export const DEMO_EPOCH = new Date('2026-01-01T00:00:00.000Z');

export const DEMO_STORE = {
  name: 'Démo Boutique ✨ Ünïcode & Co. — 東京',
  domain: 'demo-shop.example',
  currency: 'USD',
} as const;

export const ORDER_STATUSES: readonly OrderStatus[] = ['pending', 'paid', 'shipped', 'cancelled', 'refunded', 'partially_refunded'];

const EPOCH = DEMO_EPOCH.getTime();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Cents as a DECIMAL(12,2) string: 1999 → "19.99", -5 → "-0.05". */
export function centsToString(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents));
  const frac = abs % 100;
  return `${sign}${Math.floor(abs / 100)}.${frac < 10 ? '0' : ''}${frac}`;
}

/** A DECIMAL string as integer cents: "19.99" → 1999. */
export function stringToCents(value: string): number {
  return Math.round(Number(value) * 100);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Stable formats, each a function of the row id only, so unique columns stay unique whatever the seed. */
export const productCode = (id: number): string => `P-${pad(id, 6)}`;
export const orderNumber = (id: number): string => `SO-${100000 + id}`;
const variantSku = (id: number, suffix: string): string => `SKU-${pad(id, 6)}-${suffix}`;

function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** A date at a random millisecond in [from, to]. */
function dateBetween(rng: Random, from: number, to: number): Date {
  return new Date(from + Math.floor(rng.next() * Math.max(0, to - from)));
}

function validateOptions(options: GenerateOptions): void {
  for (const key of ['products', 'customers', 'orders', 'promotions'] as const) {
    const n = options[key];
    if (!Number.isInteger(n) || n < 0) throw new Error(`${key} must be a non-negative whole number, got ${n}`);
  }
  if (!Number.isInteger(options.seed)) throw new Error(`seed must be a whole number, got ${options.seed}`);
  if (options.orders > 0 && options.products === 0) throw new Error('orders need at least one product');
}

/** Internal: per-product facts the order generator needs. */
interface Catalogue {
  /** Index → price in cents for a variant-less product. */
  basePrice: number[];
  /** Index → indices into the variants array. */
  variantsOf: number[][];
  active: number[];
  deleted: number[];
}

function generateProducts(rng: Random, count: number): { products: ProductRow[]; variants: VariantRow[]; catalogue: Catalogue } {
  const products: ProductRow[] = [];
  const variants: VariantRow[] = [];
  const catalogue: Catalogue = { basePrice: [], variantsOf: [], active: [], deleted: [] };

  for (let i = 0; i < count; i++) {
    const id = i + 1;
    const code = productCode(id);
    let title = `${rng.pick(ADJECTIVES)} ${rng.pick(MATERIALS)} ${rng.pick(NOUNS)}`;
    if (rng.chance(0.2)) title += ` ${rng.pick(TITLE_EMOJI)}`;
    if (rng.chance(0.05)) title = `“${title}” — Limited Edition`;
    // Product 2 is always deleted (old orders reference it); the rest by weight.
    const drawn = rng.weighted({ active: 85, inactive: 8, deleted: 7 });
    const status = i === 1 ? 'deleted' : drawn;
    const createdAt = dateBetween(rng, EPOCH - 1095 * DAY, EPOCH - 30 * DAY);
    const updatedAt = dateBetween(rng, createdAt.getTime(), EPOCH);
    const publishedAt =
      status === 'inactive' && rng.chance(0.5)
        ? null
        : dateBetween(rng, createdAt.getTime(), Math.min(updatedAt.getTime(), createdAt.getTime() + 7 * DAY));
    const slug = slugify(title);
    const dollars = rng.weighted({ cheap: 40, mid: 45, dear: 15 });
    const baseCents =
      (dollars === 'cheap' ? rng.int(2, 19) : dollars === 'mid' ? rng.int(20, 89) : rng.int(90, 349)) * 100 + rng.pick([99, 0, 50, 95]);

    products.push({
      id: String(id),
      code,
      title,
      description: rng.chance(0.1) ? null : describe(rng, title),
      category: rng.chance(0.15) ? null : rng.pick(CATEGORIES),
      vendor: rng.chance(0.2) ? null : rng.pick(VENDORS),
      seo_url: rng.chance(0.25) ? null : `https://${DEMO_STORE.domain}/products/${slug}`,
      image_url: rng.chance(0.2) ? null : `https://cdn.${DEMO_STORE.domain}/images/${code.toLowerCase()}.jpg`,
      status,
      published_at: publishedAt,
      created_at: createdAt,
      updated_at: updatedAt,
    });
    catalogue.basePrice.push(baseCents);
    if (status === 'active') catalogue.active.push(i);
    if (status === 'deleted') catalogue.deleted.push(i);

    // Product 1 never has variants; about a third of the others have none either.
    const drawnCount = Number(rng.weighted({ 0: 35, 1: 15, 2: 15, 3: 15, 4: 10, 5: 10 }));
    const variantCount = i === 0 ? 0 : drawnCount;
    const options = rng.pick(OPTION_SETS);
    const values = rng.sampleIndices(options.values.length, variantCount).sort((a, b) => a - b);
    const mine: number[] = [];
    for (let v = 0; v < values.length; v++) {
      const vid = variants.length + 1;
      const value = options.values[values[v]];
      const vCreated = dateBetween(rng, createdAt.getTime(), updatedAt.getTime());
      // Bigger options cost a little more; now and then a free sample.
      const price = rng.chance(0.01) ? 0 : baseCents + v * rng.pick([0, 0, 100, 200, 500]);
      mine.push(variants.length);
      variants.push({
        id: String(vid),
        product_id: String(id),
        sku: variantSku(vid, value.a),
        title: `${options.name}: ${value.d}`,
        price: centsToString(price),
        currency: DEMO_STORE.currency,
        inventory_quantity: rng.chance(0.15) ? null : rng.chance(0.1) ? 0 : rng.int(1, 250),
        image_url: rng.chance(0.5) ? null : `https://cdn.${DEMO_STORE.domain}/images/${code.toLowerCase()}-${value.a.toLowerCase()}.jpg`,
        status: status === 'deleted' || (values.length > 1 && rng.chance(0.08)) ? 'deleted' : 'active',
        created_at: vCreated,
        updated_at: dateBetween(rng, vCreated.getTime(), updatedAt.getTime()),
      });
    }
    catalogue.variantsOf.push(mine);
  }
  return { products, variants, catalogue };
}

function describe(rng: Random, title: string): string {
  const esc = title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  const parts = [`<p>Meet our <strong>${esc}</strong> — made to last.</p>`];
  if (rng.chance(0.5)) parts.push('<ul><li>Fair-trade materials 🌍</li><li>Ships in 1&ndash;2 days</li><li>Care: hand wash &amp; dry flat</li></ul>');
  if (rng.chance(0.3)) parts.push(`<p><em>Limited stock!</em>&nbsp;<a href="https://${DEMO_STORE.domain}/pages/faq">FAQ</a></p>`);
  if (rng.chance(0.2)) parts.push('<p>Größe &amp; Passform: normal.<br/>Taille : normale. 😊</p>');
  return parts.join('\n');
}

/** Capitalises each dot/at-separated part: "zoe.smith1@example.com" → "Zoe.Smith1@Example.Com". */
function titleCaseEmail(email: string): string {
  return email.replace(/(^|[.@+])([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

/** The same address in a casing different from `email` (whitespace trimmed). */
function otherCasing(rng: Random, email: string): string {
  const trimmed = email.trim();
  const lower = trimmed.toLowerCase();
  if (trimmed !== lower) return rng.chance(0.5) ? lower : lower.toUpperCase();
  const title = titleCaseEmail(lower);
  return title !== lower ? title : lower.toUpperCase();
}

function emailFor(rng: Random, first: Name, last: Name, tag: string): string {
  const domain = rng.pick(EMAIL_DOMAINS);
  const shape = rng.weighted({ dotted: 60, plain: 25, plus: 15 });
  const local =
    shape === 'dotted' ? `${first.a}.${last.a}${tag}` : shape === 'plain' ? `${first.a}${tag}` : `${first.a[0]}${last.a}+shop${tag}`;
  return `${local}@${domain}`;
}

function generateUsers(rng: Random, count: number): UserRow[] {
  const users: UserRow[] = [];
  for (let i = 0; i < count; i++) {
    const id = i + 1;
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    let email = emailFor(rng, first, last, String(id));
    const mess = rng.weighted({ clean: 84, mixedCase: 12, whitespace: 4 });
    if (mess === 'mixedCase') email = titleCaseEmail(email);
    if (mess === 'whitespace') email = rng.pick([`  ${email}`, `${email} `, ` ${titleCaseEmail(email)}  `]);
    const createdAt = dateBetween(rng, EPOCH - 1095 * DAY, EPOCH - DAY);
    const optIn = rng.chance(0.55);
    const optInAt = optIn ? dateBetween(rng, createdAt.getTime(), EPOCH) : null;
    const touched = dateBetween(rng, createdAt.getTime(), EPOCH);
    users.push({
      id: String(id),
      email,
      first_name: rng.chance(0.08) ? null : first.d,
      last_name: rng.chance(0.1) ? null : last.d,
      marketing_opt_in: optIn,
      marketing_opt_in_at: optInAt,
      created_at: createdAt,
      updated_at: optInAt && optInAt > touched ? optInAt : touched,
    });
  }
  return users;
}

/** Internal: a promotion's usable window and discount rule, in numbers. */
interface PromoRule {
  startsAt: number;
  endsAt: number;
  type: 'percentage' | 'fixed';
  /** Percent (5–50) or cents. */
  amount: number;
  target: 'per_item' | 'total' | 'shipping';
}

function generatePromotions(rng: Random, count: number): { promotions: PromotionRow[]; promoCodes: PromoCodeRow[]; rules: PromoRule[]; codeOwner: number[] } {
  const promotions: PromotionRow[] = [];
  const promoCodes: PromoCodeRow[] = [];
  const rules: PromoRule[] = [];
  const codeOwner: number[] = [];
  const seen = new Set<string>();

  for (let i = 0; i < count; i++) {
    const id = i + 1;
    // The first is an always-on welcome offer, the second has expired, the third is disabled: all kinds are present.
    const kind = i === 0 ? 'evergreen' : i === 1 ? 'expired' : rng.weighted({ evergreen: 15, expired: 30, running: 40, future: 15 });
    let startsAt: Date | null = null;
    let endsAt: Date | null = null;
    if (kind === 'expired') {
      startsAt = dateBetween(rng, EPOCH - 720 * DAY, EPOCH - 60 * DAY);
      endsAt = dateBetween(rng, startsAt.getTime() + 7 * DAY, startsAt.getTime() + 59 * DAY);
    } else if (kind === 'running') {
      startsAt = dateBetween(rng, EPOCH - 120 * DAY, EPOCH - DAY);
      endsAt = rng.chance(0.2) ? null : dateBetween(rng, EPOCH + 7 * DAY, EPOCH + 90 * DAY);
    } else if (kind === 'future') {
      startsAt = dateBetween(rng, EPOCH + DAY, EPOCH + 30 * DAY);
      endsAt = dateBetween(rng, startsAt.getTime() + 7 * DAY, startsAt.getTime() + 30 * DAY);
    }
    const target = i === 0 ? 'total' : rng.weighted({ per_item: 35, total: 45, shipping: 20 });
    const type = i === 0 ? 'percentage' : rng.weighted({ percentage: 60, fixed: 40 });
    const amount =
      i === 0 ? 10 : type === 'percentage' ? (rng.chance(0.7) ? rng.int(1, 10) * 5 : rng.int(5, 50)) : target === 'shipping' ? rng.pick([499, 999]) : rng.pick([5, 10, 15, 20, 25]) * 100;
    const enabled = i === 2 ? false : rng.chance(0.85);
    const amountText = type === 'percentage' ? `${amount}%` : `$${centsToString(amount).replace(/\.00$/, '')}`;
    const word = i === 0 ? 'WELCOME' : rng.pick(PROMO_WORDS);
    let title =
      target === 'shipping'
        ? type === 'fixed'
          ? 'Free shipping'
          : `${amountText} off shipping`
        : target === 'per_item'
          ? `${amountText} off every item`
          : `${amountText} off your order`;
    title = i === 0 ? `Welcome! ${title}` : `${word[0]}${word.slice(1).toLowerCase()} — ${title}`;
    if (rng.chance(0.4)) title += ` ${rng.pick(PROMO_TITLE_EMOJI)}`;
    // Created before it starts; the welcome offer predates every demo order.
    const createdAt = startsAt
      ? dateBetween(rng, startsAt.getTime() - 14 * DAY, startsAt.getTime() - HOUR)
      : i === 0
        ? dateBetween(rng, EPOCH - 800 * DAY, EPOCH - 740 * DAY)
        : dateBetween(rng, EPOCH - 800 * DAY, EPOCH - 30 * DAY);
    const createdMs = Math.min(createdAt.getTime(), EPOCH - HOUR);
    promotions.push({
      id: String(id),
      title,
      description: rng.chance(0.15) ? null : `<p>Save <strong>${amountText}</strong> ${target === 'shipping' ? 'on shipping' : 'today'} 🎉</p>`,
      discount_type: type,
      amount: type === 'percentage' ? centsToString(amount * 100) : centsToString(amount),
      target,
      starts_at: startsAt,
      ends_at: endsAt,
      enabled,
      created_at: new Date(createdMs),
      updated_at: dateBetween(rng, createdMs, EPOCH),
    });
    // Without a start date a promotion is usable from its creation on.
    rules.push({ startsAt: startsAt ? startsAt.getTime() : createdMs, endsAt: endsAt ? endsAt.getTime() : Infinity, type, amount, target });

    const codeCount = rng.int(1, 3);
    const numeric = type === 'percentage' ? amount : Math.round(amount / 100);
    for (let c = 0; c < codeCount; c++) {
      const cid = promoCodes.length + 1;
      let code = c === 0 ? `${word}${numeric}` : `${word}${numeric}-${rng.pick(['VIP', 'EMAIL', 'INSTA', 'TIKTOK', 'FRIENDS'])}`;
      if (seen.has(code)) code = `${code}-${cid}`;
      seen.add(code);
      const cCreated = dateBetween(rng, createdMs, Math.min(createdMs + DAY, EPOCH));
      promoCodes.push({
        id: String(cid),
        promotion_id: String(id),
        code,
        usage_count: 0,
        enabled: enabled ? rng.chance(0.9) : rng.chance(0.3),
        created_at: cCreated,
        updated_at: dateBetween(rng, cCreated.getTime(), EPOCH),
      });
      codeOwner.push(i);
    }
  }
  return { promotions, promoCodes, rules, codeOwner };
}

interface Guest {
  email: string;
  first: string | null;
  last: string | null;
}

function orderStatusFor(rng: Random, ageMs: number): OrderStatus {
  if (ageMs < 2 * DAY) return rng.weighted({ pending: 40, paid: 50, cancelled: 10 });
  if (ageMs < 7 * DAY) return rng.weighted({ pending: 5, paid: 45, shipped: 40, cancelled: 10 });
  return rng.weighted({ shipped: 70, paid: 3, cancelled: 9, refunded: 8, partially_refunded: 8, pending: 2 });
}

function laterUpdate(rng: Random, status: OrderStatus, orderedAt: number): Date {
  const range =
    status === 'pending' ? 0 : status === 'paid' ? 2 * HOUR : status === 'shipped' ? 5 * DAY : status === 'cancelled' ? 2 * DAY : 30 * DAY;
  const t = orderedAt + Math.floor(rng.next() * range);
  return new Date(Math.min(t, EPOCH));
}

/** Generates the whole demo shop. Pure: no I/O, no clock, no global randomness. */
export function generateShop(options: GenerateOptions): ShopData {
  validateOptions(options);
  // Separate streams per table, so changing one size does not reshuffle the others.
  const productRng = new Random(options.seed * 7 + 1);
  const userRng = new Random(options.seed * 7 + 2);
  const promoRng = new Random(options.seed * 7 + 3);
  const orderRng = new Random(options.seed * 7 + 4);

  const { products, variants, catalogue } = generateProducts(productRng, options.products);
  const plainUsers = generateUsers(userRng, options.customers);
  const { promotions, promoCodes, rules, codeOwner } = generatePromotions(promoRng, options.promotions);
  const generated = generateOrders(orderRng, options.orders, { products, variants, catalogue, users: plainUsers, promoCodes, rules, codeOwner });
  // Addresses and tracking come from a stream of their own: the rest of the shop is the same with or without them.
  const { users, orders } = withLocations(new Random(options.seed * 13 + 11), plainUsers, generated.orders);
  const { orderLines } = generated;

  const settings: ShopSettingRow[] = [
    { name: 'mailchimp_sync_enabled', value: '1', updated_at: DEMO_EPOCH },
    { name: 'always_opt_in', value: '1', updated_at: DEMO_EPOCH },
    { name: 'store_name', value: DEMO_STORE.name, updated_at: DEMO_EPOCH },
    { name: 'store_domain', value: DEMO_STORE.domain, updated_at: DEMO_EPOCH },
    { name: 'store_currency', value: DEMO_STORE.currency, updated_at: DEMO_EPOCH },
  ];
  const carts = generateCarts(new Random(options.seed * 7 + 5), options.carts ?? 0, {
    now: options.cartsAt ?? DEMO_EPOCH, products, variants, users, currency: DEMO_STORE.currency,
    nextOrderId: orders.length + 1, nextOrderLineId: orderLines.length + 1, orderNumber, centsToString,
  });
  return {
    settings, products, variants, users, orders: [...orders, ...carts.orders], orderLines: [...orderLines, ...carts.orderLines], promotions, promoCodes,
    carts: carts.carts, cartLines: carts.cartLines,
  };
}

interface OrderContext {
  products: ProductRow[];
  variants: VariantRow[];
  catalogue: Catalogue;
  users: UserRow[];
  promoCodes: PromoCodeRow[];
  rules: PromoRule[];
  codeOwner: number[];
}

function generateOrders(rng: Random, count: number, ctx: OrderContext): { orders: OrderRow[]; orderLines: SeedOrderLine[] } {
  const { catalogue, users, variants, promoCodes, rules, codeOwner } = ctx;
  const orders: OrderRow[] = [];
  const orderLines: SeedOrderLine[] = [];
  if (count === 0) return { orders, orderLines };

  // Order times first, oldest first, so ids and order numbers grow with time.
  const times: number[] = new Array<number>(count);
  for (let i = 0; i < count; i++) times[i] = EPOCH - 730 * DAY + Math.floor(rng.next() * 730 * DAY);
  times.sort((a, b) => a - b);

  // Statuses that must appear at least once, on distinct random orders.
  const forcedStatus = new Map<number, OrderStatus>();
  rng.sampleIndices(count, ORDER_STATUSES.length).forEach((idx, k) => forcedStatus.set(idx, ORDER_STATUSES[k]));
  const forcedPromoOrder = promoCodes.length > 0 ? rng.int(0, count - 1) : -1;

  const guestPool: Guest[] = [];
  const guestPoolSize = Math.max(1, Math.ceil((count * 0.3) / 1.6));
  const allProducts = catalogue.basePrice.map((_p, i) => i);
  const buyable = catalogue.active.length > 0 ? catalogue.active : allProducts;

  for (let i = 0; i < count; i++) {
    const id = i + 1;
    const orderedAt = times[i];
    const age = EPOCH - orderedAt;

    // Buyer: a registered user created before the order, else a guest.
    let user: UserRow | null = null;
    if (users.length > 0 && rng.chance(0.7)) {
      for (let attempt = 0; attempt < 5 && user === null; attempt++) {
        // Skewed towards low ids: some customers order again and again.
        const candidate = users[Math.floor(users.length * rng.next() ** 2)];
        if (candidate.created_at.getTime() <= orderedAt) user = candidate;
      }
    }
    let guest: Guest | null = null;
    if (user === null) {
      if (users.length > 0 && rng.chance(0.2)) {
        // A registered customer checking out as a guest, typing the address in another casing.
        const same = users[rng.int(0, users.length - 1)];
        guest = { email: otherCasing(rng, same.email), first: same.first_name, last: same.last_name };
      } else if (guestPool.length < guestPoolSize && (guestPool.length === 0 || rng.chance(0.6))) {
        const first = rng.pick(FIRST_NAMES);
        const last = rng.pick(LAST_NAMES);
        const g: Guest = {
          email: emailFor(rng, first, last, `.g${guestPool.length + 1}`),
          first: rng.chance(0.15) ? null : first.d,
          last: rng.chance(0.15) ? null : last.d,
        };
        guestPool.push(g);
        guest = g;
      } else {
        const g = rng.pick(guestPool);
        guest = rng.chance(0.15) ? { ...g, email: otherCasing(rng, g.email) } : g;
      }
    }

    // Promotion: a code whose promotion was running when the order was placed.
    let codeIdx = -1;
    if (promoCodes.length > 0 && (i === forcedPromoOrder || rng.chance(0.15))) {
      const usable: number[] = [];
      for (let c = 0; c < promoCodes.length; c++) {
        const r = rules[codeOwner[c]];
        if (r.startsAt <= orderedAt && orderedAt <= r.endsAt) usable.push(c);
      }
      if (usable.length > 0) codeIdx = rng.pick(usable);
    }
    const rule = codeIdx >= 0 ? rules[codeOwner[codeIdx]] : null;

    // Lines: old orders may reference products deleted since; the oldest order always does when any is deleted.
    const pool = age > 180 * DAY ? allProducts : buyable;
    const lineCount = Number(rng.weighted({ 1: 50, 2: 28, 3: 14, 4: 8 }));
    const used = new Set<string>();
    const lines: Array<{ p: number; v: number; qty: number; unit: number }> = [];
    for (let l = 0; l < lineCount; l++) {
      for (let attempt = 0; attempt < 4; attempt++) {
        const p = i === 0 && l === 0 && catalogue.deleted.length > 0 ? rng.pick(catalogue.deleted) : rng.pick(pool);
        const vs = catalogue.variantsOf[p];
        let v = -1;
        if (vs.length > 0) {
          const live = age > 180 * DAY ? vs : vs.filter((x) => variants[x].status === 'active');
          v = rng.pick(live.length > 0 ? live : vs);
        }
        const key = `${p}:${v}`;
        let unit = v >= 0 ? stringToCents(variants[v].price) : catalogue.basePrice[p];
        if (used.has(key) || (rule && unit === 0)) continue;
        // Prices change: some old orders were paid at an older price.
        if (age > 365 * DAY && rng.chance(0.15)) unit = Math.round(unit * 0.9);
        used.add(key);
        lines.push({ p, v, qty: Number(rng.weighted({ 1: 70, 2: 20, 3: 6, 5: 3, 12: 1 })), unit });
        break;
      }
    }
    if (lines.length === 0) {
      // Every attempt was a free product under a promotion: drop the promotion instead.
      codeIdx = -1;
      const p = rng.pick(pool);
      const vs = catalogue.variantsOf[p];
      const v = vs.length > 0 ? vs[0] : -1;
      lines.push({ p, v, qty: 1, unit: v >= 0 ? stringToCents(variants[v].price) : catalogue.basePrice[p] });
    }
    const activeRule = codeIdx >= 0 ? rule : null;

    let subtotal = 0;
    const lineDiscounts: number[] = [];
    for (const line of lines) {
      const gross = line.qty * line.unit;
      subtotal += gross;
      let d = 0;
      if (activeRule && activeRule.target === 'per_item' && gross > 0) {
        const raw = activeRule.type === 'percentage' ? (gross * activeRule.amount) / 100 : activeRule.amount * line.qty;
        d = Math.min(gross, Math.max(1, Math.round(raw)));
      }
      lineDiscounts.push(d);
    }
    let shipping = subtotal >= 7500 && rng.chance(0.8) ? 0 : rng.pick([499, 799, 999, 1499]);
    if (activeRule && activeRule.target === 'shipping' && shipping === 0) shipping = 999;
    let discount = lineDiscounts.reduce((a, b) => a + b, 0);
    if (activeRule && activeRule.target !== 'per_item') {
      const base = activeRule.target === 'total' ? subtotal : shipping;
      const raw = activeRule.type === 'percentage' ? (base * activeRule.amount) / 100 : activeRule.amount;
      discount = Math.min(base, Math.max(1, Math.round(raw)));
    }
    const taxable = activeRule && activeRule.target === 'shipping' ? subtotal : subtotal - discount;
    const tax = rng.chance(0.7) ? Math.round(taxable * rng.pick([0.06, 0.0725, 0.0825, 0.1])) : 0;
    const total = subtotal - discount + tax + shipping;

    const status = forcedStatus.get(i) ?? orderStatusFor(rng, age);
    const campaign = rng.chance(0.1) ? rng.hex(10) : null;
    const landing = rng.chance(0.2)
      ? rng.chance(0.5)
        ? `https://${DEMO_STORE.domain}/?utm_source=newsletter&utm_medium=email&utm_campaign=${campaign ?? 'spring_sale'}`
        : `/products/${slugify(ctx.products[lines[0].p].title)}?ref=insta&emoji=%F0%9F%94%A5`
      : null;
    if (codeIdx >= 0) promoCodes[codeIdx].usage_count++;

    orders.push({
      id: String(id),
      order_number: orderNumber(id),
      user_id: user ? user.id : null,
      guest_email: guest ? guest.email : null,
      guest_first_name: guest ? guest.first : null,
      guest_last_name: guest ? guest.last : null,
      status,
      currency: DEMO_STORE.currency,
      discount_total: centsToString(discount),
      tax_total: centsToString(tax),
      shipping_total: centsToString(shipping),
      order_total: centsToString(total),
      promo_code: codeIdx >= 0 ? promoCodes[codeIdx].code : null,
      campaign_id: campaign,
      landing_site: landing,
      ordered_at: new Date(orderedAt),
      updated_at: laterUpdate(rng, status, orderedAt),
    });
    const linesUpdatedAt = orders[orders.length - 1].updated_at;
    lines.forEach((line, l) => {
      orderLines.push({
        updated_at: linesUpdatedAt,
        id: String(orderLines.length + 1),
        order_id: String(id),
        product_id: String(line.p + 1),
        variant_id: line.v >= 0 ? variants[line.v].id : null,
        quantity: line.qty,
        unit_price: centsToString(line.unit),
        discount: centsToString(lineDiscounts[l]),
      });
    });
  }
  return { orders, orderLines };
}
