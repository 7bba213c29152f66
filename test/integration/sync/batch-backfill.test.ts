import type { Knex } from 'knex';
import { fullResyncWorkflow } from '../../../workflows/full-resync';
import { customerIdForEmail } from '../../../mapping/ids';
import * as shop from '../../support/shop';
import { startSyncHarness, type SyncHarness } from '../../support/sync-harness';

/**
 * The batch backfill (BACKFILL_MODE=batch) against the direct one: the same shop in two databases, each synced into
 * its own emulator, must end with the same Mailchimp state and the same sync state. The emulator runs every batch's
 * operations shuffled (its default, set explicitly here), so an order that reached Mailchimp before its product or
 * customer would fail.
 */

/** The same rows, with the same ids (order lines too) and times, in either database. */
async function seedShop(db: Knex): Promise<{ badOrder: string; preexisting: string; optedIn: string; guestEmail: string }> {
  const shoe = await shop.product(db, { id: 91001, code: 'SHOE', title: 'Red shoe 👟', category: 'Shoes' }, [
    { id: 92001, sku: 'SHOE-41', price: '59.90' }, { id: 92002, sku: 'SHOE-42', price: '61.00' },
    { id: 92003, sku: 'SHOE-OLD', price: '50.00', status: 'deleted' },
  ]);
  const book = await shop.product(db, { id: 91002, code: 'BOOK', title: 'A book' });
  const retired = await shop.product(db, { id: 91003, code: 'RETIRED', title: 'Retired hat', status: 'inactive' }, [{ id: 92004, sku: 'HAT-1' }]);
  await shop.product(db, { id: 91004, code: 'PRE', title: 'Already in Mailchimp' }, [{ id: 92005, sku: 'PRE-1', price: '5.00' }]);
  // Inactive and in no order: deleted from Mailchimp (a DELETE in the batch; already gone is done).
  await shop.product(db, { id: 91005, code: 'GONE', title: 'Gone', status: 'inactive' }, [{ id: 92006, sku: 'GONE-1' }]);
  for (let i = 0; i < 12; i++) await shop.product(db, { id: 91100 + i, code: `BULK-${i}` }, [{ id: 92100 + i, sku: `BULK-${i}-A` }]);

  const ada = await shop.user(db, { id: 93001, email: 'Ada@Example.com ', marketing_opt_in: true });
  const bob = await shop.user(db, { id: 93002, email: 'bob@example.com', marketing_opt_in: false });
  const users = [ada, bob];
  for (let i = 0; i < 15; i++) users.push(await shop.user(db, { id: 93100 + i, email: `user${i}@example.com`, marketing_opt_in: i % 2 === 0 }));
  await shop.promotion(db, { id: 94001, amount: '15' }, [{ id: 95001, code: 'SPRING15' }, { id: 95002, code: 'SPRING-VIP' }]);
  await shop.promotion(db, { id: 94002, discount_type: 'fixed', amount: '5.00' }, [{ id: 95003, code: 'FIVE' }]);

  let lineId = 97000;
  const order = (row: Record<string, unknown>, lines: Array<{ product_id: number; variant_id?: number | null; quantity?: number; unit_price?: string }>) =>
    shop.order(db, { updated_at: new Date('2026-03-02T10:00:00.000Z'), ...row }, lines.map((l) => ({ id: ++lineId, ...l })));
  await order({ id: 96001, user_id: ada.id, promo_code: 'SPRING15', discount_total: '3.00', order_total: '68.90' }, [
    { product_id: shoe.id, variant_id: null, unit_price: '59.90' }, { product_id: book.id },
  ]);
  // A line naming a variant the shop no longer sells, and one naming a product no longer active.
  await order({ id: 96002, user_id: bob.id, status: 'refunded' }, [{ product_id: shoe.id, variant_id: 92003 }, { product_id: retired.id, variant_id: 92004 }]);
  // A product row deleted altogether.
  await order({ id: 96003, user_id: bob.id, status: 'shipped' }, [{ product_id: 91999 }]);
  await order({ id: 96004, guest_email: 'guest@example.org', guest_first_name: 'Gus', guest_last_name: 'Hidden' }, [{ product_id: book.id }]);
  await order({ id: 96005, guest_email: 'Guest@Example.org', guest_first_name: 'Gus' }, [{ product_id: 91100, variant_id: 92100 }]);
  await order({ id: 96006, guest_email: 'late@example.org', status: 'pending' }, [{ product_id: book.id }]);
  await order({ id: 96007, guest_email: 'ghost@example.org' }, [{ product_id: book.id }]);
  for (let i = 0; i < 20; i++) {
    const buyer = users[i % users.length];
    await order({ id: 96100 + i, user_id: buyer.id, order_total: '12.00' }, [{ product_id: 91100 + (i % 12), variant_id: 92100 + (i % 12), quantity: 1 + (i % 3) }]);
  }
  return { badOrder: 'SO-96007', preexisting: 'PRE', optedIn: customerIdForEmail('ada@example.com'), guestEmail: 'ghost@example.org' };
}

