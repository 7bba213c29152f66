/**
 * Orders. Pending orders are not sent (the shop has not taken the money), unless SEND_PENDING_ORDERS is on
 * (settings.orders.sendPending): then they are sent with financial_status "pending" (Mailchimp's Order Confirmation)
 * and updated in place, under the same id, once paid. The order id is the order number; the
 * customer is md5 of the buyer's e-mail; products and variants are referenced by product code and SKU.
 */
import type { OrderLinePayload, OrderPatchPayload, OrderPayload } from '../mailchimp/schemas';
import { addressColumnsOf, type OrderAddressPrefix } from './address-columns';
import type { OrderRow, OrderStatus, OrderWithContext, ShopSettings } from './shop-rows';
import { CLEARED_ORDER_ADDRESS, mapOrderAddress, type AddressResult, type OrderAddress } from './address';
import { customerFromOrder } from './customer';
import { isoUtc } from './dates';
import { lineChanges, type LineChanges, type RemoteLine } from './lines';
import { productRemoteId, variantRemoteId } from './product';
import { nonNegativeMoney, normaliseCurrency, sameCurrency } from './money';
import { normaliseDomain } from './store';
import { invalid, ok, skip, type Mapped } from './result';
import { cleanText, quote, shorten } from './text';

/** financial_status / fulfillment_status per shop status (they trigger Mailchimp's order notifications). */
export const ORDER_STATUS_FIELDS: Record<OrderStatus, { financial_status: string; fulfillment_status?: string }> = {
  pending: { financial_status: 'pending' },
  paid: { financial_status: 'paid' },
  shipped: { financial_status: 'paid', fulfillment_status: 'shipped' },
  cancelled: { financial_status: 'cancelled' },
  refunded: { financial_status: 'refunded' },
  partially_refunded: { financial_status: 'partially_refunded' },
};

/** Whether orders in this status are sent: all but pending, and pending too with SEND_PENDING_ORDERS on. */
export function sendsStatus(status: OrderStatus, settings: Pick<ShopSettings, 'orders'>): boolean {
  return status !== 'pending' || settings.orders?.sendPending === true;
}

/** The statuses whose orders are not sent (what the source's "orders a sync sends" queries leave out). */
export function unsentStatuses(settings: Pick<ShopSettings, 'orders'>): OrderStatus[] {
  return sendsStatus('pending', settings) ? [] : ['pending'];
}

/**
 * `order_url`: ORDER_URL_TEMPLATE with every {domain} replaced by the store's bare domain, {id} by orders.id and
 * {number} by the URL-encoded order number. An empty template (the default) sends none, and so does a template
 * naming {domain} while the shop has no domain.
 */
export function orderUrl(template: string, domain: string, order: Pick<OrderRow, 'id' | 'order_number'>): string | undefined {
  if (template.trim() === '') return undefined;
  const bare = normaliseDomain(domain);
  if (template.includes('{domain}') && bare === '') return undefined;
  return template
    .split('{domain}').join(bare)
    .split('{id}').join(encodeURIComponent(String(order.id).trim()))
    .split('{number}').join(encodeURIComponent(order.order_number.trim()));
}

/** The order's shipping and billing address (mapping/address.ts), each with the warning that left it out, if any. */
export function orderAddresses(order: OrderRow): Record<'shipping_address' | 'billing_address', AddressResult<OrderAddress>> {
  const of = (prefix: OrderAddressPrefix, label: string) => mapOrderAddress(addressColumnsOf(order, prefix), () => `Order ${shorten(order.order_number)}'s ${label} address`);
  return { shipping_address: of('shipping_', 'shipping'), billing_address: of('billing_', 'billing') };
}

/**
 * What the order was sent without, and why (an address whose country code is not ISO 3166-1 alpha-2): recorded on
 * its sync state, which stays `synced`. Empty when nothing was left out.
 */
