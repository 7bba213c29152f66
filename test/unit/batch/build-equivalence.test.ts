/**
 * The page builders (activities/batch/build.ts) give the same operations, bodies and content hashes byte for byte, as
 * they did with the building blocks they had before the CPU work of issue 15: validatePayload then JSON.stringify for
 * each body (now validatedJson) and the stableStringify before its quick path (test/unit/mapping/hash-before.ts).
 * The reference is build.ts itself, loaded again with those two blocks put back. FUZZ_RUNS sets the cases (each a page).
 */
import fc from 'fast-check';
import type { z } from 'zod';
import type * as Build from '../../../activities/batch/build';
import type { SyncStateRow } from '../../../db/sync-state';
import { apiPath } from '../../../mailchimp/api-path';
import { variantSchema } from '../../../mailchimp/schemas';
import { validatedJson } from '../../../mailchimp/schemas/json';
import { validatePayload } from '../../../mailchimp/schemas/validate';
import { customerIdForEmail } from '../../../mapping/ids';
import { orderWarnings } from '../../../mapping/order';
import { lineVariantFor, mapProduct } from '../../../mapping/product';
import type { CustomerRecord, OrderWithContext } from '../../../mapping/shop-rows';
import * as arb from '../fuzz/arbitraries';
import { stableStringifyBefore } from '../mapping/hash-before';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);

// eslint-disable-next-line @typescript-eslint/no-require-imports
const current = require('../../../activities/batch/build') as typeof Build;
let reference: typeof Build | undefined;
jest.isolateModules(() => {
  jest.doMock('../../../mailchimp/schemas/json', () => ({
    validatedJson: (schema: z.ZodTypeAny, body: unknown, label: string) => {
      const checked = validatePayload(schema, body, label);
      return checked.ok ? { ok: true, json: JSON.stringify(checked.value) } : checked;
    },
  }));
  jest.doMock('../../../mapping/hash', () => ({ stableStringify: stableStringifyBefore }));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  reference = require('../../../activities/batch/build') as typeof Build;
});
const before = reference as typeof Build;

const STORE = 'shop_1';

/** What the sync state may say of an entity: nothing, synced with some hash (maybe the one it has now), failed, deleted. */
const previous = (id: string): fc.Arbitrary<SyncStateRow | null> => fc.oneof(
  { weight: 4, arbitrary: fc.constant(null) },
  {
    weight: 2,
    arbitrary: fc.record({ status: fc.constantFrom('synced', 'failed', 'deleted', 'skipped'), content_hash: fc.option(fc.stringMatching(/^[0-9a-f]{1,4}$/), { nil: null }), remote_id: fc.option(fc.constantFrom('A1', 'x'), { nil: null }) })
      .map(({ status, content_hash, remote_id }): SyncStateRow => ({
        store_id: STORE, entity_type: 'order', entity_id: id, status: status as SyncStateRow['status'], content_hash, remote_id, attempts: 0, error_reason: null,
        error_detail: null, synced_at: null, updated_at: new Date(0),
      })),
  },
);

/** Rows whose recorded hash is the one the reference build gives them now (the "unchanged" path). */
function recordedAs<R extends { id: string; previous: SyncStateRow | null }>(rows: R[], page: Build.BuiltPage): R[] {
  const hashes = new Map(page.operations.map((op) => [op.entityId, op.contentHash]));
  return rows.map((r, i) => (i % 3 === 0 && hashes.has(r.id) ? { ...r, previous: { ...(r.previous ?? previousRow(r.id)), status: 'synced', content_hash: hashes.get(r.id) ?? null } } : r));
}

function previousRow(id: string): SyncStateRow {
  return { store_id: STORE, entity_type: 'x', entity_id: id, status: 'synced', content_hash: null, remote_id: null, attempts: 0, error_reason: null, error_detail: null, synced_at: null, updated_at: new Date(0) };
}

/** What the cases went through, so that a generator sending nothing cannot pass unnoticed. */
const seen = { operations: 0, unchanged: 0, variants: 0 };
afterAll(() => {
  if (RUNS >= 20) expect({ operations: seen.operations > 0, unchanged: seen.unchanged > 0 }).toEqual({ operations: true, unchanged: true });
});

