import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { reconcile } from '../../../client/reconcile/reconcile';
import { ENTITY_TYPES } from '../../../mapping/ids';
import { WORKFLOWS_PATH } from '../../../workers/bundle';
import { createShopDbSource } from '../../../source/shop-db';
import { fullResyncWorkflow, type FullResyncInput } from '../../../workflows/full-resync';
import * as shop from '../../support/shop';
import { startSyncHarness, type SyncHarness } from '../../support/sync-harness';

/**
 * BACKFILL_MODE=auto on the real stack: a direct lane and a batch lane pull consecutive pages of each type from one
 * queue; when only batch pages are left and the direct lane is idle, it takes the oldest back (the batch is stopped,
 * its rows sent direct). Pages of 2 rows and windows of 2, so every type has several pages for both lanes.
 */
const PAGES: Partial<FullResyncInput> = { pageSize: 2, window: 2, batchWindow: 2 };

async function seed(h: SyncHarness): Promise<{ orders: string[] }> {
  const users = [];
  for (let i = 0; i < 8; i++) users.push(await shop.user(h.t.db, { email: `auto${i}@example.com`, marketing_opt_in: i % 2 === 0 }));
  const products = [];
  for (let i = 0; i < 8; i++) products.push(await shop.product(h.t.db, { code: `AUTO-${i}` }, [{ sku: `AUTO-${i}-A` }]));
  await shop.promotion(h.t.db, { amount: '10' }, [{ code: 'AUTO10' }, { code: 'AUTO-VIP' }]);
  const orders = [];
  for (let i = 0; i < 12; i++) {
    const buyer = i % 3 === 2 ? { guest_email: `guest${i}@example.org` } : { user_id: users[i % users.length].id };
    orders.push(await shop.order(h.t.db, buyer, [{ product_id: products[i % products.length].id }]));
  }
  return { orders: orders.map((o) => o.number) };
}

async function run(h: SyncHarness, name: string, more: Partial<FullResyncInput> = {}) {
  const started = Date.now();
  const result = await h.client.workflow.execute(fullResyncWorkflow, {
    workflowId: `${h.config.storeId}:full-resync:${name}`, taskQueue: h.config.taskQueue,
    args: [{ storeId: h.config.storeId, types: 'all', mode: 'auto', ...PAGES, ...more }],
  });
  return { result, seconds: (Date.now() - started) / 1000 };
}

interface Stats {
  byRoute: Record<string, number>;
  orderCreates: Record<string, number>;
}

async function stats(h: SyncHarness): Promise<Stats> {
  return (await h.http.get('/_emulator/stats')).data as Stats;
}

/** The operator's reconcile: every shop row in Mailchimp with the fields a fresh direct full sync sends, nothing extra. */
async function drift(h: SyncHarness): Promise<string[]> {
  const report = await reconcile({
    source: createShopDbSource(h.t.db), mailchimp: h.mailchimp, storeId: h.config.storeId, listId: h.config.listId,
    redemptionUrlTemplate: h.config.redemptionUrlTemplate, failures: new Map(),
  }, ENTITY_TYPES);
  return [...report.drifts.map((d) => `${d.type} ${d.id}: ${d.kind} ${d.field ?? ''}`), ...report.unsent.map((u) => `${u.type} ${u.entityId} unsent: ${u.reason}`)];
}

