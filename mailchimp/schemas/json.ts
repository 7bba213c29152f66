/**
 * A body checked against its schema and serialised in one pass: `validatedJson(schema, body, label)` is exactly
 * `validatePayload(schema, body, label)` followed by `JSON.stringify(value)`, for a fraction of the CPU (zod's parse
 * builds a context, a status and a result object for every field of every body; a backfill checks one body per
 * entity).
 *
 * How: each schema is walked once into a plain serialiser (cached per schema) that knows what zod's parse does with
 * the kinds of schema the bodies use (strict-typed strings, numbers, booleans, enums and literals, optional and
 * nullable, arrays, and `strip` objects, whose unknown keys are left out and whose keys come out in the schema's
 * order, as zod builds its result). Whatever it does not know (refinements, transforms, defaults, unions, an email
 * check, coercion, unusual objects) it hands to zod itself, for that part of the body. When the serialiser is not sure
 * the body passes, the body goes through validatePayload: a refusal is zod's, with zod's messages, as before.
 * test/unit/mailchimp/validated-json.test.ts checks the two ways give the same answer on generated bodies.
 */
import { z } from 'zod';
import { validatePayload, type FieldError } from './validate';

/** The JSON text of the part (undefined: left out, as JSON.stringify leaves out undefined), or NOT_SURE. */
type Serialiser = (value: unknown) => string | undefined | typeof NOT_SURE;

/** Zod may refuse this part, or it is one the serialiser does not mirror: ask validatePayload. */
const NOT_SURE = null;

export type ValidatedJson = { ok: true; json: string } | { ok: false; errors: FieldError[]; message: string };

/** `validatePayload(schema, body, entityLabel)` and, when it passes, the value as JSON.stringify writes it. */
export function validatedJson(schema: z.ZodTypeAny, body: unknown, entityLabel: string): ValidatedJson {
  const json = serialiserOf(schema)(body);
  if (typeof json === 'string') return { ok: true, json };
  const checked = validatePayload(schema, body, entityLabel);
  if (!checked.ok) return checked;
  return { ok: true, json: JSON.stringify(checked.value) };
}

const compiled = new WeakMap<z.ZodTypeAny, Serialiser>();

function serialiserOf(schema: z.ZodTypeAny): Serialiser {
  let serialiser = compiled.get(schema);
  if (!serialiser) {
    serialiser = compile(schema);
    compiled.set(schema, serialiser);
  }
  return serialiser;
}

/** Zod parses this part; its result is written by JSON.stringify (as the whole body's would be). */
function byZod(schema: z.ZodTypeAny): Serialiser {
  return (value) => {
    const result = schema.safeParse(value);
    return result.success ? (JSON.stringify(result.data) as string | undefined) : NOT_SURE;
  };
}

