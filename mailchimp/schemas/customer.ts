import { z } from 'zod';
import { MAILCHIMP_LIMITS } from './limits';
import { customerAddressSchema, emailAddress, resourceId } from './common';

export const customerId = resourceId.max(
  MAILCHIMP_LIMITS.customerIdMaxLength,
  `must be at most ${MAILCHIMP_LIMITS.customerIdMaxLength} characters`,
);

/** Fields a customer may carry besides its id and email. */
export const customerDetailFields = {
  opt_in_status: z.boolean(),
  company: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  address: customerAddressSchema.optional(),
};

/** POST /customers and PUT /customers/{customer_id} (v3.0.55 requires id, email_address, opt_in_status on both). */
export const customerSchema = z
  .object({ id: customerId, email_address: emailAddress, ...customerDetailFields })
  .strip();

/** PATCH /customers/{customer_id}. The email address cannot be changed. */
export const customerPatchSchema = z.object(customerDetailFields).partial().strip();

/**
 * The customer an order or a cart carries (POST): an existing one is named by `id` only, a new one carries its e-mail
 * and details (opt_in_status never changes a contact). A PATCH of either carries `customerPatchSchema`.
 */
export const buyerSchema = customerPatchSchema.extend({ id: customerId, email_address: emailAddress.optional() }).strip();

export type CustomerPayload = z.infer<typeof customerSchema>;
export type CustomerPatchPayload = z.infer<typeof customerPatchSchema>;
