import { z } from 'zod';
import { currencyCode, emailAddress, resourceId, storeAddressSchema } from './common';

const storeFields = {
  name: z.string().min(1, 'must not be empty'),
  platform: z.string().optional(),
  domain: z.string().optional(),
  is_syncing: z.boolean().optional(),
  email_address: emailAddress.optional(),
  currency_code: currencyCode,
  money_format: z.string().optional(),
  primary_locale: z.string().optional(),
  timezone: z.string().optional(),
  phone: z.string().optional(),
  address: storeAddressSchema.optional(),
};

/** POST /ecommerce/stores. */
export const storeSchema = z
  .object({ id: resourceId, list_id: resourceId, ...storeFields })
  .strip();

/** PATCH /ecommerce/stores/{store_id}. There is no `list_id`: a store cannot move to another audience. */
export const storePatchSchema = z.object(storeFields).partial().strip();

export type StorePayload = z.infer<typeof storeSchema>;
export type StorePatchPayload = z.infer<typeof storePatchSchema>;
