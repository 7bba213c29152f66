import { z } from 'zod';
import { isoDateTime, resourceId } from './common';

const variantFields = {
  title: z.string().min(1, 'must not be empty'),
  url: z.string().optional(),
  sku: z.string().optional(),
  price: z.number().optional(),
  inventory_quantity: z.number().int('must be a whole number').optional(),
  image_url: z.string().optional(),
  backorders: z.string().optional(),
  visibility: z.string().optional(),
};

/** PUT and POST /products/{product_id}/variants[/{variant_id}]; also each entry of a product's `variants`. */
export const variantSchema = z.object({ id: resourceId, ...variantFields }).strip();

/** PATCH /products/{product_id}/variants/{variant_id}. */
export const variantPatchSchema = z.object(variantFields).partial().strip();

const imageSchema = z
  .object({ id: resourceId, url: z.string().min(1, 'must not be empty'), variant_ids: z.array(z.string()).optional() })
  .strip();

const productFields = {
  title: z.string().min(1, 'must not be empty'),
  handle: z.string().optional(),
  url: z.string().optional(),
  description: z.string().optional(),
  type: z.string().optional(),
  vendor: z.string().optional(),
  image_url: z.string().optional(),
  published_at_foreign: isoDateTime.optional(),
};

/** POST /products: at least one variant (a single-variant product may reuse its own id and title). */
export const productSchema = z
  .object({
    id: resourceId,
    ...productFields,
    variants: z.array(variantSchema).min(1, 'must have at least one variant'),
    images: z.array(imageSchema).optional(),
  })
  .strip();

/** PUT /products/{product_id}: the newer API's upsert (not in the 3.0.55 spec); same fields as POST. */
export const productPutSchema = productSchema;

/** PATCH /products/{product_id}. The spec's patch variants and images have no required fields. */
export const productPatchSchema = z
  .object({
    ...productFields,
    variants: z.array(variantPatchSchema.extend({ id: resourceId.optional() }).strip()).optional(),
    images: z.array(imageSchema.partial().strip()).optional(),
  })
  .partial()
  .strip();

export type VariantPayload = z.infer<typeof variantSchema>;
export type VariantPatchPayload = z.infer<typeof variantPatchSchema>;
export type ProductPayload = z.infer<typeof productSchema>;
export type ProductPatchPayload = z.infer<typeof productPatchSchema>;
