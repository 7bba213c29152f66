import { fullResyncWorkflow } from '../../../workflows/full-resync';
import { progressQuery } from '../../../workflows/contract';
import * as shop from '../../support/shop';
import { startSyncHarness, type SyncHarness } from '../../support/sync-harness';

interface Logged { method: string; path: string; status: number }

/**
 * Direct mode runs the types that need none of each other at the same time (mapping/entity-types.ts, `after`):
 * products, promotion rules and customers together, so their pages share the connections; a promo code still waits
 * for its rules' type, an order for the products, codes and customers, in Mailchimp's order of answers.
 */
describe('direct full resync: independent types together', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
  });
  afterAll(() => h.stop());

  it('sends products, rules and customers at once, codes after their rules, orders after everything they name', async () => {
    const { db } = h.t;
    const products = [];
    for (let i = 0; i < 8; i++) products.push(await shop.product(db, { title: `Together ${i}` }, [{ sku: `TOG-${i}` }]));
    const users = [];
    for (let i = 0; i < 4; i++) users.push(await shop.user(db, { email: `together${i}@example.com` }));
    await shop.promotion(db, {}, [{ code: 'TOGETHER1' }, { code: 'TOGETHER2' }]);
    for (let i = 0; i < 4; i++) {
      await shop.order(db, { user_id: users[i].id, promo_code: i === 0 ? 'TOGETHER1' : null }, [{ product_id: products[i].id }]);
    }
    await h.http.post('/_emulator/config', { latencyMs: 50 });
    await h.http.post('/_emulator/stats/reset');
    const phasesSeen = new Set<string>();
    try {
      const handle = await h.client.workflow.start(fullResyncWorkflow, {
        workflowId: `${h.config.storeId}:full-resync:${Date.now()}`, taskQueue: h.config.taskQueue,
        args: [{ storeId: h.config.storeId, types: 'all', pageSize: 1, mode: 'direct' }],
      });
      let finished = false;
      const result = handle.result().finally(() => {
        finished = true;
      });
      while (!finished) {
        const progress = await handle.query(progressQuery).catch(() => null);
        if (progress) phasesSeen.add(progress.phase);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const progress = await result;
      expect(progress.done).toBe(true);
      expect(progress.counts.product?.synced).toBe(8);
      expect(progress.counts.customer?.synced).toBe(4);
      expect(progress.counts.promo_rule?.synced).toBe(1);
      expect(progress.counts.promo_code?.synced).toBe(2);
      expect(progress.counts.order?.synced).toBe(4);
    } finally {
      await h.http.post('/_emulator/config', { latencyMs: 0 });
    }

    const log = ((await h.http.get('/_emulator/requests', { params: { path: `/ecommerce/stores/${h.config.storeId}` } })).data as { requests: Logged[] }).requests;
    const writes = log.filter((r) => r.method !== 'GET' && r.status < 300);
    const at = (method: string, pattern: RegExp) => writes.flatMap((r, i) => (r.method === method && pattern.test(r.path) ? [i] : []));
    const productWrites = at('POST', /\/products$/);
    const customerWrites = at('PUT', /\/customers\/[^/]+$/);
    const ruleWrites = at('POST', /\/promo-rules$/);
    const codeWrites = at('POST', /\/promo-codes$/);
    const orderWrites = at('POST', /\/orders$/);
    expect([productWrites.length, customerWrites.length, ruleWrites.length, codeWrites.length, orderWrites.length]).toEqual([8, 4, 1, 2, 4]);
    // Together: the customers' pages start with the products' first window (4 pages of one row), so their writes go
    // before those of the products' later pages (the gate serves pages in the order they started); one type at a
    // time, every customer write came after the last product's.
    expect(Math.min(...customerWrites)).toBeLessThan(Math.max(...productWrites));
    // What waits still waits: codes after their rule, orders after every product, code and customer.
    expect(Math.min(...codeWrites)).toBeGreaterThan(Math.max(...ruleWrites));
    expect(Math.min(...orderWrites)).toBeGreaterThan(Math.max(...productWrites, ...customerWrites, ...codeWrites));
    // The progress names the types running at once.
    expect([...phasesSeen].some((p) => p.split('+').includes('product') && p.split('+').includes('customer'))).toBe(true);
  });
});