type Json = Record<string, unknown>;
const VOLATILE = new Set(['_links', 'created_at', 'updated_at', 'last_changed', 'timestamp_signup', 'timestamp_opt', 'unique_email_id', 'web_id']);

function stable(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(stable);
    return items.every((i) => typeof i === 'object' && i !== null && 'id' in i)
      ? [...items].sort((a, b) => String((a as Json).id).localeCompare(String((b as Json).id)))
      : items;
  }
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value as Json).filter(([k]) => !VOLATILE.has(k)).map(([k, v]) => [k, stable(v)]));
}

/** Everything the store and the audience hold, read over the API, without timestamps and generated ids. */
async function mailchimpState(h: SyncHarness): Promise<Json> {
  const store = `/3.0/ecommerce/stores/${h.config.storeId}`;
  const get = async (path: string) => {
    const res = await h.http.get(path, { params: { count: 1000 } });
    if (res.status !== 200) throw new Error(`GET ${path} → ${res.status}`);
    return res.data as Json;
  };
  const rules = ((await get(`${store}/promo-rules`)).promo_rules as Json[]) ?? [];
  const codes: Json = {};
  for (const rule of rules) codes[String(rule.id)] = (await get(`${store}/promo-rules/${String(rule.id)}/promo-codes`)).promo_codes;
  const state = stable({
    products: (await get(`${store}/products`)).products,
    customers: (await get(`${store}/customers`)).customers,
    orders: (await get(`${store}/orders`)).orders,
    rules,
    codes,
    members: (await get(`/3.0/lists/${h.config.listId}/members`)).members,
  });
  // Each harness has its own store id: compare everything else.
  return JSON.parse(JSON.stringify(state).split(h.config.storeId).join('STORE')) as Json;
}

async function syncState(h: SyncHarness): Promise<Array<Json>> {
  const rows = (await h.t.db('mc_sync_state')
    .where({ store_id: h.config.storeId })
    .select('entity_type', 'entity_id', 'status', 'content_hash', 'remote_id', 'error_reason')
    .orderBy(['entity_type', 'entity_id'])) as Json[];
  return rows;
}

async function stats(h: SyncHarness): Promise<{ byRoute: Record<string, number> }> {
  return (await h.http.get('/_emulator/stats')).data as { byRoute: Record<string, number> };
}

