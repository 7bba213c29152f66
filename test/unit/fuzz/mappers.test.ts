/**
 * Fuzzed mappers: any row the contract's column types allow gives either payloads that pass Mailchimp's official
 * spec (mailchimp/openapi/, via the emulator's validator) and the client's own schemas, or a recorded reason a person
 * can read. Never a crash. FUZZ_RUNS (default 150 per mapper) sets the number of cases; FUZZ_SEED replays one.
 */
import fc from 'fast-check';
import type { z } from 'zod';
import { loadSpecValidator } from '../../../emulator/spec';
import * as schemas from '../../../mailchimp/schemas';
import { cartLineChanges, cartPatchFrom, mapCart, withoutCampaign, type RemoteCartLine } from '../../../mapping/cart';
import { addressColumnsOf } from '../../../mapping/address-columns';
import { customerInputOf, customerPayload, customerWarnings, mapCustomer, pendingMemberPut } from '../../../mapping/customer';
import { mapOrder, orderPatchFrom, orderWarnings } from '../../../mapping/order';
import { mapProduct, productPatchFrom } from '../../../mapping/product';
import { mapPromoCode, mapPromoRule, promoRulePatchFrom } from '../../../mapping/promo';
import type { Mapped } from '../../../mapping/result';
import { mapStore, storePatchFrom } from '../../../mapping/store';
import * as arb from './arbitraries';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const options = { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) };
const spec = loadSpecValidator();

const STORE = '/ecommerce/stores/{store_id}';
type Request = [method: string, route: string, body: unknown, schema: z.ZodTypeAny];

/** Every request a payload becomes must pass the spec and our schema; JSON must carry it unchanged. */
function expectSendable(requests: Request[]): void {
  for (const [method, route, body, schema] of requests) {
    expect({ route: `${method} ${route}`, body: JSON.parse(JSON.stringify(body)) }).toEqual({ route: `${method} ${route}`, body });
    expect({ route: `${method} ${route}`, problems: spec.problems(method, route, body) }).toEqual({ route: `${method} ${route}`, problems: [] });
    const ours = schemas.validatePayload(schema, body, route);
    expect({ route: `${method} ${route}`, errors: ours.ok ? [] : ours.errors }).toEqual({ route: `${method} ${route}`, errors: [] });
  }
}

/** A refusal, a skip or a warning (what was sent without what) says why, in a sentence of reasonable length. */
function expectSentence(reason: string): void {
  expect(typeof reason).toBe('string');
  expect(reason.trim().length).toBeGreaterThan(10);
  expect(reason.length).toBeLessThanOrEqual(1000);
  expect(reason).not.toMatch(/\[object Object\]|\bundefined\b/);
}

function expectReason(mapped: Exclude<Mapped<unknown>, { kind: 'ok' }>): void {
  expectSentence(mapped.reason);
}

/** How many cases of the running mapper gave a payload: a fuzzer whose rows are all refused checks no payload. */
let sent = 0;
beforeEach(() => {
  sent = 0;
});
afterEach(() => {
  // Some cases are sent (each mapper's inputs are drawn so that a sixth or more of them are valid rows).
  if (RUNS >= 100) expect({ sent: sent >= RUNS / 50 }).toEqual({ sent: true });
});

function check<T>(mapped: Mapped<T>, requests: (payload: T) => Request[]): void {
  if (mapped.kind === 'ok') {
    sent += 1;
    expectSendable(requests(mapped.payload));
  } else {
    expectReason(mapped);
  }
}

