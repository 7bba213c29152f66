/**
 * Our request schemas against Mailchimp's own Swagger 2.0 spec (v3.0.55, kept in mailchimp/openapi/), read at test time:
 * every field the spec requires is required by ours, every spec enum value is accepted and nothing else,
 * and no field the spec lists is silently stripped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import * as schemas from '../../../mailchimp/schemas';
import * as fx from './fixtures';

const SPEC_DIR = path.resolve(__dirname, '../../../mailchimp/openapi');

interface SpecSchema {
  type?: string;
  required?: string[];
  enum?: unknown[];
  properties?: Record<string, SpecSchema>;
  items?: SpecSchema;
}

const specCache = new Map<string, Record<string, Record<string, { parameters?: Array<{ in: string; schema?: SpecSchema }> }>>>();

function bodySchema(file: string, route: string, method: string): SpecSchema {
  if (!specCache.has(file)) specCache.set(file, parse(fs.readFileSync(path.join(SPEC_DIR, file), 'utf8')).paths);
  const operation = specCache.get(file)?.[route]?.[method];
  const body = operation?.parameters?.find((p) => p.in === 'body')?.schema;
  if (!body) throw new Error(`No body schema for ${method.toUpperCase()} ${route} in ${file}`);
  return body;
}

/** A path into a body: property names, with `[]` meaning "the first array item". */
type Steps = string[];

interface RequiredRule { container: Steps; field: string }
interface EnumRule { at: Steps; values: unknown[] }
interface PropertyRule { container: Steps; field: string }

function collect(schema: SpecSchema, at: Steps, out: { required: RequiredRule[]; enums: EnumRule[]; properties: PropertyRule[] }): void {
  if (schema.enum) out.enums.push({ at, values: schema.enum });
  for (const field of schema.required ?? []) out.required.push({ container: at, field });
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    out.properties.push({ container: at, field: name });
    collect(child, [...at, name], out);
  }
  if (schema.items) collect(schema.items, [...at, '[]'], out);
}

function rulesOf(schema: SpecSchema) {
  const out = { required: [] as RequiredRule[], enums: [] as EnumRule[], properties: [] as PropertyRule[] };
  collect(schema, [], out);
  return out;
}

/** The object or array at `steps` inside `body` (arrays step into item 0). */
function walk(body: unknown, steps: Steps): Record<string, unknown> {
  let node: unknown = body;
  for (const step of steps) {
    if (node === undefined || node === null) break;
    node = step === '[]' ? (node as unknown[])[0] : (node as Record<string, unknown>)[step];
  }
  if (typeof node !== 'object' || node === null) throw new Error(`The fixture has nothing at ${steps.join('.') || '(root)'}: extend it`);
  return node as Record<string, unknown>;
}

function setAt(body: unknown, steps: Steps, value: unknown): void {
  const parent = walk(body, steps.slice(0, -1));
  const last = steps[steps.length - 1];
  if (last === '[]') (parent as unknown as unknown[])[0] = value;
  else parent[last] = value;
}

/** Our zod schema's object shape at `steps`, looking through optional, effects and arrays. */
function shapeAt(schema: z.ZodTypeAny, steps: Steps): Record<string, z.ZodTypeAny> {
  let node: z.ZodTypeAny = schema;
  const unwrap = () => {
    for (;;) {
      if (node instanceof z.ZodOptional || node instanceof z.ZodNullable) node = node.unwrap();
      else if (node instanceof z.ZodEffects) node = node.innerType();
      else if (node instanceof z.ZodDefault) node = node.removeDefault();
      else return;
    }
  };
  for (const step of steps) {
    unwrap();
    if (step === '[]') {
      if (!(node instanceof z.ZodArray)) throw new Error(`Expected an array before ${steps.join('.')}`);
      node = node.element;
    } else {
      if (!(node instanceof z.ZodObject)) throw new Error(`Expected an object at ${step} of ${steps.join('.')}`);
      const next: z.ZodTypeAny | undefined = node.shape[step];
      if (!next) throw new Error(`Our schema has no ${step} in ${steps.join('.')}`);
      node = next;
    }
  }
  unwrap();
  if (!(node instanceof z.ZodObject)) throw new Error(`Expected an object at ${steps.join('.') || '(root)'}`);
  return node.shape as Record<string, z.ZodTypeAny>;
}

