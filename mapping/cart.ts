/**
 * Carts (Mailchimp's abandoned-cart automation). A cart is sent once it names a buyer's e-mail and has a line Mailchimp
 * can show; it leaves Mailchimp when it became an order (its order_id, or an order of the same buyer placed after the
 * cart's last change), when it is emptied, and when it is older than CART_MAX_AGE. Lines name products and variants
 * by the ids the product sync gives them (mapping/product.ts), and only variants that sync sends.
 */
import type { CartLinePayload, CartPatchPayload, CartPayload } from '../mailchimp/schemas';
import type { CartWithContext, ShopSettings } from './shop-rows';
import { mapCustomer, type CustomerInput, type MappedCustomer } from './customer';
import { lineChanges, type LineChanges, type RemoteLine } from './lines';
import { nonNegativeMoney, normaliseCurrency, sameCurrency } from './money';
import { planProduct, productRemoteId, variantRemoteId } from './product';
import { invalid, ok, skip, type Mapped } from './result';
import { normaliseDomain } from './store';
import { cleanText, quote, shorten } from './text';

export const DEFAULT_CART_URL_TEMPLATE = 'https://{domain}/cart/{id}';
export const DEFAULT_CART_MAX_AGE = '30 days';
export const DEFAULT_CART_MAX_AGE_MS = 30 * 24 * 3600 * 1000;

export interface CartOptions {
  /** The source's clock now (ISO 8601). */
  now: string;
  /** CART_MAX_AGE in milliseconds: a cart whose last change is older is not sent. */
  maxAgeMs: number;
  /** CART_URL_TEMPLATE: {domain} and {id} are replaced; empty = no checkout_url unless the row has one. */
  urlTemplate: string;
}

/** The mapping's options from CART_URL_TEMPLATE and CART_MAX_AGE (already in ms; defaults when left out) at `now`. */
export function cartOptions(config: { cartUrlTemplate?: string; cartMaxAgeMs?: number }, now: string): CartOptions {
  return { now, maxAgeMs: config.cartMaxAgeMs ?? DEFAULT_CART_MAX_AGE_MS, urlTemplate: config.cartUrlTemplate ?? DEFAULT_CART_URL_TEMPLATE };
}

/** A cart body (its customer without opt_in_status, which the consent policy adds) and its buyer. */
export interface MappedCart {
  payload: Omit<CartPayload, 'customer'> & { customer: MappedCustomer };
  buyer: { input: CustomerInput; shopOptIn: boolean };
}

/** Why a cart is not in Mailchimp by design (each also deletes a cart sent before). */
export type CartSkip = 'no_buyer' | 'empty' | 'converted' | 'too_old';

/** The skip reasons, with the kind the activity and the tests tell apart. */
export function cartSkipKind(reason: string): CartSkip | undefined {
  for (const [kind, phrase] of Object.entries(SKIP_PHRASES) as Array<[CartSkip, string]>) if (reason.includes(phrase)) return kind;
  return undefined;
}

const SKIP_PHRASES: Record<CartSkip, string> = {
  no_buyer: 'has no buyer e-mail yet',
  empty: 'has no line to show',
  converted: 'became an order',
  too_old: 'is older than CART_MAX_AGE',
};

/** The checkout URL: the row's, else the template with the store's bare domain and the cart id. */
export function checkoutUrl(template: string, domain: string, cartId: string, own: string | null): string | undefined {
  const row = cleanText(own);
  if (row !== undefined) return row;
  if (template.trim() === '') return undefined;
  const bare = normaliseDomain(domain);
  if (template.includes('{domain}') && bare === '') return undefined;
  return template.split('{domain}').join(bare).split('{id}').join(encodeURIComponent(cartId));
}

/** When the cart last changed: its own updated_at or a line's, whichever is later. */
export function cartLastChange(found: CartWithContext): Date {
  let last = new Date(found.cart.updated_at);
  for (const line of found.lines) {
    const at = new Date(line.updated_at);
    if (at > last) last = at;
  }
  return last;
}

/** Whether the cart became an order: it names one, or its buyer ordered after the cart's last change. */
export function isConverted(found: CartWithContext): boolean {
  if (found.cart.order_id !== null) return true;
  return found.buyerLastOrderedAt !== null && new Date(found.buyerLastOrderedAt) >= cartLastChange(found);
}

/** The buyer: the registered user when the row exists, else the guest e-mail (a guest is transactional: no consent column). */
export function cartBuyer(found: CartWithContext): MappedCart['buyer'] | undefined {
  const { cart, user } = found;
  if (cart.user_id !== null && user !== null) {
    return { input: { email: user.email, firstName: user.first_name, lastName: user.last_name, isGuest: false }, shopOptIn: user.marketing_opt_in };
  }
  if (cart.guest_email !== null && cart.guest_email.trim() !== '') {
    return { input: { email: cart.guest_email, firstName: cart.guest_first_name, lastName: null, isGuest: true }, shopOptIn: false };
  }
  return undefined;
}

/**
 * One line, or null when Mailchimp could not show it (its product is not sent, or not with this variant; a quantity
 * below 1), or the phrase saying why the cart cannot be sent (a price that is not a non-negative number).
 */
export function mapCartLine(line: CartWithContext['lines'][number], settings: ShopSettings): CartLinePayload | null | string {
  if (!line.product) return null;
  const planned = planProduct(line.product, settings);
  if (planned.kind !== 'ok') return null;
  const productId = productRemoteId(line.product.product.code);
  const sku = line.variant_id === null || line.variant_sku === null ? '' : variantRemoteId(line.variant_sku);
  const variantId = sku === '' ? productId : sku;
  if (!planned.payload.payload.variants.some((v) => v.id === variantId)) return null;
  if (!Number.isInteger(line.quantity) || line.quantity < 1) return null;
  const price = nonNegativeMoney(line.unit_price, `the unit price of line ${line.id}`);
  if (!price.ok) return price.problem;
  return { id: line.id, product_id: productId, product_variant_id: variantId, quantity: line.quantity, price: price.value };
}

