import { z } from 'zod';

export interface FieldError {
  /** Dotted path into the body, e.g. `lines.0.price`; empty for the body itself. */
  field: string;
  message: string;
}

export type ValidationResult<T> =
  | { ok: true; value: T }
  | { ok: false; errors: FieldError[]; /** `<entity>: <field>: <message>; ...` */ message: string };

/** A short sentence for one zod issue ("is required", "must be a number"). */
function describeIssue(issue: z.ZodIssue): string {
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type:
      if (issue.received === 'undefined') return 'is required';
      return `must be ${issue.expected === 'integer' ? 'a whole number' : articled(issue.expected)}`;
    case z.ZodIssueCode.invalid_enum_value:
      return `must be one of ${issue.options.join(', ')}`;
    case z.ZodIssueCode.invalid_literal:
      return `must be ${JSON.stringify(issue.expected)}`;
    default:
      return issue.message;
  }
}

function articled(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

export function formatFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
}

/**
 * Checks `body` against `schema`. On success `value` is the body as it will be sent (unknown keys stripped).
 * `entityLabel` (e.g. "order 10023") names the thing in `message`.
 */
export function validatePayload<S extends z.ZodTypeAny>(schema: S, body: unknown, entityLabel: string): ValidationResult<z.output<S>> {
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, value: result.data as z.output<S> };
  const errors = result.error.issues.map((issue) => ({ field: issue.path.join('.'), message: describeIssue(issue) }));
  return { ok: false, errors, message: `${entityLabel}: ${formatFieldErrors(errors)}` };
}
