import { z } from 'zod';
import { PROMO_TYPES, currencyCode, customerAddressSchema, emailAddress, isoDateTime, orderAddressSchema, resourceId } from './common';
import { customerId } from './customer';

const lineFields = {
  product_id: resourceId,
  product_variant_id: resourceId,
  quantity: z.number().int('must be a whole number'),
  price: z.number(),
  discount: z.number().optional(),
};

/** POST /orders/{order_id}/lines; also each entry of an order's `lines`. */
export const orderLineSchema = z.object({ id: resourceId, ...lineFields }).strip();

/** PATCH /orders/{order_id}/lines/{line_id}: the documented way to change a line in place (product, variant, amounts). */
export const orderLinePatchSchema = z.object(lineFields).partial().strip();

const orderPromoSchema = z
  .object({ code: z.string().min(1, 'must not be empty'), amount_discounted: z.number(), type: z.enum(PROMO_TYPES) })
  .strip();

const inlineCustomerDetails = {
  opt_in_status: z.boolean().optional(),
  company: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  address: customerAddressSchema.optional(),
};

/** Existing customers should send only `id`; new ones carry their details inline. */
const orderCustomerSchema = z
  .object({ id: customerId, email_address: emailAddress.optional(), ...inlineCustomerDetails })
  .strip();

const orderFields = {
  campaign_id: z.string().optional(),
  landing_site: z.string().optional(),
  /** Free strings (pending, paid, refunded, cancelled, ...): they trigger order notifications. */
  financial_status: z.string().optional(),
  fulfillment_status: z.string().optional(),
  currency_code: currencyCode,
  order_total: z.number(),
  order_url: z.string().optional(),
  discount_total: z.number().optional(),
  tax_total: z.number().optional(),
  shipping_total: z.number().optional(),
  tracking_code: z.enum(['prec']).optional(),
  processed_at_foreign: isoDateTime.optional(),
  /** Sending a value cancels the order. */
  cancelled_at_foreign: isoDateTime.optional(),
  updated_at_foreign: isoDateTime.optional(),
  shipping_address: orderAddressSchema.optional(),
  billing_address: orderAddressSchema.optional(),
  promos: z.array(orderPromoSchema).optional(),
  outreach: z.object({ id: z.string().optional() }).strip().optional(),
  tracking_number: z.string().optional(),
  tracking_carrier: z.string().optional(),
  tracking_url: z.string().optional(),
};

/** POST /orders. */
export const orderSchema = z
  .object({ id: resourceId, customer: orderCustomerSchema, ...orderFields, lines: z.array(orderLineSchema) })
  .strip();

/** PATCH /orders/{order_id}. `promos` replaces the order's promos entirely; the customer has no id or email. */
export const orderPatchSchema = z
  .object({
    ...orderFields,
    customer: z.object(inlineCustomerDetails).strip(),
    lines: z.array(z.object({ id: resourceId.optional(), ...lineFields }).partial().strip()),
  })
  .partial()
  .strip();

export type OrderLinePayload = z.infer<typeof orderLineSchema>;
export type OrderPayload = z.infer<typeof orderSchema>;
export type OrderPatchPayload = z.infer<typeof orderPatchSchema>;
export type OrderLinePatchPayload = z.infer<typeof orderLinePatchSchema>;
