import { z } from 'zod';
import { resourceId } from './common';
import { buyerSchema, customerPatchSchema } from './customer';

/**
 * An order and a cart have one shape in the spec: an id, a customer (`buyerSchema` on POST, its details only on
 * PATCH), their own fields and lines; a line has an id and its own fields. Each collection passes its fields.
 */
export function purchaseSchemas<F extends z.ZodRawShape, L extends z.ZodRawShape>(fields: F, lineFields: L) {
  /** POST …/lines; also each entry of the POST's `lines`. */
  const line = z.object({ id: resourceId, ...lineFields }).strip();
  return {
    line,
    /** PATCH …/lines/{line_id}: changes a line in place (the path names it). */
    linePatch: z.object(lineFields).partial().strip(),
    post: z.object({ id: resourceId, customer: buyerSchema, ...fields, lines: z.array(line) }).strip(),
    /** PATCH: fields merge; the customer has no id or email; each line names its line by `id` (the emulator requires it). */
    patch: z
      .object({
        ...fields,
        customer: customerPatchSchema,
        lines: z.array(z.object({ id: resourceId.optional(), ...lineFields }).partial().strip()),
      })
      .partial()
      .strip(),
  };
}