export function orderWarnings(ctx: OrderWithContext): string[] {
  return addressWarnings(orderAddresses(ctx.order));
}

function addressWarnings(addresses: ReturnType<typeof orderAddresses>): string[] {
  return Object.values(addresses).flatMap((a) => (a.warning === undefined ? [] : [a.warning]));
}

/**
 * Maps an order with its lines, buyer and promotion.
 * - skip: status pending (unless settings.orders.sendPending);
 * - order_url from settings.orders.urlTemplate (orderUrl); shipping_address / billing_address (orderAddresses: an
 *   invalid country code leaves that address out, the order is still sent); tracking_number, tracking_carrier,
 *   tracking_url when the row has them;
 * - fails: the source marked it not sendable (notSendable, e.g. a Stripe payment-only charge), currency other than the store's, a total/price/discount that is not a number or is negative, a negative
 *   quantity, no lines, no valid buyer e-mail, an invalid ordered_at, a line naming a product that cannot be sent at
 *   all (refusedProducts: "waits for a product") or a variant the product is sent without (refusedVariants);
 * - customer = { id: md5(email), email_address } (the caller upserts the customer with its consent first);
 * - promos = [{ code, amount_discounted: discount_total, type: the promotion's discount type }] when promo_code is
 *   set ('fixed' when the code's promotion is unknown: the amount is a money amount either way);
 * - cancelled → cancelled_at_foreign = updated_at (the shop keeps no separate cancellation time).
 */
