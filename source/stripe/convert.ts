/**
 * Stripe objects → the source row types (mapping/shop-rows.ts), so the shared mapping and entity syncs apply unchanged.
 * Pure functions over the few fields read, typed loosely enough for both the real API and localstripe's shapes.
 *
 * Ids: product code = Stripe product id; variant sku = price id; order number = invoice id or checkout session id;
 * the buyer is the Stripe customer (user_id = customer id), or the purchase's e-mail when it has no customer.
 */
import type { OrderRow, OrderStatus, OrderWithContext, ProductWithVariants, UserRow, VariantRow } from '../../mapping/shop-rows';

export interface StripeProductLike {
  id: string;
  name: string;
  active: boolean;
  description?: string | null;
  images?: string[] | null;
  url?: string | null;
  created: number;
  updated?: number | null;
  metadata?: Record<string, string> | null;
}

/** A Price, or a legacy Plan (what localstripe has): amount in minor units. */
export interface StripePriceLike {
  id: string;
  object?: string;
  product: string | { id: string } | null;
  active: boolean;
  currency: string;
  unit_amount?: number | null;
  amount?: number | null;
  nickname?: string | null;
  created: number;
}

export interface StripeCustomerLike {
  id: string;
  email?: string | null;
  name?: string | null;
  created: number;
  deleted?: boolean;
}

export interface StripeLineLike {
  id: string;
  amount: number;
  currency: string;
  description?: string | null;
  quantity?: number | null;
  price?: StripePriceLike | null;
  plan?: StripePriceLike | null;
  discount_amounts?: Array<{ amount: number }> | null;
  /** Checkout session line items. */
  amount_total?: number;
  amount_subtotal?: number;
  amount_discount?: number;
}

/** The money movement behind a purchase: refunds change the order's status. */
export interface StripeChargeLike {
  id: string;
  amount: number;
  amount_refunded: number;
}

export interface StripePurchase {
  kind: 'invoice' | 'checkout_session';
  id: string;
  /** Invoice status (paid, open, …) or, for a session, paid when complete and paid, else pending. */
  paid: boolean;
  currency: string;
  total: number;
  tax: number;
  discount: number;
  shipping: number;
  createdAt: number;
  customerId: string | null;
  email: string | null;
  name: string | null;
  lines: StripeLineLike[];
  charge: StripeChargeLike | null;
}

/** ISO 4217 currencies Stripe counts in whole units (no minor unit). */
const ZERO_DECIMAL = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);
/** Three-decimal currencies. */
const THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

