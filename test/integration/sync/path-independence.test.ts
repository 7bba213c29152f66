import fs from 'node:fs';
import path from 'node:path';
import { runScenario } from '../../property/differential';
import type { OrderFields, ProductFields, PromotionFields, Scenario, Step, VariantFields, Write } from '../../property/steps';
import { startTwoStores, type TwoStores } from '../../property/stores';

/**
 * Cases the differential property test found (or that issue 10 names), each a fixed scenario on the real stack:
 * the shop as it starts, a full sync, the merchant's changes with the schedules' scans, the catch-up, then a fresh full
 * sync of the final shop into an empty store; the two stores must be equal (test/property/differential.ts).
 */

const fields: ProductFields = { title: 'Hat', description: null, category: null, vendor: null, seo_url: null, image_url: null, status: 'active', published_at: null };
const variant = (currency: string, status: VariantFields['status'] = 'active'): VariantFields => ({ title: currency, price: '10.00', currency, inventory_quantity: 3, image_url: null, status });
const paid: OrderFields = { status: 'paid', discount_total: '0.00', tax_total: '0.00', shipping_total: '0.00', order_total: '10.00', promo_code: null, campaign_id: null, landing_site: null };
const product = (variants: VariantFields[], patch: Partial<ProductFields> = {}): Write => ({ kind: 'createProduct', notify: false, fields: { ...fields, ...patch }, variants });
/** A guest order (a new, valid e-mail) whose lines name these products' variants (indexes, as the steps pick them). */
const guestOrder = (lines: Array<{ product: number; variant: number | null }>, status: OrderFields['status'] = 'paid'): Write => ({
  kind: 'createOrder', notify: false, buyer: { kind: 'guest', reuse: null, email: 'valid', first_name: 'Guest', last_name: null },
  fields: { ...paid, status }, lines: lines.map((l) => ({ ...l, quantity: 1, unit_price: '10.00', discount: '0.00' })),
});
const scan: Step = { kind: 'scan' };
const promotionFields: PromotionFields = { title: 'Sale', description: null, discount_type: 'fixed', amount: '5.00', target: 'total', starts_at: '2026-01-27T15:54:34.604Z', ends_at: '2026-02-01T00:00:00.000Z', enabled: true };
/** A promotion with two codes; `ends_at` before `starts_at` makes the mapping refuse it. */
const promotion = (patch: Partial<PromotionFields>): Write => ({
  kind: 'createPromotion', notify: false, fields: { ...promotionFields, ...patch },
  codes: [{ code: 'SAVE10', usage_count: 1, enabled: true }, { code: 'vip', usage_count: 0, enabled: false }],
});
/** A run takes a few seconds on an idle machine; far longer when the machine is shared (the first one bundles workflows). */
const RUN_MS = 240_000;

