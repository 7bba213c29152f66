/** The limits and rules Mailchimp documents outside the spec's required/enum lists. Each test fails without its rule. */
import { z } from 'zod';
import {
  MAILCHIMP_LIMITS,
  batchRequestSchema,
  customerSchema,
  listWebhookSchema,
  memberPatchSchema,
  memberPostSchema,
  memberPutSchema,
  memberTagsSchema,
  orderSchema,
  productSchema,
  promoCodeSchema,
  promoRulePatchSchema,
  promoRuleSchema,
  storePatchSchema,
  storeSchema,
  validatePayload,
  variantSchema,
} from '../../../mailchimp/schemas';
import * as fx from './fixtures';

/** The field paths of the issues, or [] when the body is valid. */
function failures(schema: z.ZodTypeAny, body: unknown): string[] {
  const result = schema.safeParse(body);
  return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
}

const chars = (n: number, c = 'x') => c.repeat(n);

describe('customer', () => {
  it(`id is at most ${MAILCHIMP_LIMITS.customerIdMaxLength} characters`, () => {
    expect(failures(customerSchema, fx.validCustomer(chars(50)))).toEqual([]);
    expect(failures(customerSchema, fx.validCustomer(chars(51)))).toEqual(['id']);
  });
  it('the inline customer of an order has the same id limit', () => {
    const order = fx.validOrder();
    order.customer.id = chars(51);
    expect(failures(orderSchema, order)).toEqual(['customer.id']);
  });
  it('email_address must be an address', () => {
    expect(failures(customerSchema, { ...fx.validCustomer(), email_address: 'not-an-email' })).toEqual(['email_address']);
  });
});

describe('promo rule', () => {
  it(`id is at most ${MAILCHIMP_LIMITS.promoRuleIdMaxLength} characters`, () => {
    expect(failures(promoRuleSchema, fx.validPromoRule(chars(50)))).toEqual([]);
    expect(failures(promoRuleSchema, fx.validPromoRule(chars(51)))).toEqual(['id']);
  });
  it('title is at most 100 bytes of UTF-8, not 100 characters', () => {
    expect(failures(promoRuleSchema, { ...fx.validPromoRule(), title: chars(100) })).toEqual([]);
    expect(failures(promoRuleSchema, { ...fx.validPromoRule(), title: chars(50, 'é') })).toEqual([]); // 100 bytes
    expect(failures(promoRuleSchema, { ...fx.validPromoRule(), title: chars(51, 'é') })).toEqual(['title']); // 51 chars, 102 bytes
    expect(failures(promoRulePatchSchema, { title: chars(101) })).toEqual(['title']);
  });
  it('description is at most 255 characters', () => {
    expect(failures(promoRuleSchema, { ...fx.validPromoRule(), description: chars(255) })).toEqual([]);
    expect(failures(promoRuleSchema, { ...fx.validPromoRule(), description: chars(256) })).toEqual(['description']);
  });
  it('a percentage amount is within 0..1 inclusive', () => {
    for (const amount of [0, 0.5, 1]) expect(failures(promoRuleSchema, { ...fx.validPromoRule(), amount })).toEqual([]);
    for (const amount of [-0.1, 1.01, 10]) expect(failures(promoRuleSchema, { ...fx.validPromoRule(), amount })).toEqual(['amount']);
    expect(failures(promoRulePatchSchema, { type: 'percentage', amount: 15 })).toEqual(['amount']);
  });
  it('a fixed amount may exceed 1', () => {
    expect(failures(promoRuleSchema, { ...fx.validPromoRule(), type: 'fixed', amount: 10 })).toEqual([]);
  });
  it('ends_at is after starts_at', () => {
    const rule = fx.validPromoRule();
    expect(failures(promoRuleSchema, { ...rule, ends_at: rule.starts_at })).toEqual(['ends_at']);
    expect(failures(promoRuleSchema, { ...rule, ends_at: '2024-05-01T00:00:00Z' })).toEqual(['ends_at']);
    expect(failures(promoRulePatchSchema, { starts_at: '2024-06-02T00:00:00Z', ends_at: '2024-06-01T00:00:00Z' })).toEqual(['ends_at']);
  });
  it('compares instants, not strings, across time zones', () => {
    const rule = { ...fx.validPromoRule(), starts_at: '2024-06-01T10:00:00+02:00', ends_at: '2024-06-01T09:00:00Z' };
    expect(failures(promoRuleSchema, rule)).toEqual([]);
  });
});

