import type { Drift, TypeSummary } from '../../../client/reconcile/compare';
import { BAD_ROWS } from '../../../db/seed/bad-rows';
import { generateShop } from '../../../db/seed/generate';
import { writeShop } from '../../../db/seed/write';
import { startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { cli } from './support';

/**
 * The expected state reconcile computes must agree with what the sync really writes, over the demo generator's
 * messy data and its deliberately bad rows: after a full resync, the only drift is what the sync could not send.
 */
describe('reconcile after a full resync of generated demo data', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
    const data = generateShop({ seed: 7, products: 30, customers: 40, orders: 120, promotions: 5 });
    await writeShop(h.t.db, data, { reset: true });
    await writeShop(h.t.db, BAD_ROWS);
  });
  afterAll(() => h.stop());

  it('reports exactly the entities the sync recorded as failed, as missing', async () => {
    const resync = await cli(h, ['resync', '--page-size', '50'], { pollMs: 500 });
    expect(resync.err).toContain('Full resync done');

    const run = await cli(h, ['reconcile', '--json']);
    const report = run.json<{ drifts: Drift[]; summaries: TypeSummary[] }>();
    const failed = (await h.t.db('mc_sync_state').where({ store_id: h.config.storeId, status: 'failed' }).select('entity_type', 'entity_id')) as Array<{ entity_type: string; entity_id: string }>;
    const failedKeys = new Set(failed.map((f) => `${f.entity_type}:${f.entity_id}`));

    const unexplained = report.drifts.filter((d) => !(d.kind === 'missing' && failedKeys.has(`${d.type}:${d.entityId}`)));
    expect(unexplained).toEqual([]);
    expect(report.summaries.find((s) => s.type === 'order')?.shop).toBeGreaterThan(50);
    expect(run.code).toBe(report.drifts.length > 0 ? 1 : 0);
  });
});
