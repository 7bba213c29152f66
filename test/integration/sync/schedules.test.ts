import { WorkflowNotFoundError } from '@temporalio/client';
import { ensureSchedules, SCAN_SCOPES, scheduleId } from '../../../client/schedules';
import { customerIdForEmail, type EntityType } from '../../../mapping/ids';
import { changeScanWorkflow, type ScanScope } from '../../../workflows/change-scan';
import { entityWorkflowId, fullResyncWorkflowId, type ResyncProgress } from '../../../workflows/contract';
import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { resync, storePath } from '../../support/sync-steps';

/** Times well before the database's clock, so the scan's lag window never matters. */
const WATERMARK = '2026-05-01T00:00:00.000Z';
const CHANGED_AT = new Date('2026-06-01T00:00:00.500Z');

describe('schedules and the change scan', () => {
  let h: SyncHarness;
  let scans = 0;
  beforeAll(async () => {
    h = await startSyncHarness();
    await resync(h); // empty shop: creates the store and the full_sync watermark
  });
  afterAll(async () => {
    for (const scope of SCAN_SCOPES) await h.client.schedule.getHandle(scheduleId(h.config.storeId, scope)).delete().catch(() => undefined);
    await h.stop();
  });

  function scan(scope: ScanScope) {
    return h.client.workflow.execute(changeScanWorkflow, {
      workflowId: `${h.config.storeId}:scan:${scope}:test-${++scans}`,
      taskQueue: h.config.taskQueue,
      args: [{ storeId: h.config.storeId, scope }],
    });
  }

  async function setWatermark(type: EntityType | 'full_sync', updatedAt: string, lastId = '0'): Promise<void> {
    await h.t.db('mc_watermarks')
      .insert({ store_id: h.config.storeId, entity_type: type, updated_at: new Date(updatedAt), last_id: lastId })
      .onConflict(['store_id', 'entity_type']).merge(['updated_at', 'last_id']);
  }

  async function watermark(type: EntityType): Promise<{ updated_at: Date; last_id: string } | undefined> {
    return (await h.t.db('mc_watermarks').where({ store_id: h.config.storeId, entity_type: type }).first()) as { updated_at: Date; last_id: string } | undefined;
  }

  /** The result of the entity's workflow, which the scan must have started. */
  function entityResult(type: EntityType, id: string | number): Promise<unknown> {
    return h.client.workflow.getHandle(entityWorkflowId(h.config.storeId, type, String(id))).result();
  }

  async function workflowExists(type: EntityType, id: string | number): Promise<boolean> {
    try {
      await h.client.workflow.getHandle(entityWorkflowId(h.config.storeId, type, String(id))).describe();
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  async function productAt(updatedAt: Date, row: Record<string, unknown> = {}) {
    const p = await shop.product(h.t.db, row);
    await h.t.db('products').where({ id: p.id }).update({ updated_at: updatedAt });
    return p;
  }

  it('ensureSchedules creates one change-scan schedule per entity type, and creating them again is harmless', async () => {
    const target = { storeId: h.config.storeId, taskQueue: h.config.taskQueue, interval: '1h' };
    const ids = await ensureSchedules(h.client, target);
    expect(ids).toEqual(SCAN_SCOPES.map((scope) => scheduleId(h.config.storeId, scope)));
    expect(ids).toHaveLength(5); // products, promotions, customers, orders, carts
    await expect(ensureSchedules(h.client, target)).resolves.toEqual(ids);

    for (const scope of SCAN_SCOPES) {
      const description = await h.client.schedule.getHandle(scheduleId(h.config.storeId, scope)).describe();
      expect(description.action).toMatchObject({
        type: 'startWorkflow', workflowType: 'changeScanWorkflow', taskQueue: h.config.taskQueue,
        workflowId: `${h.config.storeId}:scan:${scope}`, args: [{ storeId: h.config.storeId, scope }],
      });
      expect(description.spec.intervals?.map((i) => i.every)).toEqual([60 * 60 * 1000]);
    }
  });

  it('dispatches the rows changed since the watermark to their entity workflows, and moves the watermark', async () => {
    await setWatermark('product', WATERMARK);
    const before = await productAt(new Date('2026-04-01T00:00:00.000Z'));
    const changed = await productAt(CHANGED_AT, { code: 'SCAN-1' });

    const result = await scan('products');

    expect(result).toEqual({ dispatched: 1, state: 'scanned' });
    await expect(entityResult('product', changed.id)).resolves.toMatchObject({ status: 'synced' });
    expect(await remote(h, storePath(h, '/products/SCAN-1'))).not.toBeNull();
    expect(await workflowExists('product', before.id)).toBe(false);
    expect(await watermark('product')).toMatchObject({ updated_at: CHANGED_AT, last_id: String(changed.id) });

    // Nothing changed since: the next scan dispatches nothing.
    await expect(scan('products')).resolves.toEqual({ dispatched: 0, state: 'scanned' });
  });

  it('does not lose a row written later in the same millisecond as the last one scanned', async () => {
    const at = new Date('2026-07-01T00:00:00.250Z');
    await setWatermark('product', '2026-06-15T00:00:00.000Z'); // after the rows of the other tests
    const first = await productAt(at, { code: 'SAME-MS-1' });
    await expect(scan('products')).resolves.toMatchObject({ dispatched: 1 });
    await entityResult('product', first.id);

    const second = await productAt(at, { code: 'SAME-MS-2' });
    await expect(scan('products')).resolves.toMatchObject({ dispatched: 1 });
    await expect(entityResult('product', second.id)).resolves.toMatchObject({ status: 'synced' });
    expect(await remote(h, storePath(h, '/products/SAME-MS-2'))).not.toBeNull();
  });

  it('dispatches changed users to customer workflows keyed by email hash', async () => {
    await setWatermark('customer', WATERMARK);
    const u = await shop.user(h.t.db, { email: 'Scanned@Example.com', marketing_opt_in: true });
    await h.t.db('users').where({ id: u.id }).update({ updated_at: CHANGED_AT });

    await expect(scan('customers')).resolves.toEqual({ dispatched: 1, state: 'scanned' });
    const hash = customerIdForEmail(u.email);
    await expect(entityResult('customer', hash)).resolves.toMatchObject({ consent: 'not-needed' });
    expect(await remote(h, storePath(h, `/customers/${hash}`))).toMatchObject({ email_address: 'scanned@example.com' });
  });

  it('dispatches promotions and codes deleted from the shop so they are deleted in Mailchimp', async () => {
    await setWatermark('promo_rule', WATERMARK);
    await setWatermark('promo_code', WATERMARK);
    const p = await shop.promotion(h.t.db, {}, [{ code: 'SCANNED' }]);
    await h.t.db('promotions').where({ id: p.id }).update({ updated_at: CHANGED_AT });
    await h.t.db('promo_codes').where({ id: p.codeIds[0] }).update({ updated_at: CHANGED_AT });
    await scan('promotions');
    await entityResult('promo_rule', p.id);
    await entityResult('promo_code', p.codeIds[0]);
    expect(await remote(h, storePath(h, `/promo-rules/${p.id}/promo-codes/${p.codeIds[0]}`))).not.toBeNull();

    await h.t.db('promo_codes').where({ id: p.codeIds[0] }).delete();
    await h.t.db('promotions').where({ id: p.id }).delete();
    await expect(scan('promotions')).resolves.toMatchObject({ dispatched: 2 });
    await expect(entityResult('promo_code', p.codeIds[0])).resolves.toMatchObject({ status: 'deleted' });
    await expect(entityResult('promo_rule', p.id)).resolves.toMatchObject({ status: 'deleted' });
    expect(await remote(h, storePath(h, `/promo-rules/${p.id}`))).toBeNull();
  });

  it('does nothing while the feature switch is off', async () => {
    await setWatermark('product', WATERMARK);
    const p = await productAt(CHANGED_AT, { code: 'SWITCHED-OFF' });
    await shop.settings(h.t.db, { mailchimp_sync_enabled: '0' });
    try {
      await expect(scan('products')).resolves.toEqual({ dispatched: 0, state: 'paused' });
      expect(await workflowExists('product', p.id)).toBe(false);
      expect((await watermark('product'))?.updated_at).toEqual(new Date(WATERMARK));
    } finally {
      await shop.settings(h.t.db, { mailchimp_sync_enabled: '1' });
    }
    // Switched on again, the same row is picked up.
    await expect(scan('products')).resolves.toMatchObject({ state: 'scanned' });
    await expect(entityResult('product', p.id)).resolves.toMatchObject({ status: 'synced' });
  });

  it('starts the full resync on the first scan, when there is no full_sync watermark', async () => {
    await h.t.db('mc_watermarks').where({ store_id: h.config.storeId }).delete();
    await shop.product(h.t.db, { code: 'FIRST-SYNC' });

    await expect(scan('orders')).resolves.toEqual({ dispatched: 0, state: 'started-full-sync' });

    const progress = (await h.client.workflow.getHandle(fullResyncWorkflowId(h.config.storeId)).result()) as ResyncProgress;
    expect(progress.done).toBe(true);
    expect(await remote(h, storePath(h, '/products/FIRST-SYNC'))).not.toBeNull();
    expect(await h.t.db('mc_watermarks').where({ store_id: h.config.storeId, entity_type: 'full_sync' }).first()).toBeDefined();
    // With the watermark in place, the next scan scans.
    await expect(scan('orders')).resolves.toMatchObject({ state: 'scanned' });
  });
});
