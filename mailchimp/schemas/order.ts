import { z } from 'zod';
import { cartLineFields } from './cart';
import { PROMO_TYPES, currencyCode, isoDateTime, orderAddressSchema } from './common';
import { purchaseSchemas } from './purchase';

/** An order line is a cart line with a discount (as in the spec). */
const lineFields = { ...cartLineFields, discount: z.number().optional() };

const orderPromoSchema = z
  .object({ code: z.string().min(1, 'must not be empty'), amount_discounted: z.number(), type: z.enum(PROMO_TYPES) })
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

/**
 * POST /orders (`orderSchema`), PATCH /orders/{order_id} (`orderPatchSchema`: `promos` replaces the order's promos
 * entirely; the customer has no id or email), POST /orders/{order_id}/lines (`orderLineSchema`, also each entry of an
 * order's `lines`), PATCH /orders/{order_id}/lines/{line_id} (`orderLinePatchSchema`: the documented way to change a
 * line in place: product, variant, amounts).
 */
export const {
  line: orderLineSchema,
  linePatch: orderLinePatchSchema,
  post: orderSchema,
  patch: orderPatchSchema,
} = purchaseSchemas(orderFields, lineFields);

export type OrderLinePayload = z.infer<typeof orderLineSchema>;
export type OrderPayload = z.infer<typeof orderSchema>;
export type OrderPatchPayload = z.infer<typeof orderPatchSchema>;
export type OrderLinePatchPayload = z.infer<typeof orderLinePatchSchema>;