/** Stripe's integer amount in the currency's smallest unit → the decimal string the rows carry ("1250" USD → "12.50"). */
export function minorToDecimal(amount: number, currency: string): string {
  const code = currency.trim().toUpperCase();
  const digits = ZERO_DECIMAL.has(code) ? 0 : THREE_DECIMAL.has(code) ? 3 : 2;
  const negative = amount < 0;
  const abs = String(Math.abs(Math.trunc(amount)));
  if (digits === 0) return `${negative ? '-' : ''}${abs}`;
  const padded = abs.padStart(digits + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

function date(seconds: number | null | undefined): Date {
  return new Date((seconds ?? 0) * 1000);
}

function idOf(ref: string | { id: string } | null | undefined): string | null {
  if (ref == null) return null;
  return typeof ref === 'string' ? ref : ref.id;
}

/** The price a line bills: `price` in the current API, `plan` for subscription lines of older API versions. */
export function linePrice(line: StripeLineLike): StripePriceLike | null {
  return line.price ?? line.plan ?? null;
}

export function priceAmount(price: StripePriceLike): number {
  return price.unit_amount ?? price.amount ?? 0;
}

export function productFromStripe(product: StripeProductLike, prices: StripePriceLike[]): ProductWithVariants {
  const created = date(product.created);
  const updated = date(product.updated ?? product.created);
  const variants: VariantRow[] = prices.map((price) => ({
    id: price.id,
    product_id: product.id,
    sku: price.id,
    title: price.nickname?.trim() || product.name,
    price: minorToDecimal(priceAmount(price), price.currency),
    currency: price.currency.toUpperCase(),
    inventory_quantity: null,
    image_url: null,
    status: price.active ? 'active' : 'deleted',
    created_at: date(price.created),
    updated_at: date(price.created),
  }));
  return {
    product: {
      id: product.id,
      code: product.id,
      title: product.name,
      description: product.description ?? null,
      category: null,
      vendor: null,
      seo_url: product.url ?? null,
      image_url: product.images?.[0] ?? null,
      status: product.active ? 'active' : 'inactive',
      published_at: created,
      created_at: created,
      updated_at: updated,
    },
    variants,
  };
}

/** "Ada King Lovelace" → first "Ada", last "King Lovelace". */
export function splitName(name: string | null | undefined): { first: string | null; last: string | null } {
  const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return { first: null, last: null };
  return { first: parts[0], last: parts.length > 1 ? parts.slice(1).join(' ') : null };
}

/** Stripe keeps no marketing consent: customers are sent as transactional contacts (shop opt-in false). */
export function userFromStripe(customer: StripeCustomerLike): UserRow | null {
  if (!customer.email || customer.email.trim() === '') return null;
  const { first, last } = splitName(customer.name);
  const created = date(customer.created);
  return {
    id: customer.id, email: customer.email, first_name: first, last_name: last,
    marketing_opt_in: false, marketing_opt_in_at: null, created_at: created, updated_at: created,
  };
}

/** paid / refunded / partially_refunded from the charge, pending while not paid (the mapper does not send those). */
export function purchaseStatus(purchase: Pick<StripePurchase, 'paid' | 'charge'>): OrderStatus {
  if (!purchase.paid) return 'pending';
  const charge = purchase.charge;
  if (charge && charge.amount_refunded > 0) return charge.amount_refunded >= charge.amount ? 'refunded' : 'partially_refunded';
  return 'paid';
}

/**
 * A paid invoice or checkout session as an order. Lines that bill no Stripe product (payment-only charges: an
 * invoice item without a price, a custom amount) make the purchase not sendable: `notSendable` says why.
 */
export function orderFromStripe(purchase: StripePurchase, customer: StripeCustomerLike | null): OrderWithContext {
  const currency = purchase.currency.toUpperCase();
  const money = (amount: number) => minorToDecimal(amount, purchase.currency);
  const user = customer ? userFromStripe(customer) : null;
  const guest = user ? null : splitName(purchase.name);
  const at = date(purchase.createdAt);
  const order: OrderRow = {
    id: purchase.id,
    order_number: purchase.id,
    user_id: user ? user.id : null,
    guest_email: user ? null : purchase.email,
    guest_first_name: guest?.first ?? null,
    guest_last_name: guest?.last ?? null,
    status: purchaseStatus(purchase),
    currency,
    discount_total: money(purchase.discount),
    tax_total: money(purchase.tax),
    shipping_total: money(purchase.shipping),
    order_total: money(purchase.total),
    promo_code: null,
    campaign_id: null,
    landing_site: null,
    ordered_at: at,
    updated_at: at,
  };
  const unpriced: string[] = [];
  const lines: OrderWithContext['lines'] = [];
  for (const line of purchase.lines) {
    const price = linePrice(line);
    const productId = price ? idOf(price.product) : null;
    if (!price || !productId) {
      unpriced.push(line.description?.trim() || line.id);
      continue;
    }
    const quantity = line.quantity ?? 1;
    const gross = line.amount_subtotal ?? line.amount;
    const discount = line.amount_discount ?? (line.discount_amounts ?? []).reduce((sum, d) => sum + d.amount, 0);
    lines.push({
      id: line.id,
      order_id: purchase.id,
      product_id: productId,
      variant_id: price.id,
      quantity,
      unit_price: minorToDecimal(quantity > 0 ? Math.round(gross / quantity) : priceAmount(price), price.currency),
      discount: minorToDecimal(discount, price.currency),
      product_code: productId,
      variant_sku: price.id,
    });
  }
  const result: OrderWithContext = { order, lines, user, promotion: null };
  if (unpriced.length > 0) {
    result.notSendable = `${unpriced.length === 1 ? 'its line' : 'its lines'} ${unpriced.map((d) => JSON.stringify(d)).join(', ')} ` +
      'bill no Stripe product (a payment-only charge): only purchases of products created in Stripe are synced';
  }
  return result;
}