/** The page activities of a resync's history, in event order: scheduled (with its lane and type) and closed. */
function pageEvents(history: temporal.api.history.v1.IHistory): Array<{ at: number; kind: 'scheduled' | 'closed'; lane: 'direct' | 'batch'; type: string }> {
  const events = history.events ?? [];
  const scheduled = new Map<string, { lane: 'direct' | 'batch'; type: string }>();
  const out: Array<{ at: number; kind: 'scheduled' | 'closed'; lane: 'direct' | 'batch'; type: string }> = [];
  events.forEach((e, at) => {
    const a = e.activityTaskScheduledEventAttributes;
    const name = a?.activityType?.name;
    if (a && (name === 'syncPage' || name === 'syncPageBatch')) {
      const data = a.input?.payloads?.[0]?.data;
      const input = JSON.parse(Buffer.from(data ?? new Uint8Array()).toString('utf8')) as { entityType: string };
      const page = { lane: name === 'syncPage' ? 'direct' as const : 'batch' as const, type: input.entityType };
      scheduled.set(String(e.eventId), page);
      out.push({ at, kind: 'scheduled', ...page });
      return;
    }
    const closed = e.activityTaskCompletedEventAttributes ?? e.activityTaskCanceledEventAttributes ?? e.activityTaskFailedEventAttributes;
    const page = closed ? scheduled.get(String(closed.scheduledEventId)) : undefined;
    if (page) out.push({ at, kind: 'closed', ...page });
  });
  return out;
}

function createdTwice(s: Stats): string[] {
  return Object.entries(s.orderCreates).filter(([, n]) => n > 1).map(([key]) => key);
}