const fieldPath = (steps: Steps) => steps.map((s) => (s === '[]' ? '0' : s)).join('.');

interface Case {
  ours: string;
  schema: z.ZodTypeAny;
  file: string;
  route: string;
  method: 'post' | 'put' | 'patch';
  fixture: () => unknown;
}

const S = '/ecommerce/stores/{store_id}';
const CASES: Case[] = [
  { ours: 'storeSchema', schema: schemas.storeSchema, file: 'stores.yml', route: '/ecommerce/stores', method: 'post', fixture: fx.validStore },
  { ours: 'storePatchSchema', schema: schemas.storePatchSchema, file: 'stores.yml', route: S, method: 'patch', fixture: fx.validStorePatch },
  { ours: 'customerSchema', schema: schemas.customerSchema, file: 'stores.yml', route: `${S}/customers`, method: 'post', fixture: fx.validCustomer },
  { ours: 'customerSchema', schema: schemas.customerSchema, file: 'stores.yml', route: `${S}/customers/{customer_id}`, method: 'put', fixture: fx.validCustomer },
  { ours: 'customerPatchSchema', schema: schemas.customerPatchSchema, file: 'stores.yml', route: `${S}/customers/{customer_id}`, method: 'patch', fixture: fx.validCustomerPatch },
  { ours: 'productSchema', schema: schemas.productSchema, file: 'stores.yml', route: `${S}/products`, method: 'post', fixture: fx.validProduct },
  // The 3.0.55 spec has no PUT product; the newer upsert takes the POST body.
  { ours: 'productPutSchema', schema: schemas.productPutSchema, file: 'stores.yml', route: `${S}/products`, method: 'post', fixture: fx.validProduct },
  { ours: 'productPatchSchema', schema: schemas.productPatchSchema, file: 'stores.yml', route: `${S}/products/{product_id}`, method: 'patch', fixture: fx.validProductPatch },
  { ours: 'variantSchema', schema: schemas.variantSchema, file: 'stores.yml', route: `${S}/products/{product_id}/variants`, method: 'post', fixture: fx.validVariant },
  { ours: 'variantSchema', schema: schemas.variantSchema, file: 'stores.yml', route: `${S}/products/{product_id}/variants/{variant_id}`, method: 'put', fixture: fx.validVariant },
  { ours: 'variantPatchSchema', schema: schemas.variantPatchSchema, file: 'stores.yml', route: `${S}/products/{product_id}/variants/{variant_id}`, method: 'patch', fixture: fx.validVariantPatch },
  { ours: 'orderSchema', schema: schemas.orderSchema, file: 'stores.yml', route: `${S}/orders`, method: 'post', fixture: fx.validOrder },
  { ours: 'orderPatchSchema', schema: schemas.orderPatchSchema, file: 'stores.yml', route: `${S}/orders/{order_id}`, method: 'patch', fixture: fx.validOrderPatch },
  { ours: 'orderLineSchema', schema: schemas.orderLineSchema, file: 'stores.yml', route: `${S}/orders/{order_id}/lines`, method: 'post', fixture: fx.validOrderLine },
  { ours: 'cartSchema', schema: schemas.cartSchema, file: 'stores.yml', route: `${S}/carts`, method: 'post', fixture: fx.validCart },
  { ours: 'cartPatchSchema', schema: schemas.cartPatchSchema, file: 'stores.yml', route: `${S}/carts/{cart_id}`, method: 'patch', fixture: fx.validCartPatch },
  { ours: 'cartLineSchema', schema: schemas.cartLineSchema, file: 'stores.yml', route: `${S}/carts/{cart_id}/lines`, method: 'post', fixture: fx.validCartLine },
  { ours: 'cartLinePatchSchema', schema: schemas.cartLinePatchSchema, file: 'stores.yml', route: `${S}/carts/{cart_id}/lines/{line_id}`, method: 'patch', fixture: () => ({ quantity: 1 }) },
  { ours: 'promoRuleSchema', schema: schemas.promoRuleSchema, file: 'stores.yml', route: `${S}/promo-rules`, method: 'post', fixture: fx.validPromoRule },
  { ours: 'promoRulePatchSchema', schema: schemas.promoRulePatchSchema, file: 'stores.yml', route: `${S}/promo-rules/{promo_rule_id}`, method: 'patch', fixture: fx.validPromoRulePatch },
  { ours: 'promoCodeSchema', schema: schemas.promoCodeSchema, file: 'stores.yml', route: `${S}/promo-rules/{promo_rule_id}/promo-codes`, method: 'post', fixture: fx.validPromoCode },
  { ours: 'promoCodePatchSchema', schema: schemas.promoCodePatchSchema, file: 'stores.yml', route: `${S}/promo-rules/{promo_rule_id}/promo-codes/{promo_code_id}`, method: 'patch', fixture: fx.validPromoCodePatch },
  { ours: 'memberPostSchema', schema: schemas.memberPostSchema, file: 'members.yml', route: '/lists/{list_id}/members', method: 'post', fixture: fx.validMemberPost },
  { ours: 'memberPutSchema', schema: schemas.memberPutSchema, file: 'members.yml', route: '/lists/{list_id}/members/{subscriber_hash}', method: 'put', fixture: fx.validMemberPut },
  { ours: 'memberPatchSchema', schema: schemas.memberPatchSchema, file: 'members.yml', route: '/lists/{list_id}/members/{subscriber_hash}', method: 'patch', fixture: fx.validMemberPatch },
  { ours: 'memberTagsSchema', schema: schemas.memberTagsSchema, file: 'members.yml', route: '/lists/{list_id}/members/{subscriber_hash}/tags', method: 'post', fixture: fx.validMemberTags },
  { ours: 'batchRequestSchema', schema: schemas.batchRequestSchema, file: 'batches.yml', route: '/batches', method: 'post', fixture: fx.validBatchRequest },
];