describe('promo code', () => {
  it('id and code are at most 50 characters', () => {
    expect(failures(promoCodeSchema, { ...fx.validPromoCode(chars(50)), code: chars(50) })).toEqual([]);
    expect(failures(promoCodeSchema, fx.validPromoCode(chars(51)))).toEqual(['id']);
    expect(failures(promoCodeSchema, { ...fx.validPromoCode(), code: chars(51) })).toEqual(['code']);
  });
  it('redemption_url is at most 2000 characters', () => {
    const base = 'https://shop.example.com/?p=';
    expect(failures(promoCodeSchema, { ...fx.validPromoCode(), redemption_url: base + chars(2000 - base.length) })).toEqual([]);
    expect(failures(promoCodeSchema, { ...fx.validPromoCode(), redemption_url: base + chars(2001 - base.length) })).toEqual(['redemption_url']);
  });
});

describe('currency_code', () => {
  it.each(['eur', 'EURO', 'EU', 'E1R', ''])('%p is not three uppercase letters', (code) => {
    expect(failures(storeSchema, { ...fx.validStore(), currency_code: code })).toEqual(['currency_code']);
    expect(failures(storePatchSchema, { currency_code: code })).toEqual(['currency_code']);
    expect(failures(orderSchema, { ...fx.validOrder(), currency_code: code })).toEqual(['currency_code']);
  });
  it('is required when creating a store but not when patching one', () => {
    const { currency_code: _dropped, ...store } = fx.validStore();
    expect(failures(storeSchema, store)).toEqual(['currency_code']);
    expect(failures(storePatchSchema, { name: 'x' })).toEqual([]);
  });
  it('a store patch cannot move the store to another list (list_id is stripped)', () => {
    expect(storePatchSchema.parse({ list_id: 'other' })).toEqual({});
  });
});

describe('order lines', () => {
  it('quantity is a whole number', () => {
    const order = fx.validOrder();
    order.lines[0].quantity = 1.5;
    expect(failures(orderSchema, order)).toEqual(['lines.0.quantity']);
  });
  it('price is a number, not a numeric string', () => {
    const order = fx.validOrder() as { lines: Array<Record<string, unknown>> };
    order.lines[0].price = '19.99';
    expect(failures(orderSchema, order)).toEqual(['lines.0.price']);
  });
});

describe('product', () => {
  it('needs at least one variant', () => {
    expect(failures(productSchema, { ...fx.validProduct(), variants: [] })).toEqual(['variants']);
  });
  it('each variant needs an id and a title', () => {
    const { id: _id, ...noId } = fx.validVariant();
    const { title: _title, ...noTitle } = fx.validVariant();
    expect(failures(productSchema, { ...fx.validProduct(), variants: [noId] })).toEqual(['variants.0.id']);
    expect(failures(productSchema, { ...fx.validProduct(), variants: [noTitle] })).toEqual(['variants.0.title']);
    expect(failures(variantSchema, { ...fx.validVariant(), id: '' })).toEqual(['id']);
  });
  it('inventory_quantity is a whole number', () => {
    expect(failures(variantSchema, { ...fx.validVariant(), inventory_quantity: 2.5 })).toEqual(['inventory_quantity']);
  });
});

