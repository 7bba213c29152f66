import { z } from 'zod';
import { currencyCode, resourceId } from './common';
import { purchaseSchemas } from './purchase';

/** A cart line's fields (the spec's); an order line has the same and `discount` (mailchimp/schemas/order.ts). */
export const cartLineFields = {
  product_id: resourceId,
  product_variant_id: resourceId,
  quantity: z.number().int('must be a whole number'),
  price: z.number(),
};

const cartFields = {
  campaign_id: z.string().optional(),
  /** Required by the Abandoned Cart automation. */
  checkout_url: z.string().optional(),
  currency_code: currencyCode,
  order_total: z.number(),
  tax_total: z.number().optional(),
};

/**
 * POST /carts (`cartSchema`), PATCH /carts/{cart_id} (`cartPatchSchema`: fields merge, the customer has no id: a cart
 * keeps its customer), POST /carts/{cart_id}/lines (`cartLineSchema`, also each entry of a cart's `lines`), PATCH
 * /carts/{cart_id}/lines/{line_id} (`cartLinePatchSchema`: changes a line in place).
 */
export const {
  line: cartLineSchema,
  linePatch: cartLinePatchSchema,
  post: cartSchema,
  patch: cartPatchSchema,
} = purchaseSchemas(cartFields, cartLineFields);

export type CartLinePayload = z.infer<typeof cartLineSchema>;
export type CartLinePatchPayload = z.infer<typeof cartLinePatchSchema>;
export type CartPayload = z.infer<typeof cartSchema>;
export type CartPatchPayload = z.infer<typeof cartPatchSchema>;
