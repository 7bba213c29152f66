import { z } from 'zod';
import { currencyCode, customerAddressSchema, emailAddress, resourceId } from './common';
import { customerId } from './customer';

const lineFields = {
  product_id: resourceId,
  product_variant_id: resourceId,
  quantity: z.number().int('must be a whole number'),
  price: z.number(),
};

/** POST /carts/{cart_id}/lines; also each entry of a cart's `lines`. */
export const cartLineSchema = z.object({ id: resourceId, ...lineFields }).strip();

/** PATCH /carts/{cart_id}/lines/{line_id}: changes a line in place. */
export const cartLinePatchSchema = z.object(lineFields).partial().strip();

const inlineCustomerDetails = {
  opt_in_status: z.boolean().optional(),
  company: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  address: customerAddressSchema.optional(),
};

/** An existing customer is named by `id` only; a new one carries its details (opt_in_status never changes a contact). */
const cartCustomerSchema = z.object({ id: customerId, email_address: emailAddress.optional(), ...inlineCustomerDetails }).strip();

const cartFields = {
  campaign_id: z.string().optional(),
  /** Required by the Abandoned Cart automation. */
  checkout_url: z.string().optional(),
  currency_code: currencyCode,
  order_total: z.number(),
  tax_total: z.number().optional(),
};

/** POST /carts. */
export const cartSchema = z.object({ id: resourceId, customer: cartCustomerSchema, ...cartFields, lines: z.array(cartLineSchema) }).strip();

/** PATCH /carts/{cart_id}: fields merge; the customer has no id (a cart keeps its customer). */
export const cartPatchSchema = z
  .object({
    ...cartFields,
    customer: z.object(inlineCustomerDetails).strip(),
    lines: z.array(z.object({ id: resourceId.optional(), ...lineFields }).partial().strip()),
  })
  .partial()
  .strip();

export type CartLinePayload = z.infer<typeof cartLineSchema>;
export type CartLinePatchPayload = z.infer<typeof cartLinePatchSchema>;
export type CartPayload = z.infer<typeof cartSchema>;
export type CartPatchPayload = z.infer<typeof cartPatchSchema>;
