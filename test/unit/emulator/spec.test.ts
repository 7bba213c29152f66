/** The emulator's second line of checks: request bodies against Mailchimp's official spec (mailchimp/openapi/). */
import { loadSpecValidator, routeKey } from '../../../emulator/spec';

const spec = loadSpecValidator();
const PRODUCTS = '/ecommerce/stores/{store_id}/products';
const PRODUCT = '/ecommerce/stores/{store_id}/products/{product_id}';
const PROMO_RULE = '/ecommerce/stores/{store_id}/promo-rules/{promo_rule_id}';
const MEMBER = '/lists/{list_id}/members/{subscriber_hash}';

describe('request bodies against the official spec', () => {
  it('route keys ignore parameter names', () => {
    expect(routeKey('post', '/ecommerce/stores/{id}/products')).toBe(routeKey('POST', PRODUCTS));
  });

  it('accepts a valid product and refuses a missing required field, with the field named', () => {
    expect(spec.problems('POST', PRODUCTS, { id: 'p1', title: 'Shoe', variants: [{ id: 'v1', title: 'Shoe' }] })).toEqual([]);
    const problems = spec.problems('POST', PRODUCTS, { id: 'p1', variants: [{ id: 'v1' }] }) ?? [];
    expect(problems.map((p) => p.field).sort()).toEqual(['title', 'variants.0.title']);
  });

  it('refuses wrong types (a price as a string, null for a string)', () => {
    const body = { id: 'p1', title: 'Shoe', variants: [{ id: 'v1', title: 'Shoe', price: '9.99' }] };
    expect(spec.problems('POST', PRODUCTS, body)?.map((p) => p.field)).toEqual(['variants.0.price']);
    expect(spec.problems('PATCH', PRODUCT, { description: null })?.map((p) => p.field)).toEqual(['description']);
  });

  it('refuses a value outside an enum and a date that is not a date-time', () => {
    expect(spec.problems('PATCH', PROMO_RULE, { type: 'half-off' })?.map((p) => p.field)).toEqual(['type']);
    expect(spec.problems('PATCH', PROMO_RULE, { ends_at: 'next tuesday' })?.map((p) => p.field)).toEqual(['ends_at']);
    expect(spec.problems('PATCH', PROMO_RULE, { ends_at: '2026-12-01T10:00:00.000Z' })).toEqual([]);
  });

  it('member PUT needs email_address and status_if_new only for a new member (the route checks that)', () => {
    expect(spec.problems('PUT', MEMBER, { status: 'unsubscribed' })).toEqual([]);
    expect(spec.problems('PUT', MEMBER, { status: 'sometimes' })?.map((p) => p.field)).toEqual(['status']);
  });

  it('warmed up, has every route with a body schema compiled and gives the same verdicts', () => {
    const warmed = loadSpecValidator();
    expect(warmed.warm()).toBeGreaterThanOrEqual(30);
    const bodies: Array<[string, string, unknown]> = [
      ['POST', PRODUCTS, { id: 'p1', title: 'Shoe', variants: [{ id: 'v1', title: 'Shoe' }] }],
      ['POST', PRODUCTS, { id: 'p1', variants: [{ id: 'v1' }] }],
      ['PATCH', PROMO_RULE, { type: 'half-off' }],
      ['PUT', MEMBER, { status: 'sometimes' }],
    ];
    for (const [method, pattern, body] of bodies) expect(warmed.problems(method, pattern, body)).toEqual(spec.problems(method, pattern, body));
  });

  it('has no opinion on a route whose body the spec does not describe', () => {
    expect(spec.problems('POST', '/not/a/route', {})).toBeUndefined();
  });
});
