import type { Drift, TypeSummary, Unsent } from '../../../client/reconcile/compare';
import { BAD_ROWS } from '../../../db/seed/bad-rows';
import { generateShop } from '../../../db/seed/generate';
import { writeShop } from '../../../db/seed/write';
import { startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { cli } from './support';

/**
 * The expected state reconcile computes must agree with what the sync really writes, over the demo generator's
 * messy data and its deliberately bad rows: after a full resync there is no drift, and what the sync could not send
 * is listed with its reason. In both backfill modes: the batch path must end where the direct one does.
 */
describe.each(['direct', 'batch'] as const)('reconcile after a full resync of generated demo data (BACKFILL_MODE=%s)', (mode) => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness({ backfillMode: mode });
    const data = generateShop({ seed: 7, products: 30, customers: 40, orders: 120, promotions: 5, carts: 30, cartsAt: new Date() });
    await writeShop(h.t.db, data, { reset: true });
    await writeShop(h.t.db, BAD_ROWS);
  });
  afterAll(() => h.stop());

  it('finds no drift; lists exactly the entities the sync recorded as failed, with their reasons', async () => {
    const resync = await cli(h, ['resync', '--page-size', '50'], { pollMs: 500 });
    expect(resync.err).toContain('Full resync done');

    const run = await cli(h, ['reconcile', '--json']);
    const report = run.json<{ drifts: Drift[]; summaries: TypeSummary[]; unsent: Unsent[] }>();
    const failed = (await h.t.db('mc_sync_state').where({ store_id: h.config.storeId, status: 'failed' }).select('entity_type', 'entity_id')) as Array<{ entity_type: string; entity_id: string }>;

    expect(report.drifts).toEqual([]);
    expect(run.code).toBe(0);
    expect(failed.length).toBeGreaterThan(0);
    // A variant left out of a product that is sent is not a failure: its reason is on the product's synced state.
    const notSent = report.unsent.filter((u) => u.cause !== 'left_out');
    expect(new Set(notSent.map((u) => `${u.type}:${u.entityId}`))).toEqual(new Set(failed.map((f) => `${f.entity_type}:${f.entity_id}`)));
    expect(report.unsent.every((u) => u.reason.length > 0)).toBe(true);
    expect(report.summaries.find((s) => s.type === 'order')?.shop).toBeGreaterThan(50);
    // Carts too: the abandoned ones are in Mailchimp, the converted, emptied and old ones are not.
    const carts = report.summaries.find((s) => s.type === 'cart');
    expect(carts?.mailchimp).toBeGreaterThan(5);
    expect(carts?.mailchimp).toBeLessThan(30);
  });
});
