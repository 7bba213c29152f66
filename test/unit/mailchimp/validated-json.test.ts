/**
 * validatedJson (mailchimp/schemas/json.ts) against what it replaces, validatePayload then JSON.stringify of the value:
 * the same answer for every body, byte for byte when it passes and with zod's own errors and message when it does not.
 * Bodies are drawn from each schema (near misses of every kind: wrong types, missing and unknown keys, undefined,
 * NaN, -0, Infinity, holes, odd objects) and from the mappers (what the sync sends). FUZZ_RUNS sets the cases.
 */
import fc from 'fast-check';
import { z } from 'zod';
import * as schemas from '../../../mailchimp/schemas';
import { validatedJson } from '../../../mailchimp/schemas/json';
import { mapOrder } from '../../../mapping/order';
import { mapProduct } from '../../../mapping/product';
import { customerInputOf, customerPayload, mapCustomer } from '../../../mapping/customer';
import { mapPromoCode, mapPromoRule } from '../../../mapping/promo';
import { addressColumnsOf } from '../../../mapping/address-columns';
import * as arb from '../fuzz/arbitraries';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const options = { numRuns: RUNS };

function reference(schema: z.ZodTypeAny, body: unknown, label: string): unknown {
  const checked = schemas.validatePayload(schema, body, label);
  return checked.ok ? { ok: true, json: JSON.stringify(checked.value) } : checked;
}

function expectSame(schema: z.ZodTypeAny, body: unknown): boolean {
  const want = reference(schema, body, 'order 7');
  expect(validatedJson(schema, body, 'order 7')).toEqual(want);
  return (want as { ok: boolean }).ok;
}

class Thing {
  constructor(readonly id: string) {}
}

/** Anything but what the schema wants. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(undefined, null, NaN, -0, 0, Infinity, -Infinity, '', 'x', true, false, [], {}, new Date(0), new Map([['id', '1']]), new Thing('1')),
  fc.string({ maxLength: 8 }),
  fc.double(),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
);

const stringValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2026-12-01T10:00:00+02:00', '2026-12-01T10:00:00', '2026-02-30T10:00:00Z', '2026-12-01T10:00Z', 'USD', 'usd', 'US', 'a@b.co', 'a@b', '🛒', 'x'.repeat(60), 'fixed', 'percentage', 'total'),
  fc.emailAddress(),
);

/** A string the checks of `schema` accept, mostly. */
function validString(schema: z.ZodString): fc.Arbitrary<string> {
  const checks = schema._def.checks;
  const regex = checks.find((c) => c.kind === 'regex');
  if (regex?.kind === 'regex') return fc.stringMatching(regex.regex);
  if (checks.some((c) => c.kind === 'datetime')) {
    return fc.oneof(
      fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constantFrom('2026-12-01T10:00:00+02:00', '2026-12-01T10:00:00.5-0530', '2024-02-29T23:59:59Z'),
    );
  }
  if (checks.some((c) => c.kind === 'url')) return fc.oneof({ weight: 8, arbitrary: fc.webUrl() }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
  if (checks.some((c) => c.kind === 'email')) return fc.tuple(fc.stringMatching(/^[a-z0-9]{1,8}$/), fc.domain()).map(([name, domain]) => `${name}@${domain}`);
  const prefix = checks.find((c) => c.kind === 'startsWith');
  if (prefix?.kind === 'startsWith') return fc.string({ maxLength: 12 }).map((rest) => `${prefix.value}${rest}`);
  const min = checks.find((c) => c.kind === 'min');
  const max = checks.find((c) => c.kind === 'max');
  const minLength = min?.kind === 'min' ? min.value : 0;
  return fc.string({ minLength, maxLength: max?.kind === 'max' ? max.value : Math.max(minLength, 12) });
}

/** Values near what `schema` accepts, most of them accepted, the rest refused for one reason or another. */
function near(schema: z.ZodTypeAny, depth = 0): fc.Arbitrary<unknown> {
  const wrong = { weight: 1, arbitrary: junk };
  if (schema instanceof z.ZodOptional) return fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 4, arbitrary: near(schema.unwrap() as z.ZodTypeAny, depth) });
  if (schema instanceof z.ZodNullable) return fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 4, arbitrary: near(schema.unwrap() as z.ZodTypeAny, depth) });
  if (schema instanceof z.ZodEffects) return fc.oneof(near(schema.innerType() as z.ZodTypeAny, depth), fc.json({ maxDepth: 1 }));
  if (schema instanceof z.ZodDefault) return fc.oneof(fc.constant(undefined), near(schema.removeDefault() as z.ZodTypeAny, depth));
  if (schema instanceof z.ZodString) return fc.oneof({ weight: 40, arbitrary: validString(schema) }, { weight: 3, arbitrary: stringValue }, wrong);
  if (schema instanceof z.ZodNumber) {
    return fc.oneof({ weight: 30, arbitrary: fc.integer({ min: 0, max: 1000 }) }, { weight: 10, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) }, { weight: 2, arbitrary: fc.constantFrom(NaN, -0, -1, Infinity, 0.5, 2 ** 53) }, wrong);
  }
  if (schema instanceof z.ZodBoolean) return fc.oneof({ weight: 40, arbitrary: fc.boolean() }, wrong);
  if (schema instanceof z.ZodEnum) return fc.oneof({ weight: 40, arbitrary: fc.constantFrom(...(schema.options as string[])) }, wrong);
  if (schema instanceof z.ZodLiteral) return fc.oneof({ weight: 40, arbitrary: fc.constant(schema.value as unknown) }, wrong);
  if (schema instanceof z.ZodArray) {
    const element = near(schema.element as z.ZodTypeAny, depth + 1);
    return fc.oneof(
      { weight: 8, arbitrary: fc.array(element, { maxLength: depth > 1 ? 1 : 3 }) },
      { weight: 1, arbitrary: fc.sparseArray(element, { maxLength: 3 }) },
      wrong,
    );
  }
  if (schema instanceof z.ZodObject) {
    const shape = schema.shape as Record<string, z.ZodTypeAny>;
    const fields = Object.fromEntries(Object.entries(shape).map(([key, value]) => [key, near(value, depth + 1)]));
    const required = Object.keys(shape).filter((key) => !(shape[key] instanceof z.ZodOptional));
    const body = fc.tuple(
      fc.oneof({ weight: 6, arbitrary: fc.record(fields, { requiredKeys: required }) }, { weight: 1, arbitrary: fc.record(fields, { requiredKeys: [] }) }),
      fc.oneof({ weight: 6, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('extra', 'Id', '__proto__', '0', 'toString'), junk, { maxKeys: 2 }) }),
      fc.integer({ min: 0, max: 19 }),
    ).map(([fieldsDrawn, extra, shapeOf]) => {
      const plain = { ...extra, ...fieldsDrawn };
      // Key order as drawn, reversed, without a prototype, or a class instance: zod reads them all the same way.
      if (shapeOf === 0) return Object.assign(Object.create(null) as object, plain);
      if (shapeOf === 1) return Object.assign(new Thing('x'), plain);
      if (shapeOf === 2) return Object.fromEntries(Object.entries(plain).reverse());
      return plain;
    });
    return fc.oneof({ weight: 10, arbitrary: body }, wrong);
  }
  return junk;
}