/**
 * Maps a cart.
 * - skip (and a cart sent before is deleted): no buyer e-mail, converted, older than CART_MAX_AGE, no line left;
 * - fails: an empty id, another currency than the store's, a total or price that is not a non-negative number, an
 *   invalid e-mail;
 * - id = carts.id, customer = { id: md5(e-mail), email_address, names } (a guest: first name only), currency_code,
 *   order_total, tax_total (when set), checkout_url (the row's, else the template), campaign_id (when set), lines.
 */
export function mapCart(found: CartWithContext, settings: ShopSettings, options: CartOptions): Mapped<MappedCart> {
  const { cart } = found;
  const subject = `Cart ${shorten(cart.id)}`;
  const fail = (what: string, field?: string): Mapped<MappedCart> => invalid(`${subject} was not sent: ${what}`, field);

  if (isConverted(found)) return skip(`${subject} ${SKIP_PHRASES.converted}: it is not (or no longer) in Mailchimp`);
  const age = new Date(options.now).getTime() - cartLastChange(found).getTime();
  if (age > options.maxAgeMs) return skip(`${subject} ${SKIP_PHRASES.too_old}: it is not (or no longer) in Mailchimp`);
  const buyer = cartBuyer(found);
  if (!buyer) return skip(`${subject} ${SKIP_PHRASES.no_buyer}: it is sent once it has one`);

  if (cart.id.trim() === '') return fail('its id is empty', 'id');

  if (!sameCurrency(cart.currency, settings.storeCurrency)) {
    return fail(`it is in ${shorten(cart.currency, 12)} but the store's currency is ${settings.storeCurrency}`, 'currency_code');
  }
  const total = nonNegativeMoney(cart.order_total, 'the order total');
  if (!total.ok) return fail(total.problem, 'order_total');
  const tax = cart.tax_total === null ? undefined : nonNegativeMoney(cart.tax_total, 'the tax total');
  if (tax !== undefined && !tax.ok) return fail(tax.problem, 'tax_total');

  const lines: CartLinePayload[] = [];
  for (const line of found.lines) {
    const mapped = mapCartLine(line, settings);
    if (typeof mapped === 'string') return fail(mapped, 'lines');
    if (mapped !== null) lines.push(mapped);
  }
  if (lines.length === 0) return skip(`${subject} ${SKIP_PHRASES.empty}: it is not (or no longer) in Mailchimp`);

  const customer = mapCustomer(buyer.input, subject);
  if (customer.kind !== 'ok') return customer.kind === 'skip' ? skip(customer.reason) : invalid(customer.reason, `customer.${customer.field ?? 'email_address'}`);

  const payload: MappedCart['payload'] = {
    id: cart.id,
    customer: customer.payload,
    currency_code: normaliseCurrency(settings.storeCurrency),
    order_total: total.value,
    lines,
  };
  if (tax !== undefined && tax.ok) payload.tax_total = tax.value;
  const url = checkoutUrl(options.urlTemplate, settings.storeDomain, cart.id, cart.checkout_url);
  if (url !== undefined) payload.checkout_url = url;
  const campaignId = cleanText(cart.campaign_id);
  if (campaignId !== undefined) payload.campaign_id = campaignId;
  return ok({ payload, buyer });
}

/** The optional text fields of a cart the sync manages, with the value that empties each (a PATCH only changes what it sends). */
const CLEARED_CART_FIELDS = { campaign_id: '', checkout_url: '' } as const;

/**
 * The PATCH body that updates a cart in place (never a delete and a new POST: that drops the shopper from the
 * automation): every field but id, customer (a cart keeps its customer) and lines (changed through the line routes,
 * cartLineChanges); an emptied campaign_id or checkout_url is sent as "". A cleared tax_total cannot be emptied by a
 * PATCH: it is sent as 0.
 */
export function cartPatchFrom(payload: Pick<CartPayload, 'currency_code' | 'order_total' | 'tax_total' | 'checkout_url' | 'campaign_id'>): CartPatchPayload {
  const patch: CartPatchPayload = { ...CLEARED_CART_FIELDS, currency_code: payload.currency_code, order_total: payload.order_total, tax_total: payload.tax_total ?? 0 };
  if (payload.checkout_url !== undefined) patch.checkout_url = payload.checkout_url;
  if (payload.campaign_id !== undefined) patch.campaign_id = payload.campaign_id;
  return patch;
}

/** A cart without its campaign: what is sent again when Mailchimp does not know the campaign. */
export function withoutCampaign<T extends { campaign_id?: string }>(payload: T): T {
  const { campaign_id: _campaign, ...rest } = payload;
  return rest as T;
}

/** The log line (and sync-state note) when a cart was sent without its campaign. */
export function campaignDroppedNote(cartId: string, campaignId: string): string {
  return `Cart ${shorten(cartId)} was sent without its campaign_id ${quote(shorten(campaignId, 64))}: Mailchimp has no such campaign`;
}

export type RemoteCartLine = RemoteLine<CartLinePayload>;
export type CartLineChanges = LineChanges<CartLinePayload>;

const LINE_FIELDS = ['product_id', 'product_variant_id', 'quantity', 'price'] as const;

/** What turns the lines Mailchimp has into the lines the cart has, matched by line id. */
export function cartLineChanges(wanted: readonly CartLinePayload[], current: readonly RemoteCartLine[]): CartLineChanges {
  return lineChanges(wanted, current, (existing, line) => LINE_FIELDS.some((f) => existing[f] !== line[f]));
}
