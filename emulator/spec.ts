/**
 * Request bodies held to Mailchimp's official spec (v3.0.55, mailchimp/openapi/): types, required fields, enums,
 * formats and lengths, on top of the client's own schemas. A body the spec refuses is Mailchimp's 400
 * `Invalid Resource`, so a mistake in the client's schemas cannot hide behind the emulator sharing them.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import type { FieldProblem } from './problem';

export const SPEC_DIR = path.resolve(__dirname, '../mailchimp/openapi');
const SPEC_FILES = ['stores.yml', 'members.yml', 'batches.yml', 'batch.yml'];

type Operation = { parameters?: Array<{ in: string; schema?: object }> };
type SpecPaths = Record<string, Record<string, Operation>>;

/** `/ecommerce/stores/{store_id}/products` and `/ecommerce/stores/{id}/products` are the same route. */
export function routeKey(method: string, pattern: string): string {
  return `${method.toUpperCase()} ${pattern.replace(/\{[^}]+\}/g, '{}')}`;
}

/** Swagger 2.0 schema objects are JSON Schema draft 4 plus keywords ajv does not know; those are dropped. */
function cleanSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(cleanSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('x-') || key === 'example' || key === 'discriminator' || key === 'readOnly') continue;
    out[key] = key === 'properties' ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, cleanSchema(v)])) : cleanSchema(value);
  }
  return out;
}

function toProblem(error: ErrorObject): FieldProblem {
  const at = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty: string }).missingProperty);
    return { field: at ? `${at}.${missing}` : missing, message: 'This value should not be blank.' };
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String).join(', ');
    return { field: at, message: `Value must be one of: ${allowed}` };
  }
  return { field: at, message: `Data presented is not one of the accepted values (${error.message ?? error.keyword}).` };
}

/**
 * Where Mailchimp's documented behaviour is looser than the spec's `required` list: the route itself enforces it.
 * Member PUT needs `email_address` and `status_if_new` only when the address is not on the list yet.
 */
const RELAXED_REQUIRED: Record<string, string[]> = {
  'PUT /lists/{}/members/{}': ['email_address', 'status_if_new'],
};

function relax(key: string, schema: object): object {
  const relaxed = RELAXED_REQUIRED[key];
  const required = (schema as { required?: string[] }).required;
  if (!relaxed || !required) return schema;
  return { ...schema, required: required.filter((field) => !relaxed.includes(field)) };
}

export interface SpecValidator {
  /** The spec's verdict on a body for a route pattern; `undefined` when the spec has no body schema for it. */
  problems(method: string, pattern: string, body: unknown): FieldProblem[] | undefined;
  /** Compiles every route's schema now instead of on the route's first call (which then takes up to a second); returns how many. */
  warm(): number;
}

export function loadSpecValidator(dir: string = SPEC_DIR): SpecValidator {
  const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
  addFormats(ajv, ['date-time', 'email', 'uri']);
  // The spec writes one date as "Promo date-time"; it is an ISO 8601 date-time like the others.
  const dateTime = ajv.formats['date-time'];
  if (dateTime) ajv.addFormat('Promo date-time', dateTime);
  for (const unknown of ['float', 'Promo', 'int32', 'int64', 'double']) ajv.addFormat(unknown, true);
  const schemas = new Map<string, object>();
  for (const file of SPEC_FILES) {
    const paths = (parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { paths: SpecPaths }).paths;
    for (const [route, operations] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const body = operation.parameters?.find((p) => p.in === 'body')?.schema;
        if (!body) continue;
        const key = routeKey(method, route);
        schemas.set(key, relax(key, cleanSchema(body) as object));
      }
    }
  }
  const compiled = new Map<string, ValidateFunction>();
  const validatorFor = (key: string, schema: object): ValidateFunction => {
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(schema);
      compiled.set(key, validate);
    }
    return validate;
  };
  return {
    problems(method, pattern, body) {
      const key = routeKey(method, pattern);
      const schema = schemas.get(key);
      if (!schema) return undefined;
      const validate = validatorFor(key, schema);
      return validate(body) ? [] : (validate.errors ?? []).map(toProblem);
    },
    warm() {
      for (const [key, schema] of schemas) validatorFor(key, schema);
      return compiled.size;
    },
  };
}