describe('the page builders give what they gave before, byte for byte', () => {
  it('orders (bodies, hashes, dependencies, skips, direct and unchanged) and the variants their lines need', async () => {
    const page = fc.tuple(arb.settings, fc.array(fc.tuple(arb.orderInShop, fc.boolean()), { minLength: 1, maxLength: 25 }))
      .chain(([settings, orders]) => fc.tuple(fc.constant(settings), fc.tuple(...orders.map(([[, found], gone], i) => previous(String(i)).map((prev) => ({ id: String(i), found: gone && i % 7 === 0 ? null : found, previous: prev }))))));
    await fc.assert(fc.asyncProperty(page, arb.productWithVariants, async ([settings, rows], product) => {
      const built = before.buildOrderOperations(STORE, settings, rows);
      expect(current.buildOrderOperations(STORE, settings, rows)).toEqual(built);
      // The sliced build (the direct pages' one, giving the event loop turns) gives the same page.
      expect(await current.buildOrderOperationsSliced(STORE, settings, rows)).toEqual(built);
      const again = recordedAs(rows, built);
      const builtAgain = before.buildOrderOperations(STORE, settings, again);
      expect(current.buildOrderOperations(STORE, settings, again)).toEqual(builtAgain);
      expect(await current.buildOrderOperationsSliced(STORE, settings, again)).toEqual(builtAgain);
      seen.operations += built.operations.length;
      // What an order was sent without is what orderWarnings says of it (planOrder reads it with the mapping).
      for (const op of built.operations) {
        const warnings = orderWarnings(rows.find((r) => r.id === op.entityId)?.found as OrderWithContext);
        expect(op.warning).toEqual(warnings.length > 0 ? warnings.join('; ') : undefined);
      }
      seen.unchanged += builtAgain.unchanged.length;
      const products = new Map([...built.dependencies.values()].flatMap((d) => d.variants.map((v) => [v.productCode, { found: product, orderedWithoutVariant: v.variantId === v.productCode }] as const)));
      expect(current.buildLineVariantOperations(STORE, settings, built.dependencies, products)).toEqual(before.buildLineVariantOperations(STORE, settings, built.dependencies, products));
    }), { numRuns: RUNS });
  });

  it('products, customers, promo rules and promo codes', async () => {
    const input = fc.record({
      settings: arb.settings,
      products: fc.array(fc.tuple(arb.productWithVariants, fc.boolean(), fc.boolean()), { maxLength: 20 }),
      users: fc.array(fc.tuple(arb.user, fc.boolean(), fc.boolean()), { maxLength: 20 }),
      promotions: fc.array(arb.promotion, { maxLength: 10 }),
      status: fc.constantFrom('subscribed', 'unsubscribed', 'pending', 'cleaned', null),
      doubleOptIn: fc.boolean(),
    });
    await fc.assert(fc.asyncProperty(input, async ({ settings, products, users, promotions, status, doubleOptIn }) => {
      const productRows = products.map(([found, orderedWithoutVariant, referenced], i) => ({ id: String(i), found, previous: null, orderedWithoutVariant, referenced }));
      const builtProducts = before.buildProductOperations(STORE, settings, productRows);
      expect(current.buildProductOperations(STORE, settings, productRows)).toEqual(builtProducts);
      const productsAgain = recordedAs(productRows, builtProducts);
      expect(current.buildProductOperations(STORE, settings, productsAgain)).toEqual(before.buildProductOperations(STORE, settings, productsAgain));

      const customerRows = users.map(([u, isGuest, shopOptIn]) => {
        const record: CustomerRecord = { emailHash: customerIdForEmail(u.email.trim()), email: u.email, firstName: u.first_name, lastName: u.last_name, isGuest, shopOptIn, address: isGuest ? undefined : u };
        return { id: record.emailHash, record, previous: null };
      });
      const audience = { status: () => status, doubleOptIn };
      const builtCustomers = before.buildCustomerOperations(STORE, settings, audience, customerRows);
      expect(current.buildCustomerOperations(STORE, settings, audience, customerRows)).toEqual(builtCustomers);
      expect(await current.buildCustomerOperationsSliced(STORE, settings, audience, customerRows)).toEqual(builtCustomers);
      const customersAgain = recordedAs(customerRows, builtCustomers);
      expect(current.buildCustomerOperations(STORE, settings, audience, customersAgain)).toEqual(before.buildCustomerOperations(STORE, settings, audience, customersAgain));

      const ruleRows = promotions.map((row, i) => ({ id: String(i), row, previous: null }));
      expect(current.buildPromoRuleOperations(STORE, ruleRows)).toEqual(before.buildPromoRuleOperations(STORE, ruleRows));
      const codeRows = promotions.map((promotion, i) => ({
        id: String(i), promotion, previous: null, ruleSynced: i % 4 !== 0,
        code: { id: String(i), promotion_id: promotion.id, code: promotion.title, usage_count: i, enabled: promotion.enabled, created_at: promotion.created_at, updated_at: promotion.updated_at },
      }));
      expect(current.buildPromoCodeOperations(STORE, settings, '{code}', codeRows)).toEqual(before.buildPromoCodeOperations(STORE, settings, '{code}', codeRows));
    }), { numRuns: RUNS });
  });

  it('the variants orders need: each product mapped once per page gives what mapping it for every line gave', () => {
    /** buildLineVariantOperations as it was, mapping the product again for each line that names it. */
    const perLine = (settings: Parameters<typeof current.buildLineVariantOperations>[1], dependencies: ReadonlyMap<string, Build.OrderDependencies>, products: Parameters<typeof current.buildLineVariantOperations>[3]) => {
      const byKey = new Map<string, Build.VariantOperation>();
      for (const [orderId, deps] of dependencies) {
        for (const { productCode, variantId } of deps.variants) {
          const product = products.get(productCode);
          if (!product) continue;
          const mapped = mapProduct({ ...product.found, product: { ...product.found.product, status: 'active' } }, settings);
          if (mapped.kind !== 'ok') continue;
          const has = new Set(mapped.payload.variants.map((v) => v.id));
          if (product.orderedWithoutVariant) has.add(productCode);
          if (has.has(variantId)) continue;
          const key = JSON.stringify([productCode, variantId]);
          let entry = byKey.get(key);
          if (!entry) {
            const body = validatedJson(variantSchema, lineVariantFor(mapped.payload, variantId), `variant ${variantId} of product ${productCode}`);
            if (!body.ok) continue;
            entry = { operation: { method: 'PUT', path: apiPath`/ecommerce/stores/${STORE}/products/${productCode}/variants/${variantId}`, body: body.json, operation_id: `variant:${key}` }, orderIds: [] };
            byKey.set(key, entry);
          }
          entry.orderIds.push(orderId);
        }
      }
      return [...byKey.values()];
    };
    let variants = 0;
    const input = fc.tuple(arb.settings, fc.array(arb.orderInShop, { minLength: 1, maxLength: 25 }), fc.array(fc.tuple(arb.productWithVariants, fc.boolean()), { minLength: 1, maxLength: 4 }));
    fc.assert(fc.property(input, ([settings, orders, shopProducts]) => {
      const built = current.buildOrderOperations(STORE, settings, orders.map(([, found], i) => ({ id: String(i), found, previous: null })));
      const codes = [...new Set([...built.dependencies.values()].flatMap((d) => d.variants.map((v) => v.productCode)))];
      const products = new Map(codes.map((code, i) => {
        const [found, orderedWithoutVariant] = shopProducts[i % shopProducts.length];
        return [code, { found, orderedWithoutVariant }] as const;
      }));
      const expected = perLine(settings, built.dependencies, products);
      variants += expected.length;
      expect(current.buildLineVariantOperations(STORE, settings, built.dependencies, products)).toEqual(expected);
    }), { numRuns: RUNS });
    if (RUNS >= 20) expect(variants).toBeGreaterThan(0);
  });

  it('the reference is the old code (a body or hash built otherwise would be told apart)', () => {
    expect(before.buildOrderOperations).not.toBe(current.buildOrderOperations);
  });
});
