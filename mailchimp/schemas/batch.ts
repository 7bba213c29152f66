import { z } from 'zod';

export const BATCH_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Operation `body` is a JSON *string*, not an object. */
const jsonString = z.string().refine((text) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}, 'must be a JSON string (JSON.stringify the body)');

export const batchOperationSchema = z
  .object({
    method: z.enum(BATCH_METHODS),
    /** Relative to the API root, e.g. `/ecommerce/stores/shop1/products`. */
    path: z.string().startsWith('/', 'must start with /'),
    /** Query parameters (GET only). */
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    body: jsonString.optional(),
    /** Echoed back in the results. */
    operation_id: z.string().optional(),
  })
  .strip();

/** POST /batches. */
export const batchRequestSchema = z.object({ operations: z.array(batchOperationSchema).min(1, 'must have at least one operation') }).strip();

export type BatchOperation = z.infer<typeof batchOperationSchema>;
export type BatchRequest = z.infer<typeof batchRequestSchema>;