const bodySchemas: Array<[string, z.ZodTypeAny]> = Object.entries(schemas as Record<string, unknown>)
  .flatMap(([name, value]): Array<[string, z.ZodTypeAny]> => (value instanceof z.ZodType ? [[name, value as z.ZodTypeAny]] : []));

describe('validatedJson is validatePayload and JSON.stringify of the value', () => {
  it('covers every body schema', () => {
    expect(bodySchemas.map(([name]) => name)).toEqual(expect.arrayContaining(['orderSchema', 'customerSchema', 'productSchema', 'variantSchema', 'promoRuleSchema', 'promoCodeSchema', 'cartSchema']));
  });

  it.each(bodySchemas)('%s, on bodies drawn from the schema', (_name, schema) => {
    let passed = 0;
    fc.assert(fc.property(near(schema), (body) => {
      if (expectSame(schema, body)) passed += 1;
    }), options);
    // Both ways are exercised: some bodies pass, some are refused.
    if (RUNS >= 100) expect({ passed: passed > 0 && passed < RUNS }).toEqual({ passed: true });
  });

  it('on what the mappers make of any row (orders with their customer inline or by id, products, variants, customers, promos)', () => {
    fc.assert(fc.property(arb.orderInShop, arb.productWithVariants, arb.settings, arb.user, arb.promotion, fc.boolean(), ([shop, ctx], product, settings, user, promotion, optIn) => {
      const order = mapOrder(ctx, shop);
      if (order.kind === 'ok') {
        expectSame(schemas.orderSchema, order.payload);
        expectSame(schemas.orderSchema, { ...order.payload, customer: { id: order.payload.customer.id } });
        expectSame(schemas.orderSchema, { ...order.payload, customer: { ...order.payload.customer, opt_in_status: optIn } });
      }
      const mapped = mapProduct(product, settings);
      if (mapped.kind === 'ok') {
        expectSame(schemas.productSchema, mapped.payload);
        for (const variant of mapped.payload.variants) expectSame(schemas.variantSchema, variant);
      }
      const customer = mapCustomer(customerInputOf({
        emailHash: '', email: user.email, firstName: user.first_name, lastName: user.last_name, isGuest: false, shopOptIn: optIn, address: addressColumnsOf(user),
      }));
      if (customer.kind === 'ok') expectSame(schemas.customerSchema, customerPayload(customer.payload, optIn));
      const rule = mapPromoRule(promotion);
      if (rule.kind === 'ok') expectSame(schemas.promoRuleSchema, rule.payload);
      const code = mapPromoCode({ id: '1', promotion_id: promotion.id, code: promotion.title, usage_count: 1, enabled: true, created_at: promotion.created_at, updated_at: promotion.updated_at }, promotion, settings, '{code}');
      if (code.kind === 'ok') expectSame(schemas.promoCodeSchema, code.payload);
    }), options);
  });

  it('keeps the schema\'s key order, leaves out unknown keys and undefined values, and writes numbers as JSON does', () => {
    const body = { lines: [], order_total: -0, currency_code: 'USD', extra: 1, customer: { email_address: undefined, id: 'c' }, id: 'o', tax_total: undefined };
    const got = validatedJson(schemas.orderSchema, body, 'order o');
    expect(got).toEqual({ ok: true, json: '{"id":"o","customer":{"id":"c"},"currency_code":"USD","order_total":0,"lines":[]}' });
    expect(got).toEqual(reference(schemas.orderSchema, body, 'order o'));
  });

  it('refuses as validatePayload does, with its field errors and message', () => {
    const body = { id: '', customer: { id: 'c' }, currency_code: 'usd', order_total: NaN, lines: [{ id: '1' }] };
    const got = validatedJson(schemas.orderSchema, body, 'order 7');
    expect(got.ok).toBe(false);
    expect(got).toEqual(reference(schemas.orderSchema, body, 'order 7'));
  });
});
