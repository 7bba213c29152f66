import { createDb } from '../../../db/knex';
import type { ScanScope } from '../../../mapping/entity-types';
import { changeScanWorkflow } from '../../../workflows/change-scan';
import { entityWorkflowId } from '../../../workflows/contract';
import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { resync, storePath } from '../../support/sync-steps';

/**
 * Incremental latency after a full sync, counted in scan runs (no clock): rows the full sync read are not handed to
 * entity workflows again by the first scans after it (they re-read the look-back), so a shop just imported or edited in
 * bulk does not queue one workflow per entity in front of the next real change; a change after the full sync reaches
 * Mailchimp through the next scan of its scope alone.
 */

const SCOPES: ScanScope[] = ['products', 'promotions', 'customers', 'orders', 'carts'];

describe('the change scan after a full sync', () => {
  let h: SyncHarness;
  let scans = 0;
  let productId = 0;
  let promotionId = 0;
  beforeAll(async () => {
    h = await startSyncHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  function scan(scope: ScanScope): Promise<{ dispatched: number; state: string }> {
    return h.client.workflow.execute(changeScanWorkflow, {
      workflowId: `${h.config.storeId}:scan:${scope}:test-${++scans}`, taskQueue: h.config.taskQueue, args: [{ storeId: h.config.storeId, scope }],
    });
  }

  it('dispatches nothing the full sync read (every table of every scope, inside the look-back)', async () => {
    // Every row written moments before the full sync: all of them inside the scans' look-back. The new codes queue
    // their orders for a look (the promo triggers), which the full sync's orders phase answers too.
    promotionId = (await shop.promotion(h.t.db, {}, [{ code: 'SAFCODE1' }, { code: 'SAFCODE2' }])).id;
    for (let i = 0; i < 3; i++) {
      const p = await shop.product(h.t.db, { code: `SAF-P${i}` }, [{ sku: `SAF-P${i}-A` }, { sku: `SAF-P${i}-B` }]);
      productId = p.id;
      const u = await shop.user(h.t.db, { email: `saf-${i}@example.com` });
      await shop.order(h.t.db, { user_id: u.id, order_number: `SAF-O${i}`, promo_code: 'SAFCODE1' }, [{ product_id: p.id, variant_id: null, quantity: 1 }]);
    }
    expect(Number(((await h.t.db('mc_change_queue').count('* as n').first()) as { n: number | string }).n)).toBeGreaterThan(0);
    await resync(h);
    expect(await remote(h, storePath(h, '/orders/SAF-O2'))).not.toBeNull();

    const dispatched: Record<string, number> = {};
    for (const scope of SCOPES) dispatched[scope] = (await scan(scope)).dispatched;
    expect(dispatched).toEqual({ products: 0, promotions: 0, customers: 0, orders: 0, carts: 0 });
  });

  it('a row changed after the full sync is dispatched, alone, by the next scan of its scope', async () => {
    await h.t.db('products').where({ id: productId }).update({ title: 'Changed after the full sync' });
    await expect(scan('products')).resolves.toEqual({ dispatched: 1, state: 'scanned' });
    await h.client.workflow.getHandle(entityWorkflowId(h.config.storeId, 'product', String(productId))).result();
    expect(await remote(h, storePath(h, '/products/SAF-P2'))).toMatchObject({ title: 'Changed after the full sync' });
    // Seen once: the next scan re-reads it inside the look-back and dispatches nothing.
    await expect(scan('products')).resolves.toEqual({ dispatched: 0, state: 'scanned' });
  });

  it('a row stamped before a full sync began and committed after it read its range is still found by the next scan', async () => {
    const other = createDb(h.t.url, { min: 0, max: 1 });
    const trx = await other.transaction();
    let committed = false;
    try {
      // A checkout stamped 20 s ago, still open while the whole full sync runs.
      await trx('products').insert({ id: 89001, code: 'SAF-LATE', title: 'Late', seo_url: '/p/saf-late', status: 'active', updated_at: trx.raw('NOW(3) - INTERVAL 20 SECOND') });
      await resync(h);
      expect(await remote(h, storePath(h, '/products/SAF-LATE'))).toBeNull();
      await trx.commit();
      committed = true;

      await expect(scan('products')).resolves.toEqual({ dispatched: 1, state: 'scanned' });
      await expect(h.client.workflow.getHandle(entityWorkflowId(h.config.storeId, 'product', '89001')).result()).resolves.toMatchObject({ status: 'synced' });
      expect(await remote(h, storePath(h, '/products/SAF-LATE'))).toMatchObject({ id: 'SAF-LATE', title: 'Late' });
    } finally {
      if (!committed) await trx.rollback();
      await other.destroy();
    }
  });

  it('a promo change committed after the full sync began still sends the orders naming the code to be looked at', async () => {
    const p = await shop.product(h.t.db, { code: 'SAF-PROMO' }, [{ sku: 'SAF-PROMO-A' }]);
    const u = await shop.user(h.t.db, { email: 'saf-promo@example.com' });
    const o = await shop.order(h.t.db, { user_id: u.id, order_number: 'SAF-O-PROMO', promo_code: 'SAFCODE3' }, [{ product_id: p.id, variant_id: null, quantity: 1 }]);
    const other = createDb(h.t.url, { min: 0, max: 1 });
    const trx = await other.transaction();
    let committed = false;
    try {
      // The code the order names appears in a transaction still open while the full sync runs (its queued change too).
      await trx('promo_codes').insert({ id: 89101, promotion_id: promotionId, code: 'SAFCODE3', usage_count: 0, enabled: true });
      await resync(h);
      await trx.commit();
      committed = true;

      const scanned = await scan('promotions');
      expect(scanned.dispatched).toBeGreaterThanOrEqual(2); // the code (a late commit) and the order naming it
      await expect(h.client.workflow.getHandle(entityWorkflowId(h.config.storeId, 'order', String(o.id))).result()).resolves.toMatchObject({ status: expect.any(String) });
      expect(Number(((await h.t.db('mc_change_queue').count('* as n').first()) as { n: number | string }).n)).toBe(0);
    } finally {
      if (!committed) await trx.rollback();
      await other.destroy();
    }
  });
});
