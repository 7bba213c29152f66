import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { resync, storePath } from '../../support/sync-steps';

/**
 * BACKFILL_MODE=batch when Mailchimp never gets to the batches (they stay in `preprocessing`): each stalled batch is
 * stopped and its rows go through the direct path, so the full resync still sends everything, and no order twice.
 */
describe('a batch that never leaves preprocessing', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness({ backfillMode: 'batch', batchStallMs: 1500 });
  });
  afterAll(() => h?.stop());

  it('is stopped after the stall bound, and the full resync sends every row directly', async () => {
    const users = [];
    for (let i = 0; i < 3; i += 1) users.push(await shop.user(h.t.db, { email: `stall${i}@example.com` }));
    const products = [];
    for (let i = 0; i < 3; i += 1) products.push(await shop.product(h.t.db, { code: `STALL-${i}` }, [{ sku: `STALL-${i}-A` }]));
    const variantIds = (await h.t.db('product_variants').whereIn('product_id', products.map((p) => p.id)).orderBy('product_id').select('id')) as Array<{ id: number }>;
    const orders = [];
    for (let i = 0; i < 3; i += 1) {
      orders.push(await shop.order(h.t.db, { user_id: users[i].id }, [{ product_id: products[i].id, variant_id: variantIds[i].id }]));
    }
    expect((await h.http.post('/_emulator/config', { batches: { preprocessMs: 600_000 } })).status).toBe(200);

    await resync(h);

    for (const p of products) expect(await remote(h, storePath(h, `/products/${p.code}`))).not.toBeNull();
    for (const o of orders) expect(await remote(h, storePath(h, `/orders/${o.number}`))).not.toBeNull();
    const stats = (await h.http.get('/_emulator/stats')).data as { orderCreates: Record<string, number>; byRoute: Record<string, number> };
    expect(Object.values(stats.orderCreates).filter((n) => n > 1)).toEqual([]);
    expect(stats.byRoute['POST /3.0/batches'] ?? 0).toBeGreaterThan(0);
    expect(stats.byRoute['DELETE /3.0/batches/{batch_id}'] ?? 0).toBe(stats.byRoute['POST /3.0/batches']);
    const left = (await h.http.get('/3.0/batches')).data as { batches: Array<{ status: string }> };
    expect(left.batches.filter((b) => b.status !== 'finished')).toEqual([]);
  });
});