function directWrites(byRoute: Record<string, number>): number {
  return Object.entries(byRoute)
    .filter(([route]) => /^(POST|PUT|PATCH|DELETE) \/3\.0\//.test(route) && route !== 'POST /3.0/batches')
    .reduce((n, [, count]) => n + count, 0);
}

describe('batch backfill', () => {
  let direct: SyncHarness;
  let batch: SyncHarness;
  let seeded: Awaited<ReturnType<typeof seedShop>>;
  const progress: Record<string, Awaited<ReturnType<typeof fullResyncWorkflow>>> = {};
  const writes: Record<string, Record<string, number>> = {};

  beforeAll(async () => {
    direct = await startSyncHarness({ backfillMode: 'direct' });
    batch = await startSyncHarness({ backfillMode: 'batch' });
    for (const h of [direct, batch]) {
      seeded = await seedShop(h.t.db);
      // Same store id in both, so that ids and paths compare equal.
      await h.http.post('/_emulator/config', { seed: 7, batches: { shuffle: true } });
    }
  });
  afterAll(async () => {
    await direct?.stop();
    await batch?.stop();
  });

  async function resync(h: SyncHarness, name: string) {
    // The ghost: the sync state says the guest was sent, but Mailchimp has never heard of them, so Mailchimp refuses
    // their order (a new customer needs an e-mail address); in both modes the order's sync sends the customer again,
    // then the order (self-healing).
    await h.t.db('mc_sync_state').insert({
      store_id: h.config.storeId, entity_type: 'customer', entity_id: customerIdForEmail(seeded.guestEmail), status: 'synced',
      content_hash: 'stale', remote_id: customerIdForEmail(seeded.guestEmail), attempts: 0,
    });
    // 'Already exists': the product is in Mailchimp (with an outdated title) before the first sync.
    const pre = await h.http.post(`/3.0/ecommerce/stores/${h.config.storeId}/products`, { id: seeded.preexisting, title: 'Outdated', variants: [{ id: 'PRE-1', title: 'Outdated' }] });
    expect(pre.status).toBe(200);
    await h.http.post('/_emulator/stats/reset');
    progress[name] = await h.client.workflow.execute(fullResyncWorkflow, {
      workflowId: `${h.config.storeId}:full-resync:${name}`,
      taskQueue: h.config.taskQueue,
      args: [{ storeId: h.config.storeId, types: 'all' }],
    });
    writes[name] = (await stats(h)).byRoute;
  }

  it('ends with the same Mailchimp and sync state as the direct mode, through batches and far fewer direct writes', async () => {
    // The stores exist before the sync (the pre-existing product needs one); the sync's store setup takes them over.
    for (const h of [direct, batch]) {
      const res = await h.http.post('/3.0/ecommerce/stores', { id: h.config.storeId, list_id: h.config.listId, name: 'Test Shop ✨', currency_code: 'USD' });
      expect(res.status).toBe(200);
    }
    await resync(direct, 'direct');
    await resync(batch, 'batch');
    expect(progress.batch.done).toBe(true);

    const a = await mailchimpState(direct);
    const b = await mailchimpState(batch);
    // Not vacuous: the shop's entities are all there.
    expect((a.products as Json[]).length).toBeGreaterThanOrEqual(16);
    expect((a.orders as Json[]).length).toBe(26); // 27 orders but the pending one
    expect(b).toEqual(a);

    expect(await syncState(batch)).toEqual(await syncState(direct));
    expect(progress.batch.counts).toEqual(progress.direct.counts);
    expect(progress.batch.counts.product?.deleted).toBe(1);

    expect(writes.batch['POST /3.0/batches']).toBeGreaterThanOrEqual(5); // a batch per phase at least
    expect(directWrites(writes.batch)).toBeLessThan(directWrites(writes.direct) / 3);
    // Only the ghost's order went direct after the batch refused it (refused once more, then created with its
    // customer sent again): every other one went in batches, shuffled, after what they need.
    expect(writes.batch['POST /3.0/ecommerce/stores/{store_id}/orders'] ?? 0).toBe(2);
    expect(writes.direct['POST /3.0/ecommerce/stores/{store_id}/orders']).toBeGreaterThan(20);
  });

  it('heals an order whose customer Mailchimp lost (refused in the batch), as the direct mode does', async () => {
    for (const h of [batch, direct]) {
      const state = await h.t.db('mc_sync_state').where({ store_id: h.config.storeId, entity_type: 'order', entity_id: '96007' }).first();
      expect(state).toMatchObject({ status: 'synced', error_reason: null });
      const ghost = await h.http.get(`/3.0/ecommerce/stores/${h.config.storeId}/customers/${customerIdForEmail(seeded.guestEmail)}`);
      expect(ghost.data).toMatchObject({ email_address: seeded.guestEmail });
      expect((await h.http.get(`/3.0/ecommerce/stores/${h.config.storeId}/orders/${seeded.badOrder}`)).status).toBe(200);
    }
  });

  it('updates an entity Mailchimp already had when the batch create says it exists', async () => {
    const res = await batch.http.get(`/3.0/ecommerce/stores/${batch.config.storeId}/products/${seeded.preexisting}`);
    expect(res.data).toMatchObject({ title: 'Already in Mailchimp' });
    const state = await batch.t.db('mc_sync_state').where({ store_id: batch.config.storeId, entity_type: 'product', entity_id: '91004' }).first();
    expect(state?.status).toBe('synced');
    // The create went in a batch and was refused; the direct path then updated the product.
    expect(writes.batch['PATCH /3.0/ecommerce/stores/{store_id}/products/{product_id}']).toBe(1);
  });

  it('keeps the consent policy: the opted-in user is subscribed, the guest transactional', async () => {
    const members = new Map(((await batch.http.get(`/3.0/lists/${batch.config.listId}/members`, { params: { count: 1000 } })).data.members as Json[]).map((m) => [String(m.id), m.status]));
    expect(members.get(seeded.optedIn)).toBe('subscribed');
    expect(members.get(customerIdForEmail('guest@example.org'))).toBe('transactional');
  });

  it('changes nothing in Mailchimp when run again; only the removed product is tried again, as the direct mode does', async () => {
    const before = await mailchimpState(batch);
    await batch.http.post('/_emulator/stats/reset');
    const operationsBefore = (await batch.http.get('/_emulator/stats')).data.batchOperations as number;
    const again = await batch.client.workflow.execute(fullResyncWorkflow, {
      workflowId: `${batch.config.storeId}:full-resync:again`, taskQueue: batch.config.taskQueue, args: [{ storeId: batch.config.storeId, types: 'all' }],
    });
    const after = (await batch.http.get('/_emulator/stats')).data as { byRoute: Record<string, number>; batchOperations: number };
    expect(after.byRoute['POST /3.0/batches'] ?? 0).toBe(1);
    expect(after.batchOperations - operationsBefore).toBe(1);
    // Only the store is written directly (its settings, and is_syncing raised, then lowered).
    const direct = Object.entries(after.byRoute).filter(([route]) => /^(POST|PUT|PATCH|DELETE) /.test(route) && route !== 'POST /3.0/batches');
    expect(direct).toEqual([['PATCH /3.0/ecommerce/stores/{store_id}', directWrites(after.byRoute)]]);
    expect(again.counts.order).toMatchObject({ synced: 0, failed: 0 });
    expect(again.counts.order?.unchanged).toBe(26);
    expect(again.counts.product).toMatchObject({ synced: 0, deleted: 1 });
    expect(await mailchimpState(batch)).toEqual(before);
  });
});