export function mapOrder(ctx: OrderWithContext, settings: ShopSettings, seen?: { warnings?: string[] }): Mapped<OrderPayload> {
  const { order } = ctx;
  const subject = `Order ${shorten(order.order_number)}`;
  const fail = (what: string, field?: string): Mapped<OrderPayload> => invalid(`${subject} was not sent: ${what}`, field);

  if (!sendsStatus(order.status, settings)) return skip(`${subject} is pending: pending orders are not sent`);
  const statusFields = ORDER_STATUS_FIELDS[order.status];
  if (statusFields === undefined) return fail(`its status ${quote(String(order.status))} is unknown`, 'financial_status');

  if (ctx.notSendable !== undefined) return fail(ctx.notSendable, 'lines');

  const id = order.order_number.trim();
  if (id === '') return fail('its order number is empty', 'id');
  if (!sameCurrency(order.currency, settings.storeCurrency)) {
    return fail(`it is in ${shorten(order.currency, 12)} but the store's currency is ${settings.storeCurrency}`, 'currency_code');
  }

  const customer = customerFromOrder(ctx);
  if (customer.kind === 'skip') return skip(customer.reason);
  if (customer.kind === 'invalid') {
    const field = customer.field === undefined || customer.field === 'customer' ? 'customer' : `customer.${customer.field}`;
    return invalid(customer.reason, field);
  }

  const totals = {
    order_total: nonNegativeMoney(order.order_total, 'the order total'),
    discount_total: nonNegativeMoney(order.discount_total, 'the discount total'),
    tax_total: nonNegativeMoney(order.tax_total, 'the tax total'),
    shipping_total: nonNegativeMoney(order.shipping_total, 'the shipping total'),
  };
  for (const [field, r] of Object.entries(totals)) {
    if (!r.ok) return fail(r.problem, field);
  }
  const money = (r: (typeof totals)['order_total']): number => (r.ok ? r.value : 0);

  const processedAt = isoUtc(order.ordered_at);
  if (processedAt === undefined) return fail('its order date is not a valid date', 'processed_at_foreign');

  if (ctx.lines.length === 0) return fail('it has no lines', 'lines');
  const lines: OrderLinePayload[] = [];
  for (const line of ctx.lines) {
    // A product nothing of which can be sent: a fresh full sync sends neither it nor this order (nor the guest's
    // customer on its way), so an order sent before leaves Mailchimp.
    const productRefusal = ctx.refusedProducts?.[line.product_id];
    if (productRefusal !== undefined) return invalid(`${subject} waits for a product: ${productRefusal}`, 'lines');
    const refusal = line.variant_id === null ? undefined : ctx.refusedVariants?.[line.variant_id];
    if (refusal !== undefined) return fail(`line ${line.id} names a variant that is not sent: ${refusal}`, 'lines');
    const mapped = mapOrderLine(line);
    if (typeof mapped === 'string') return fail(mapped, 'lines');
    lines.push(mapped);
  }

  const payload: OrderPayload = {
    id,
    customer: { id: customer.payload.id, email_address: customer.payload.email_address },
    currency_code: normaliseCurrency(settings.storeCurrency),
    order_total: money(totals.order_total),
    discount_total: money(totals.discount_total),
    tax_total: money(totals.tax_total),
    shipping_total: money(totals.shipping_total),
    processed_at_foreign: processedAt,
    financial_status: statusFields.financial_status,
    lines,
  };
  if (statusFields.fulfillment_status !== undefined) payload.fulfillment_status = statusFields.fulfillment_status;
  const updatedAt = isoUtc(order.updated_at);
  if (updatedAt !== undefined) payload.updated_at_foreign = updatedAt;
  if (order.status === 'cancelled') payload.cancelled_at_foreign = updatedAt ?? processedAt;
  const campaignId = cleanText(order.campaign_id);
  if (campaignId !== undefined) payload.campaign_id = campaignId;
  const landingSite = cleanText(order.landing_site);
  if (landingSite !== undefined) payload.landing_site = landingSite;
  const url = orderUrl(settings.orders?.urlTemplate ?? '', settings.storeDomain, order);
  if (url !== undefined) payload.order_url = url;
  const addresses = orderAddresses(order);
  // What orderWarnings would say, for a caller that records it with the order (`seen`): the addresses are read once.
  if (seen) seen.warnings = addressWarnings(addresses);
  if (addresses.shipping_address.address) payload.shipping_address = addresses.shipping_address.address;
  if (addresses.billing_address.address) payload.billing_address = addresses.billing_address.address;
  for (const column of TRACKING_FIELDS) {
    const value = cleanText(order[column]);
    if (value !== undefined) payload[column] = value;
  }
  const promoCode = cleanText(order.promo_code);
  if (promoCode !== undefined) {
    payload.promos = [
      { code: promoCode, amount_discounted: money(totals.discount_total), type: ctx.promotion?.discount_type ?? 'fixed' },
    ];
  }
  return ok(payload);
}

/**
 * The Mailchimp product and variant ids an order line names: the ids the product sync gives the product and its
 * variants (mapping/product.ts), so the line finds them; a line without a variant, or whose variant row is gone or
 * has no SKU, names the variant called after the product code.
 */
export function lineRemoteIds(line: Pick<OrderWithContext['lines'][number], 'product_code' | 'variant_id' | 'variant_sku'>): { productId: string; variantId: string } {
  const productId = productRemoteId(line.product_code);
  const sku = line.variant_id === null || line.variant_sku === null ? '' : variantRemoteId(line.variant_sku);
  return { productId, variantId: sku === '' ? productId : sku };
}

/**
 * One order line, or the phrase saying why it cannot be sent.
 * product_variant_id = the variant's SKU, or the product code for a variant-less line (variant_id NULL, or a
 * variant whose SKU is unknown), matching the placeholder variant of a variant-less product.
 */
