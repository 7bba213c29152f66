import type { z } from 'zod';
import { validatePayload } from '../mailchimp/schemas';
import { invalidResource } from './problem';

/** Checks a request body against the shared schema; a failure is Mailchimp's 400 `Invalid Resource`. */
export function validateBody<S extends z.ZodTypeAny>(schema: S, body: unknown, entityLabel: string): z.output<S> {
  const result = validatePayload(schema, body, entityLabel);
  if (!result.ok) throw invalidResource(result.errors);
  return result.value;
}