describe('fuzzed mappers against the official spec', () => {
  it('store', () => {
    fc.assert(fc.property(arb.settings, fc.string({ maxLength: 60 }), (settings, storeId) => {
      check(mapStore(settings, { storeId, listId: 'a1b2c3d4e5' }), (p) => [
        ['POST', '/ecommerce/stores', p, schemas.storeSchema],
        ['PATCH', STORE, storePatchFrom(p), schemas.storePatchSchema],
      ]);
    }), options);
  });

  it('product and its variants', () => {
    fc.assert(fc.property(arb.productWithVariants, arb.settings, (p, settings) => {
      check(mapProduct(p, settings), (payload) => [
        ['POST', `${STORE}/products`, payload, schemas.productSchema],
        ['PATCH', `${STORE}/products/{product_id}`, productPatchFrom(payload), schemas.productPatchSchema],
        ...payload.variants.map((v): Request => ['PUT', `${STORE}/products/{product_id}/variants/{variant_id}`, v, schemas.variantSchema]),
      ]);
    }), options);
  });

  it('customer (registered with its address columns, and guest) and its pending member', () => {
    fc.assert(fc.property(arb.user, fc.boolean(), fc.boolean(), (u, isGuest, optIn) => {
      // As the shop-database source reads it (source/shop-db.ts).
      const input = customerInputOf({
        emailHash: '', email: u.email, firstName: u.first_name, lastName: u.last_name, isGuest, shopOptIn: optIn, address: addressColumnsOf(u),
      });
      customerWarnings(input).forEach(expectSentence);
      check(mapCustomer(input), (c) => [
        ['PUT', `${STORE}/customers/{customer_id}`, customerPayload(c, optIn), schemas.customerSchema],
        ['PUT', '/lists/{list_id}/members/{subscriber_hash}', pendingMemberPut(c), schemas.memberPutSchema],
      ]);
    }), options);
  });

  it('order with its lines, addresses and tracking', () => {
    fc.assert(fc.property(arb.orderInShop, ([settings, ctx]) => {
      orderWarnings(ctx).forEach(expectSentence);
      check(mapOrder(ctx, settings), (o) => [
        ['POST', `${STORE}/orders`, o, schemas.orderSchema],
        ['PATCH', `${STORE}/orders/{order_id}`, orderPatchFrom(o), schemas.orderPatchSchema],
        ...o.lines.map((l): Request => ['POST', `${STORE}/orders/{order_id}/lines`, l, schemas.orderLineSchema]),
      ]);
    }), options);
  });

  it('promo rule', () => {
    fc.assert(fc.property(arb.promotion, (promotion) => {
      check(mapPromoRule(promotion), (r) => [
        ['POST', `${STORE}/promo-rules`, r, schemas.promoRuleSchema],
        ['PATCH', `${STORE}/promo-rules/{promo_rule_id}`, promoRulePatchFrom(r), schemas.promoRulePatchSchema],
      ]);
    }), options);
  });

  it('promo code', () => {
    const input = arb.promotion.chain((promotion) => fc.tuple(fc.constant(promotion), arb.promoCode(promotion.id)));
    fc.assert(fc.property(input, arb.settings, fc.constantFrom('https://{domain}/cart?promo={code}', '{code}', 'https://x.example/{code}/{code}'), ([promotion, code], settings, template) => {
      check(mapPromoCode(code, promotion, settings, template), (c) => [
        ['POST', `${STORE}/promo-rules/{promo_rule_id}/promo-codes`, c, schemas.promoCodeSchema],
      ]);
    }), options);
  });

  it('cart with its lines and its buyer, and the PATCHes that change it in place', () => {
    fc.assert(fc.property(arb.cartInShop, arb.cartOptions, fc.boolean(), fc.boolean(), ([settings, found], cartOptions, known, optIn) => {
      check(mapCart(found, settings, cartOptions), ({ payload }) => {
        // As activities/entities/cart.ts sends it: a buyer the shop knows by id only, else inline with the consent.
        const body: schemas.CartPayload = { ...payload, customer: known ? { id: payload.customer.id } : customerPayload(payload.customer, optIn) };
        // Mailchimp's lines: each of the cart's with every field changed, and one the cart no longer has.
        const current: RemoteCartLine[] = [
          ...body.lines.map((l) => ({ id: l.id, product_id: `${l.product_id}-old`, product_variant_id: `${l.product_variant_id}-old`, quantity: l.quantity + 1, price: l.price + 1 })),
          { id: 'gone', product_id: 'P', product_variant_id: 'P', quantity: 1, price: 1 },
        ];
        const changes = cartLineChanges(body.lines, current);
        expect(changes.update).toHaveLength(body.lines.length);
        return [
          ['POST', `${STORE}/carts`, body, schemas.cartSchema],
          ['POST', `${STORE}/carts`, withoutCampaign(body), schemas.cartSchema],
          ['PATCH', `${STORE}/carts/{cart_id}`, cartPatchFrom(body), schemas.cartPatchSchema],
          ...body.lines.map((l): Request => ['POST', `${STORE}/carts/{cart_id}/lines`, l, schemas.cartLineSchema]),
          ...changes.update.map(({ patch }): Request => ['PATCH', `${STORE}/carts/{cart_id}/lines/{line_id}`, patch, schemas.cartLinePatchSchema]),
        ];
      });
    }), options);
  });
});
