import { z } from 'zod';

/** An ISO 8601 date-time with a zone (`Z` or an offset), as Mailchimp's `date-time` fields expect. */
export const isoDateTime = z.string().datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone' });

/** ISO 4217 code: three uppercase letters. */
export const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter uppercase ISO 4217 code');

/** Promo `type` on rules and on an order's promos. */
export const PROMO_TYPES = ['fixed', 'percentage'] as const;

/** A client-chosen id: a non-empty string. */
export const resourceId = z.string().min(1, 'must not be empty');

export const emailAddress = z.string().email('must be an email address');

/** Address of a customer (and of the inline customer on orders). */
export const customerAddressSchema = z
  .object({
    address1: z.string().optional(),
    address2: z.string().optional(),
    city: z.string().optional(),
    province: z.string().optional(),
    province_code: z.string().optional(),
    postal_code: z.string().optional(),
    country: z.string().optional(),
    country_code: z.string().optional(),
  })
  .strip();

/** Address of a store: a customer address plus coordinates. */
export const storeAddressSchema = customerAddressSchema
  .extend({ longitude: z.number().optional(), latitude: z.number().optional() })
  .strip();

/** Shipping or billing address of an order. */
export const orderAddressSchema = storeAddressSchema
  .extend({ name: z.string().optional(), phone: z.string().optional(), company: z.string().optional() })
  .strip();
