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
export function validatePayload<S extends z.ZodTypeAny>(
  schema: S, body: unknown, entityLabel: string, options: { rejectUnknownFields?: boolean } = {},
): ValidationResult<z.output<S>> {
  const result = schema.safeParse(body);
  const errors = result.success ? [] : result.error.issues.map((issue) => ({ field: issue.path.join('.'), message: describeIssue(issue) }));
  if (options.rejectUnknownFields) errors.push(...unknownFields(schema, body, []));
  if (result.success && errors.length === 0) return { ok: true, value: result.data as z.output<S> };
  return { ok: false, errors, message: `${entityLabel}: ${formatFieldErrors(errors)}` };
}

/** The schema inside optional, nullable, default and refinement wrappers. */
function unwrap(schema: z.ZodTypeAny): z.ZodTypeAny {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return unwrap(schema.unwrap() as z.ZodTypeAny);
  if (schema instanceof z.ZodDefault) return unwrap(schema.removeDefault() as z.ZodTypeAny);
  if (schema instanceof z.ZodEffects) return unwrap(schema.innerType() as z.ZodTypeAny);
  return schema;
}

/**
 * Fields of `body` that `schema` does not know (and would strip): a misspelled field is reported instead of
 * silently dropped. Objects that pass unknown keys through on purpose are not looked into.
 */
export function unknownFields(schema: z.ZodTypeAny, body: unknown, at: string[]): FieldError[] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodArray && Array.isArray(body)) {
    return body.flatMap((item, i) => unknownFields(inner.element as z.ZodTypeAny, item, [...at, String(i)]));
  }
  if (!(inner instanceof z.ZodObject) || typeof body !== 'object' || body === null || Array.isArray(body)) return [];
  if (inner._def.unknownKeys === 'passthrough' || !(inner._def.catchall instanceof z.ZodNever)) return [];
  const shape = inner.shape as Record<string, z.ZodTypeAny>;
  const out: FieldError[] = [];
  for (const [key, value] of Object.entries(body)) {
    const field = [...at, key].join('.');
    if (!(key in shape)) out.push({ field, message: 'is not a field of this resource (it would be dropped)' });
    else out.push(...unknownFields(shape[key], value, [...at, key]));
  }
  return out;
}