export function mapOrderLine(line: OrderWithContext['lines'][number]): OrderLinePayload | string {
  const label = `line ${line.id}`;
  const { productId: productCode, variantId } = lineRemoteIds(line);
  if (productCode === '') return `${label} has no product code`;
  if (!Number.isInteger(line.quantity)) return `the quantity ${quote(String(line.quantity))} of ${label} is not a whole number`;
  if (line.quantity < 0) return `the quantity ${line.quantity} of ${label} is negative`;
  const price = nonNegativeMoney(line.unit_price, `the unit price of ${label}`);
  if (!price.ok) return price.problem;
  const discount = nonNegativeMoney(line.discount, `the discount of ${label}`);
  if (!discount.ok) return discount.problem;
  return {
    id: line.id,
    product_id: productCode,
    product_variant_id: variantId,
    quantity: line.quantity,
    price: price.value,
    discount: discount.value,
  };
}

/**
 * The optional text fields of an order the sync manages, with the value that empties each in Mailchimp: a PATCH only
 * changes what it sends, so a field the shop emptied is sent as "" (docs/emulator.md, "Clearing a field").
 */
const CLEARED_ORDER_FIELDS = {
  campaign_id: '', landing_site: '', fulfillment_status: '', order_url: '', tracking_number: '', tracking_carrier: '', tracking_url: '',
  shipping_address: CLEARED_ORDER_ADDRESS, billing_address: CLEARED_ORDER_ADDRESS,
} as const;

/** The tracking columns, sent under the same names. */
const TRACKING_FIELDS = ['tracking_number', 'tracking_carrier', 'tracking_url'] as const;

/**
 * The PATCH body that updates an order already in Mailchimp: everything but `id`, `customer` (a PATCH customer has no
 * id or e-mail, and an order keeps the customer it was sent with) and `lines` (changed through the line routes, see
 * orderLineChanges). Text fields the order no longer has are sent as "": leaving `shipped` sends fulfillment_status "";
 * an address it no longer has is sent with every part "" (CLEARED_ORDER_ADDRESS).
 * `promos` is always present, [] when the order has none, because a PATCH replaces the promos entirely: this removes
 * a promo taken off the order. A date cannot be emptied by a PATCH: see needsOrderPut.
 */
export function orderPatchFrom(payload: OrderPayload): OrderPatchPayload {
  const { id: _id, customer: _customer, lines: _lines, ...rest } = payload;
  return { ...CLEARED_ORDER_FIELDS, ...rest, promos: rest.promos ?? [] };
}

/**
 * Whether Mailchimp's order (as its PATCH answered) keeps a cancellation the order no longer has (a cancelled order
 * reinstated). cancelled_at_foreign is a date-time, so "" is refused, and sending any date cancels the order: only
 * the full replacement (PUT /orders/{id}, orderPutFrom) empties it.
 */
export function needsOrderPut(remote: { cancelled_at_foreign?: unknown }, payload: OrderPayload): boolean {
  return payload.cancelled_at_foreign === undefined && typeof remote.cancelled_at_foreign === 'string' && remote.cancelled_at_foreign !== '';
}

/** The PUT body that replaces an order: the whole order, under the customer Mailchimp has it with (it cannot move). */
export function orderPutFrom(payload: OrderPayload, remoteCustomerId: string): OrderPayload {
  return { ...payload, customer: { id: remoteCustomerId } };
}

/** A line as Mailchimp holds it (its answer carries more fields, which are ignored). */
export type RemoteOrderLine = RemoteLine<OrderLinePayload>;
export type OrderLineChanges = LineChanges<OrderLinePayload>;

const LINE_FIELDS = ['product_id', 'product_variant_id', 'quantity', 'price', 'discount'] as const;

function lineDiffers(existing: RemoteOrderLine, line: OrderLinePayload): boolean {
  return LINE_FIELDS.some((field) => (field === 'discount' ? (existing.discount ?? 0) !== (line.discount ?? 0) : existing[field] !== line[field]));
}

/**
 * What turns the lines Mailchimp has into the lines the order has, matched by line id. A missing `discount` is
 * Mailchimp's 0.
 */
export function orderLineChanges(wanted: readonly OrderLinePayload[], current: readonly RemoteOrderLine[]): OrderLineChanges {
  return lineChanges(wanted, current, lineDiffers);
}