describe('members and tags', () => {
  it('PUT and POST accept transactional; PATCH does not', () => {
    expect(failures(memberPutSchema, { ...fx.validMemberPut(), status_if_new: 'transactional', status: 'transactional' })).toEqual([]);
    expect(failures(memberPostSchema, { ...fx.validMemberPost(), status: 'transactional' })).toEqual([]);
    expect(failures(memberPatchSchema, { status: 'transactional' })).toEqual(['status']);
  });
  it('archived is a response status, never a written one', () => {
    expect(failures(memberPutSchema, { ...fx.validMemberPut(), status: 'archived' })).toEqual(['status']);
    expect(failures(memberPatchSchema, { status: 'archived' })).toEqual(['status']);
  });
  it('tag status is active or inactive', () => {
    expect(failures(memberTagsSchema, { tags: [{ name: 'a', status: 'inactive' }] })).toEqual([]);
    expect(failures(memberTagsSchema, { tags: [{ name: 'a', status: 'removed' }] })).toEqual(['tags.0.status']);
  });
});

describe('batch operations', () => {
  it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])('method %s is allowed', (method) => {
    const op = { ...fx.validBatchRequest().operations[0], method };
    expect(failures(batchRequestSchema, { operations: [op] })).toEqual([]);
  });
  it('other methods are not', () => {
    const op = { ...fx.validBatchRequest().operations[0], method: 'HEAD' };
    expect(failures(batchRequestSchema, { operations: [op] })).toEqual(['operations.0.method']);
  });
  it('body is a JSON string, not an object', () => {
    const op = { ...fx.validBatchRequest().operations[0], body: fx.validProduct() };
    expect(failures(batchRequestSchema, { operations: [op] })).toEqual(['operations.0.body']);
    expect(failures(batchRequestSchema, { operations: [{ ...op, body: '{not json' }] })).toEqual(['operations.0.body']);
  });
});

describe('dates, types and unknown keys', () => {
  it('dates are ISO 8601 date-times with a zone', () => {
    expect(failures(productSchema, { ...fx.validProduct(), published_at_foreign: '2024-05-01' })).toEqual(['published_at_foreign']);
    expect(failures(orderSchema, { ...fx.validOrder(), processed_at_foreign: '05/01/2024 10:00' })).toEqual(['processed_at_foreign']);
  });
  it('known fields are typed strictly', () => {
    expect(failures(customerSchema, { ...fx.validCustomer(), opt_in_status: 'true' })).toEqual(['opt_in_status']);
  });
  it('unknown keys are stripped, at every level', () => {
    const order = { ...fx.validOrder(), surprise: 1, lines: [{ ...fx.validOrderLine(), extra: true }] };
    const parsed = orderSchema.parse(order);
    expect(parsed).not.toHaveProperty('surprise');
    expect(parsed.lines[0]).not.toHaveProperty('extra');
  });
  it('a list webhook needs a URL', () => {
    expect(failures(listWebhookSchema, { ...fx.validListWebhook(), url: 'not a url' })).toEqual(['url']);
  });
});

describe('validatePayload', () => {
  it('returns the stripped value when valid', () => {
    const result = validatePayload(orderLineSchema(), { ...fx.validOrderLine(), extra: 1 }, 'line 1');
    expect(result).toEqual({ ok: true, value: fx.validOrderLine() });
  });
  it('names each field with a dotted path and a plain message', () => {
    const order = fx.validOrder() as { lines: Array<Record<string, unknown>> };
    order.lines[0].price = 'free';
    delete order.lines[0].product_id;
    const result = validatePayload(orderSchema, order, 'order 10023');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual(
      expect.arrayContaining([
        { field: 'lines.0.price', message: 'must be a number' },
        { field: 'lines.0.product_id', message: 'is required' },
      ]),
    );
    expect(result.message).toContain('order 10023: ');
    expect(result.message).toContain('lines.0.price: must be a number');
  });
});

function orderLineSchema() {
  return orderSchema.shape.lines.element;
}