describe('auto backfill (both lanes at once)', () => {
  let h: SyncHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('with batches at their normal pace: both lanes take pages and the store equals a fresh direct full sync', async () => {
    h = await startSyncHarness({ backfillMode: 'auto' });
    const { orders } = await seed(h);
    const { result } = await run(h, 'normal');
    expect(result.done).toBe(true);
    expect(result.lanes?.direct).toBeGreaterThan(0);
    expect(result.lanes?.batch).toBeGreaterThan(0);
    const s = await stats(h);
    expect(s.byRoute['POST /3.0/batches'] ?? 0).toBeGreaterThan(0);
    expect(createdTwice(s)).toEqual([]);
    expect(await drift(h)).toEqual([]);
    for (const number of orders) expect((await h.http.get(`/3.0/ecommerce/stores/${h.config.storeId}/orders/${number}`)).status).toBe(200);
    expect(result.counts.order?.synced).toBe(12);
  });

  it('continued as new every 5 pages while several types run: every type is carried over and the store equals a fresh direct full sync', async () => {
    h = await startSyncHarness({ backfillMode: 'auto' });
    const { orders } = await seed(h);
    const { result } = await run(h, 'continued', { pagesPerRun: 5 });
    expect(result.done).toBe(true);
    const s = await stats(h);
    expect(createdTwice(s)).toEqual([]);
    expect(await drift(h)).toEqual([]);
    for (const number of orders) expect((await h.http.get(`/3.0/ecommerce/stores/${h.config.storeId}/orders/${number}`)).status).toBe(200);
    expect(result.counts.order?.synced).toBe(12);
    expect(result.counts.customer?.synced).toBe(8);
    expect(result.counts.product?.synced).toBe(8);
    expect(result.counts.promo_code?.synced).toBe(2);
  });

  it('with batches that never leave preprocessing: the direct lane takes them back, long before the stall bound, and no order is created twice', async () => {
    // The stall bound stays at its default (10 minutes): only the take-back can end this sync in time.
    h = await startSyncHarness({ backfillMode: 'auto' });
    const { orders } = await seed(h);
    expect((await h.http.post('/_emulator/config', { batches: { preprocessMs: 600_000 } })).status).toBe(200);
    const { result, seconds } = await run(h, 'stuck');
    expect(result.done).toBe(true);
    expect(result.lanes?.batch).toBe(0);
    expect(result.lanes?.takenBack).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(120);
    const s = await stats(h);
    // Every batch submitted was stopped (DELETE /batches/{id}), none is left running.
    expect(s.byRoute['POST /3.0/batches'] ?? 0).toBeGreaterThan(0);
    expect(s.byRoute['DELETE /3.0/batches/{batch_id}'] ?? 0).toBe(s.byRoute['POST /3.0/batches']);
    const left = (await h.http.get('/3.0/batches')).data as { batches: Array<{ status: string }> };
    expect(left.batches.filter((b) => b.status !== 'finished')).toEqual([]);
    expect(createdTwice(s)).toEqual([]);
    expect(await drift(h)).toEqual([]);
    // Every order created exactly once. A batch order page sends its new buyers' first orders direct before its batch,
    // so when that page is taken back its redo finds those orders sent (unchanged by their content hash): each order
    // is counted once, synced or unchanged, and none of them is unchanged from before this sync.
    expect(Object.keys(s.orderCreates).sort()).toEqual(orders.map((n) => `${h?.config.storeId ?? ''}/${n}`).sort());
    expect((result.counts.order?.synced ?? 0) + (result.counts.order?.unchanged ?? 0)).toBe(12);
    const history = await h.client.workflow.getHandle(`${h.config.storeId}:full-resync:stuck`).fetchHistory();
    // The types that need nothing run together (patch AUTO_TOGETHER): customers and promotion rules start while the
    // products' pages, held by the stuck batches, are not done. And each type's first page goes direct (its probe),
    // so the direct lane is never idle while batches hold every page of a small type.
    const events = pageEvents(history);
    const lastProductPage = events.filter((e) => e.type === 'product' && e.kind === 'closed').at(-1)?.at ?? -1;
    for (const type of ['customer', 'promo_rule']) {
      expect(events.find((e) => e.type === type && e.kind === 'scheduled')?.at ?? Infinity).toBeLessThan(lastProductPage);
    }
    for (const type of ['product', 'promo_rule', 'promo_code', 'customer', 'order']) {
      expect([type, events.find((e) => e.type === type && e.kind === 'scheduled')?.lane]).toEqual([type, 'direct']);
    }
    // Its history (take-backs: cancelled activities, timers) replays on the workflow code: the lanes are deterministic.
    await expect(Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH }, history, 'auto-stuck')).resolves.toBeUndefined();
  });

  it('with a batch lane that applies its operations and then finalises for long: its pages end once the operations ran, and no order is created twice', async () => {
    // The operations run at once; the batch is reported finished only a minute later. Every operation ran and none
    // errored (the batch's progress says so), so the batch pages end then, without the archive: none is taken back
    // after Mailchimp applied it (its creates then repeated as updates, several requests each), none waits a minute.
    h = await startSyncHarness({ backfillMode: 'auto' });
    await seed(h);
    expect((await h.http.post('/_emulator/config', { batches: { finalizeDelayMs: 60_000 } })).status).toBe(200);
    const { result, seconds } = await run(h, 'finalizing');
    expect(result.done).toBe(true);
    expect(result.lanes?.batch).toBeGreaterThan(0);
    expect(result.lanes?.takenBack).toBe(0);
    expect(seconds).toBeLessThan(60);
    const s = await stats(h);
    expect(createdTwice(s)).toEqual([]);
    expect(s.byRoute['PATCH /3.0/ecommerce/stores/{store_id}/orders/{order_id}'] ?? 0).toBe(0);
    expect(await drift(h)).toEqual([]);
    expect(result.counts.order?.synced).toBe(12);
  });

  it('with a slow batch lane: the direct lane takes more pages', async () => {
    h = await startSyncHarness({ backfillMode: 'auto' });
    await seed(h);
    // Two operations a second: a batch page of two rows takes about a second, a direct page a few milliseconds.
    expect((await h.http.post('/_emulator/config', { batches: { opsPerSecond: 2 } })).status).toBe(200);
    const { result } = await run(h, 'slow');
    expect(result.done).toBe(true);
    const lanes = result.lanes ?? { direct: 0, batch: 0, takenBack: 0 };
    expect(lanes.direct).toBeGreaterThan(2 * (lanes.batch + lanes.takenBack));
    expect(createdTwice(await stats(h))).toEqual([]);
    expect(await drift(h)).toEqual([]);
  });
});