const NOT_A_SPEC_VALUE = 'definitely-not-in-the-spec';

describe.each(CASES)('$ours ~ $method $route', ({ schema, file, route, method, fixture }) => {
  const rules = rulesOf(bodySchema(file, route, method));

  it('accepts the valid fixture', () => {
    const result = schema.safeParse(fixture());
    expect(result.error?.issues ?? []).toEqual([]);
  });

  it('covers at least one spec rule (the spec was found and read)', () => {
    expect(rules.properties.length).toBeGreaterThan(0);
  });

  const required = rules.required.map((r) => [fieldPath([...r.container, r.field]), r] as const);
  if (required.length > 0) {
    it.each(required)('requires %s, as the spec does', (_label, rule) => {
      const body = fixture();
      delete walk(body, rule.container)[rule.field];
      const result = schema.safeParse(body);
      expect(result.success).toBe(false);
      const paths = result.error?.issues.map((i) => i.path.join('.'));
      expect(paths).toContain(fieldPath([...rule.container, rule.field]));
    });
  }

  const enums = rules.enums.map((r) => [fieldPath(r.at), r] as const);
  if (enums.length > 0) {
    it.each(enums)('accepts exactly the spec enum of %s', (_label, rule) => {
      for (const value of rule.values) {
        const body = fixture();
        setAt(body, rule.at, value);
        const result = schema.safeParse(body);
        expect({ value, issues: result.error?.issues ?? [] }).toEqual({ value, issues: [] });
      }
      const body = fixture();
      setAt(body, rule.at, NOT_A_SPEC_VALUE);
      expect(schema.safeParse(body).success).toBe(false);
    });
  }

  it('knows every field the spec lists (none silently stripped)', () => {
    const missing = rules.properties
      .filter((p) => !(p.field in shapeAt(schema, p.container)))
      .map((p) => fieldPath([...p.container, p.field]));
    expect(missing).toEqual([]);
  });
});

describe('enum values our schemas accept but the spec does not list', () => {
  it('member PATCH refuses transactional, which only PUT and POST may set', () => {
    const spec = bodySchema('members.yml', '/lists/{list_id}/members/{subscriber_hash}', 'patch');
    expect(spec.properties?.status?.enum).not.toContain('transactional');
    expect(schemas.memberPatchSchema.safeParse({ status: 'transactional' }).success).toBe(false);
  });
});