/** JSON.stringify of a number (a finite one prints as String does, -0 as 0; NaN and ±Infinity as null). */
function numberJson(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

/** An array index as a property key: JSON.stringify writes such keys first, whatever the schema's order. */
const INDEX_KEY = /^(?:0|[1-9]\d*)$/;

function compile(schema: z.ZodTypeAny): Serialiser {
  if (schema instanceof z.ZodString) return compileString(schema);
  if (schema instanceof z.ZodNumber) return compileNumber(schema);
  if (schema instanceof z.ZodBoolean) {
    if (schema._def.coerce) return byZod(schema);
    return (value) => (typeof value === 'boolean' ? (value ? 'true' : 'false') : NOT_SURE);
  }
  if (schema instanceof z.ZodEnum) {
    const values = new Set<unknown>(schema._def.values as readonly string[]);
    return (value) => (typeof value === 'string' && values.has(value) ? JSON.stringify(value) : NOT_SURE);
  }
  if (schema instanceof z.ZodLiteral) {
    const literal: unknown = schema._def.value;
    if (typeof literal !== 'string' && typeof literal !== 'boolean' && typeof literal !== 'number') return byZod(schema);
    const json = JSON.stringify(literal);
    return (value) => (value === literal ? json : NOT_SURE);
  }
  if (schema instanceof z.ZodOptional) {
    const inner = serialiserOf(schema._def.innerType as z.ZodTypeAny);
    return (value) => (value === undefined ? undefined : inner(value));
  }
  if (schema instanceof z.ZodNullable) {
    const inner = serialiserOf(schema._def.innerType as z.ZodTypeAny);
    return (value) => (value === null ? 'null' : inner(value));
  }
  if (schema instanceof z.ZodArray) return compileArray(schema);
  if (schema instanceof z.ZodObject) return compileObject(schema);
  return byZod(schema);
}

function compileString(schema: z.ZodString): Serialiser {
  if (schema._def.coerce) return byZod(schema);
  const tests: Array<(s: string) => boolean> = [];
  for (const check of schema._def.checks) {
    switch (check.kind) {
      case 'min': {
        const min = check.value;
        tests.push((s) => s.length >= min);
        break;
      }
      case 'max': {
        const max = check.value;
        tests.push((s) => s.length <= max);
        break;
      }
      case 'length': {
        const length = check.value;
        tests.push((s) => s.length === length);
        break;
      }
      case 'regex': {
        const regex = check.regex;
        tests.push((s) => {
          regex.lastIndex = 0;
          return regex.test(s);
        });
        break;
      }
      case 'datetime': {
        // The expression zod builds for this check on every parse, built once.
        const regex = z.datetimeRegex(check);
        tests.push((s) => regex.test(s));
        break;
      }
      default:
        // email, url, trim and the rest: zod checks (or changes) the string itself.
        return byZod(schema);
    }
  }
  return (value) => {
    if (typeof value !== 'string') return NOT_SURE;
    for (const test of tests) if (!test(value)) return NOT_SURE;
    return JSON.stringify(value);
  };
}

function compileNumber(schema: z.ZodNumber): Serialiser {
  if (schema._def.coerce) return byZod(schema);
  const tests: Array<(n: number) => boolean> = [];
  for (const check of schema._def.checks) {
    switch (check.kind) {
      case 'int':
        tests.push((n) => Number.isInteger(n));
        break;
      case 'finite':
        tests.push((n) => Number.isFinite(n));
        break;
      case 'min': {
        const { value: min, inclusive } = check;
        tests.push(inclusive ? (n) => !(n < min) : (n) => !(n <= min));
        break;
      }
      case 'max': {
        const { value: max, inclusive } = check;
        tests.push(inclusive ? (n) => !(n > max) : (n) => !(n >= max));
        break;
      }
      default:
        return byZod(schema);
    }
  }
  return (value) => {
    if (typeof value !== 'number' || Number.isNaN(value)) return NOT_SURE;
    for (const test of tests) if (!test(value)) return NOT_SURE;
    return numberJson(value);
  };
}

function compileArray(schema: z.ZodArray<z.ZodTypeAny>): Serialiser {
  const { exactLength, minLength, maxLength } = schema._def;
  const element = serialiserOf(schema._def.type);
  return (value) => {
    if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype) return Array.isArray(value) ? byZod(schema)(value) : NOT_SURE;
    const n = value.length;
    if ((exactLength !== null && n !== exactLength.value) || (minLength !== null && n < minLength.value) || (maxLength !== null && n > maxLength.value)) {
      return NOT_SURE;
    }
    let out = '[';
    for (let i = 0; i < n; i += 1) {
      const item = element(value[i]);
      if (item === NOT_SURE) return NOT_SURE;
      out += i === 0 ? (item ?? 'null') : `,${item ?? 'null'}`;
    }
    return `${out}]`;
  };
}

function compileObject(schema: z.AnyZodObject): Serialiser {
  const def = schema._def;
  if (def.unknownKeys !== 'strip' || !(def.catchall instanceof z.ZodNever)) return byZod(schema);
  const shape = schema.shape as Record<string, z.ZodTypeAny>;
  const keys = Object.keys(shape);
  if (keys.some((key) => key === '__proto__' || INDEX_KEY.test(key))) return byZod(schema);
  const fields = keys.map((key) => ({ key, prefix: `${JSON.stringify(key)}:`, serialise: serialiserOf(shape[key]) }));
  const asZod = byZod(schema);
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return NOT_SURE;
    const proto: unknown = Object.getPrototypeOf(value);
    // Maps, dates, class instances, thenables: whatever zod makes of them.
    if ((proto !== Object.prototype && proto !== null) || typeof (value as { then?: unknown }).then === 'function') return asZod(value);
    const record = value as Record<string, unknown>;
    let out = '';
    for (const field of fields) {
      const part = field.serialise(record[field.key]);
      if (part === NOT_SURE) return NOT_SURE;
      if (part !== undefined) out += out === '' ? field.prefix + part : `,${field.prefix}${part}`;
    }
    return `{${out}}`;
  };
}