describe('path independence: the incremental store ends where a fresh full sync of the final shop ends', () => {
  let stores: TwoStores;
  beforeAll(async () => {
    stores = await startTwoStores();
  });
  afterAll(async () => {
    await stores?.stop();
  });

  const expectSame = async (scenario: Scenario) => {
    const result = await runScenario(stores, scenario);
    expect({ diffs: result.diffs, log: result.diffs.length > 0 ? result.log : [] }).toEqual({ diffs: [], log: [] });
  };

  // Seed 9001 path 20: the order, refused for its line naming the EUR variant, was never sent; once the USD variant
  // is deleted nothing of the product can be sent, and a fresh sync created the guest's customer on the way of an
  // order that then waited for the product (the customer was only in the fresh store).
  it('an order refused for a variant, whose product then cannot be sent at all: no guest customer either way', async () => {
    await expectSame({
      initial: [product([variant('USD'), variant('EUR')]), guestOrder([{ product: 0, variant: 1 }, { product: 0, variant: 0 }])],
      changes: [{ kind: 'updateVariant', notify: true, pick: 0, patch: { status: 'deleted' } }, scan],
    });
  }, RUN_MS);

  // Issue 10, known case b: a sent order whose product can no longer be sent at all "waits for a product" in a fresh
  // sync (not sent, nor its guest's customer); the incremental path ends there too: the order and the product leave.
  it('a sent order whose product then cannot be sent at all leaves Mailchimp, with its guest customer', async () => {
    await expectSame({
      initial: [product([variant('USD'), variant('EUR')]), guestOrder([{ product: 0, variant: 0 }])],
      changes: [{ kind: 'updateVariant', notify: false, pick: 0, patch: { status: 'deleted' } }, scan],
    });
  }, RUN_MS);

  // Issue 10, known case a: the old product of a renamed code was kept without stock because an order sent with it
  // "could not be re-sent", though that order had left Mailchimp on the way (refused now: its line names a variant
  // priced in another currency): a fresh sync has only the new product.
  it('a renamed product whose only sent order left on the way ends as the new product only', async () => {
    await expectSame({
      initial: [product([variant('USD'), variant('USD')]), guestOrder([{ product: 0, variant: 0 }])],
      changes: [{ kind: 'updateVariant', notify: true, pick: 0, patch: { currency: 'EUR' } }, { kind: 'changeProductCode', notify: true, pick: 0 }, scan],
    });
  }, RUN_MS);

  // Seed 9001 (200 runs), path 3: a promotion refused (it ended before it started) is fixed by a change of its row
  // alone; its rule was sent, but its codes, recorded as waiting for it, were never sent again.
  it('the codes of a promotion refused until now follow their rule once it is sent', async () => {
    await expectSame({
      initial: [product([variant('USD')]), promotion({ ends_at: '2026-01-01T00:00:06.006Z' })],
      changes: [{ kind: 'updatePromotion', notify: false, pick: 0, patch: { starts_at: null } }, scan],
    });
  }, RUN_MS);

  // The other way round: a promotion sent before that the mapping refuses now leaves Mailchimp with its codes.
  it('a promotion sent before and refused now leaves Mailchimp with its codes', async () => {
    await expectSame({
      initial: [product([variant('USD')]), promotion({})],
      changes: [{ kind: 'updatePromotion', notify: true, pick: 0, patch: { ends_at: '2026-01-01T00:00:06.006Z' } }, scan],
    });
  }, RUN_MS);
  // Seed 9001 (200 runs), path 61, as the property test found it (the simpler cases around it pass: what matters is the
  // mix of refused variants, a rename and orders made before and after the first sync): a product refused (its title
  // empty) made its orders wait for it; renamed, then given a title while deleted in the shop, a fresh sync sends the
  // orders with its stand-in. The incremental path wrote the product but never sent the orders that waited for it.
  it('orders that waited for a refused product are sent once the product can be sent (seed 9001, path 61)', async () => {
    const file = path.join(__dirname, 'scenarios', 'seed-9001-path-61.json');
    await expectSame(JSON.parse(fs.readFileSync(file, 'utf8')) as Scenario);
  }, RUN_MS);

  // Seed 9001 (200 runs), path 27, as found: a product deleted in the shop (status) is kept as a stand-in only for a
  // sent order; its only order waited for it (its variant priced in EUR), so the first sync recorded the product as
  // deleted, not failed. Once its variant is deleted too, a fresh sync sends the order with the stand-in; the
  // incremental path wrote the stand-in but left the order failed, as only a product recorded failed re-sent them.
  it('orders that waited for a product recorded deleted are sent once it can be sent (seed 9001, path 27)', async () => {
    const file = path.join(__dirname, 'scenarios', 'seed-9001-path-27.json');
    await expectSame(JSON.parse(fs.readFileSync(file, 'utf8')) as Scenario);
  }, RUN_MS);

  // The same with the property test's cart steps (seed 9001, path 11), trimmed: a product deleted in the shop whose
  // stand-in is refused (its title empty), then given a title.
  it('orders that waited for a deleted product whose title was empty are sent once it has a title', async () => {
    await expectSame({
      initial: [product([variant('USD')], { title: '', status: 'deleted' }), guestOrder([{ product: 0, variant: 0 }])],
      changes: [{ kind: 'updateProduct', notify: true, pick: 0, patch: { title: 'Hat' } }, scan],
    });
  }, RUN_MS);

  // With the cart steps, seed 9001 path 17, as found: a guest with a pending order, a paid one and a cart; the paid
  // order is hard-deleted. A fresh sync creates the guest's customer for the cart; the incremental path deleted it with
  // the order, as only an order in Mailchimp kept a guest's customer.
  it('a guest customer a sent cart names stays when their only sent order is hard-deleted (carts, seed 9001, path 17)', async () => {
    const file = path.join(__dirname, 'scenarios', 'seed-9001-carts-path-17.json');
    await expectSame(JSON.parse(fs.readFileSync(file, 'utf8')) as Scenario);
  }, RUN_MS);

  it('a guest customer a sent cart names stays when their only order is hard-deleted', async () => {
    const cart: Write = {
      kind: 'createCart', notify: false, buyer: { kind: 'guest', reuse: 0, email: 'valid', first_name: 'Guest' },
      fields: { order_total: '10.00', tax_total: null, campaign_id: null, checkout_url: null }, lines: [{ product: 0, variant: 0, quantity: 1, unit_price: '10.00' }],
    };
    await expectSame({
      initial: [product([variant('USD')]), guestOrder([{ product: 0, variant: 0 }]), cart],
      changes: [{ kind: 'deleteOrder', notify: true, pick: 0 }, scan],
    });
  }, RUN_MS);

  // With the cart steps, seed 9001 path 47, as found: a guest order refused for its line naming the product's EUR
  // variant; the product's USD variant is deleted (a late commit), so for a while nothing of the product can be sent,
  // then the EUR variant is priced in USD. A fresh sync sends the order. The incremental path sent the product again
  // but left the order failed: only a product recorded failed (or deleted) re-sent the orders that waited for it, and
  // this one stayed recorded synced, with its refused variant's reason, when its own sync ran after the reprice. As
  // found it depends on timing (it passes without the fix when the order is looked at again after the reprice); the
  // trimmed case below does not.
  it('an order refused for a variant the product was sent without is sent once it is sent (carts, seed 9001, path 47)', async () => {
    const file = path.join(__dirname, 'scenarios', 'seed-9001-carts-path-47.json');
    await expectSame(JSON.parse(fs.readFileSync(file, 'utf8')) as Scenario);
  }, RUN_MS);

  // The same, trimmed: the first scans after the full sync look at the order again (its row is inside the look-back)
  // while the variant is still priced in EUR; repriced after, only the product's sync runs.
  it('an order refused for a variant priced in another currency is sent once the variant is priced in the store currency', async () => {
    await expectSame({
      initial: [product([variant('USD'), variant('EUR')]), guestOrder([{ product: 0, variant: 0 }, { product: 0, variant: 1 }])],
      changes: [scan, scan, { kind: 'updateVariant', notify: false, pick: 1, patch: { currency: 'USD' } }, scan],
    });
  }, RUN_MS);

  // A cart line naming a product or variant the sync does not send is left out; the products scan hands the carts
  // naming a changed product row to their workflows, next to the product's (the product's own write syncs them again
  // too: product.ts resendDependants). Regression tests: each passed before that write did as well.
  const guestCart = (lines: Array<{ product: number; variant: number }>): Write => ({
    kind: 'createCart', notify: false, buyer: { kind: 'guest', reuse: null, email: 'valid', first_name: 'Guest' },
    fields: { order_total: '20.00', tax_total: null, campaign_id: null, checkout_url: null }, lines: lines.map((l) => ({ ...l, quantity: 1, unit_price: '10.00' })),
  });
  it('a cart line naming a variant priced in another currency comes in once it is priced in the store currency', async () => {
    await expectSame({
      initial: [product([variant('USD'), variant('EUR')]), guestCart([{ product: 0, variant: 0 }, { product: 0, variant: 1 }])],
      changes: [{ kind: 'updateVariant', notify: true, pick: 1, patch: { currency: 'USD' } }, scan],
    });
  }, RUN_MS);

  it('a sent cart loses its line naming a variant priced in another currency from now on', async () => {
    await expectSame({
      initial: [product([variant('USD'), variant('USD')]), guestCart([{ product: 0, variant: 0 }, { product: 0, variant: 1 }])],
      changes: [{ kind: 'updateVariant', notify: true, pick: 1, patch: { currency: 'EUR' } }, scan],
    });
  }, RUN_MS);

  it('a sent cart loses its line naming a product nothing of which can be sent, and gets it back once it can', async () => {
    await expectSame({
      initial: [product([variant('USD')]), product([variant('USD')]), guestCart([{ product: 0, variant: 0 }, { product: 1, variant: 0 }])],
      changes: [{ kind: 'updateProduct', notify: true, pick: 0, patch: { title: '' } }, scan, { kind: 'updateProduct', notify: true, pick: 0, patch: { title: 'Hat' } }, scan],
    });
  }, RUN_MS);

  // Seed 9001 (200 runs), paths 88 and 182, trimmed: a variant no longer sold is kept without stock for the sent order
  // whose line names it; once that order is hard-deleted, a fresh sync sends the product without it.
  it('a variant kept without stock for a sent order leaves its product when that order is hard-deleted', async () => {
    await expectSame({
      initial: [product([variant('USD'), variant('USD', 'deleted')]), guestOrder([{ product: 0, variant: 1 }])],
      changes: [{ kind: 'deleteOrder', notify: true, pick: 0 }, scan],
    });
  }, RUN_MS);

  it('a variant kept without stock for a sent order leaves with that order (seed 9001, path 88, as found)', async () => {
    const file = path.join(__dirname, 'scenarios', 'seed-9001-path-88.json');
    await expectSame(JSON.parse(fs.readFileSync(file, 'utf8')) as Scenario);
  }, RUN_MS);
});
