import { WorkflowNotFoundError } from '@temporalio/client';
import type { Knex } from 'knex';
import { createDb } from '../../../db/knex';
import { customerIdForEmail, type EntityType } from '../../../mapping/ids';
import { entityWorkflowId } from '../../../workflows/contract';
import { changeScanWorkflow, type ScanScope } from '../../../workflows/change-scan';
import * as shop from '../../support/shop';
import { differences, freshStores, type FreshStores } from '../../support/fresh-store';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { resetStats, resync, stats, storePath, syncNow } from '../../support/sync-steps';

/**
 * Change detection on the real stack: what only a secondary table (variants, order lines, shop_settings) says, and
 * rows committed late, reach Mailchimp through the scheduled change scan alone, and re-reading the look-back costs
 * nothing. Each end state is compared with a fresh full sync of the same shop into an empty store.
 */

interface RemoteVariant { id: string; price: number; url: string }
interface RemoteProduct { id: string; url: string; variants: RemoteVariant[] }
interface RemoteOrder { id: string; lines: Array<{ id: string; quantity: number; price: number }> }

describe('change detection: every table that feeds a resource is watched', () => {
  let h: SyncHarness;
  let fresh: FreshStores;
  let scans = 0;
  beforeAll(async () => {
    h = await startSyncHarness();
    fresh = await freshStores(h);
    await resync(h); // empty shop: the store and the full_sync watermark
  });
  afterAll(async () => {
    await fresh.stop();
    await h.stop();
  });

  /** What the schedule runs: one change scan of a scope. */
  function scan(scope: ScanScope): Promise<{ dispatched: number; state: string }> {
    return h.client.workflow.execute(changeScanWorkflow, {
      workflowId: `${h.config.storeId}:scan:${scope}:test-${++scans}`, taskQueue: h.config.taskQueue, args: [{ storeId: h.config.storeId, scope }],
    });
  }

  /** The run the scan started (or signalled) for the entity, to its end. */
  function entityResult(type: EntityType, id: string | number): Promise<unknown> {
    return h.client.workflow.getHandle(entityWorkflowId(h.config.storeId, type, String(id))).result();
  }

  const product = (code: string) => remote<RemoteProduct>(h, storePath(h, `/products/${code}`));

  async function rows(table: string, where: Record<string, string> = {}): Promise<number> {
    return Number(((await h.t.db(table).where(where).count('* as n').first()) as { n: number | string }).n);
  }

  /** Waits for every entity workflow the tests may have started (none found: never started). */
  async function settle(): Promise<void> {
    const ids = async (table: string) => ((await h.t.db(table).select('id')) as Array<{ id: string }>).map((r) => String(r.id));
    const users = (await h.t.db('users').select('email')) as Array<{ email: string }>;
    const entities: Array<[EntityType, string[]]> = [
      ['product', await ids('products')], ['promo_rule', await ids('promotions')], ['promo_code', await ids('promo_codes')],
      ['order', await ids('orders')], ['customer', users.map((u) => customerIdForEmail(u.email))],
    ];
    for (const [type, list] of entities) {
      for (const id of list) {
        await entityResult(type, id).catch((err: unknown) => {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        });
      }
    }
  }

  /**
   * A scan whose result the test does not look at, and every entity workflow run it started, to its end: a run still
   * going when the test changes the shop would read that change itself and leave the next scan's run nothing to do.
   */
  async function scanAndSettle(scope: ScanScope): Promise<void> {
    await scan(scope);
    await settle();
  }

  async function sameAsFreshSync(resources: string[]): Promise<void> {
    const store = await fresh.sync();
    expect(await differences(h, store, resources)).toEqual([]);
  }

  it('a variant price written only to product_variants re-syncs its product', async () => {
    const p = await shop.product(h.t.db, { code: 'CD-PRICE' }, [{ sku: 'CD-PRICE-A', price: '10.00' }, { sku: 'CD-PRICE-B', price: '12.00' }]);
    await syncNow(h, 'product', p.id);
    await scanAndSettle('products'); // the new rows themselves
    const before = (await h.t.db('products').where({ id: p.id }).first()) as { updated_at: Date };

    await h.t.db('product_variants').where({ sku: 'CD-PRICE-A' }).update({ price: '7.50' });
    await expect(scan('products')).resolves.toEqual({ dispatched: 1, state: 'scanned' });
    await expect(entityResult('product', p.id)).resolves.toMatchObject({ status: 'synced' });

    expect(((await h.t.db('products').where({ id: p.id }).first()) as { updated_at: Date }).updated_at).toEqual(before.updated_at);
    expect((await product('CD-PRICE'))?.variants.find((v) => v.id === 'CD-PRICE-A')).toMatchObject({ price: 7.5 });
    await sameAsFreshSync(['/products/CD-PRICE']);
  });

  it('a variant row hard-deleted (its product untouched) is deleted from the product in Mailchimp', async () => {
    const p = await shop.product(h.t.db, { code: 'CD-VDEL' }, [{ sku: 'CD-VDEL-S' }, { sku: 'CD-VDEL-M' }]);
    await syncNow(h, 'product', p.id);
    await scanAndSettle('products');

    await h.t.db('product_variants').where({ sku: 'CD-VDEL-M' }).delete();
    await expect(scan('products')).resolves.toEqual({ dispatched: 1, state: 'scanned' });
    await expect(entityResult('product', p.id)).resolves.toMatchObject({ status: 'synced' });

    expect((await product('CD-VDEL'))?.variants.map((v) => v.id)).toEqual(['CD-VDEL-S']);
    expect(await rows('mc_change_queue')).toBe(0);
    await sameAsFreshSync(['/products/CD-VDEL']);
  });

  it('a change written only to order_lines re-syncs its order', async () => {
    const p = await shop.product(h.t.db, { code: 'CD-LINE' }, [{ sku: 'CD-LINE-A' }]);
    const u = await shop.user(h.t.db, { email: 'cd-line@example.com' });
    const o = await shop.order(h.t.db, { user_id: u.id, order_number: 'CD-SO-1' }, [{ product_id: p.id, variant_id: null, quantity: 1 }]);
    await syncNow(h, 'order', o.id);
    await scanAndSettle('orders');

    await h.t.db('order_lines').where({ order_id: o.id }).update({ quantity: 3 });
    await expect(scan('orders')).resolves.toEqual({ dispatched: 1, state: 'scanned' });
    await expect(entityResult('order', o.id)).resolves.toMatchObject({ status: 'synced' });

    const remoteOrder = await remote<RemoteOrder>(h, storePath(h, '/orders/CD-SO-1'));
    expect(remoteOrder?.lines.map((l) => l.quantity)).toEqual([3]);
    await sameAsFreshSync(['/orders/CD-SO-1']);
  });

  it('a store_domain change updates the store, every product URL and every promo code redemption URL', async () => {
    const p = await shop.product(h.t.db, { code: 'CD-DOMAIN', seo_url: '/p/domain' }, [{ sku: 'CD-DOMAIN-A' }]);
    const promo = await shop.promotion(h.t.db, {}, [{ code: 'CDDOMAIN' }]);
    await syncNow(h, 'product', p.id);
    await syncNow(h, 'promo_rule', promo.id);
    await syncNow(h, 'promo_code', promo.codeIds[0]);
    await scanAndSettle('products');
    await scanAndSettle('promotions');
    expect(await product('CD-DOMAIN')).toMatchObject({ url: 'https://shop.example/p/domain' });

    await shop.settings(h.t.db, { store_domain: 'new-shop.example', store_name: 'Renamed Shop' });
    const byProducts = await scan('products');
    expect(byProducts.state).toBe('scanned');
    // Every product of the shop is looked at again (the content hash skips those the domain does not change).
    expect(byProducts.dispatched).toBe(await rows('products'));
    await entityResult('product', p.id);
    const byPromotions = await scan('promotions');
    expect(byPromotions.dispatched).toBe(await rows('promo_codes'));
    await entityResult('promo_code', promo.codeIds[0]);

    expect(await remote(h, storePath(h, ''))).toMatchObject({ domain: 'new-shop.example', name: 'Renamed Shop' });
    const updated = await product('CD-DOMAIN');
    expect(updated).toMatchObject({ url: 'https://new-shop.example/p/domain' });
    expect(updated?.variants[0].url).toMatch(/^https:\/\/new-shop\.example\//);
    expect(await remote(h, storePath(h, `/promo-rules/${promo.id}/promo-codes/${promo.codeIds[0]}`)))
      .toMatchObject({ redemption_url: 'https://new-shop.example/cart?promo=CDDOMAIN' });
    await sameAsFreshSync(['/products/CD-DOMAIN', `/promo-rules/${promo.id}/promo-codes`]);
    await shop.settings(h.t.db); // back to the harness's settings for the other tests
    await scanAndSettle('products');
    await scanAndSettle('promotions');
  });

  it('a store_currency Mailchimp cannot take is recorded on the store, and the scan goes on', async () => {
    await shop.settings(h.t.db, { store_currency: 'EUR' });
    // Not failed, and nothing re-sent against a currency the store refuses.
    await expect(scan('products')).resolves.toEqual({ dispatched: 0, state: 'scanned' });
    const store = (await h.t.db('mc_sync_state').where({ store_id: h.config.storeId, entity_type: 'store' }).first()) as { status: string; error_reason: string };
    expect(store).toMatchObject({ status: 'failed' });
    expect(store.error_reason).toMatch(/store_currency is EUR/);
    expect(await remote(h, storePath(h, ''))).toMatchObject({ currency_code: 'USD' });

    await shop.settings(h.t.db, { store_currency: 'USD' });
    await expect(scan('products')).resolves.toEqual({ dispatched: await rows('products'), state: 'scanned' });
    expect(await h.t.db('mc_sync_state').where({ store_id: h.config.storeId, entity_type: 'store' }).first()).toMatchObject({ status: 'synced' });
    await settle();
  });

  describe('late commits', () => {
    let other: Knex;
    beforeAll(() => {
      other = createDb(h.t.url, { min: 0, max: 1 });
    });
    afterAll(() => other.destroy());

    it('a row committed after newer rows and a scan, with an updated_at inside the look-back, is still synced', async () => {
      const trx = await other.transaction();
      let committed = false;
      try {
        // A checkout stamped 20 s ago that commits only now.
        await trx('products').insert({ id: 88001, code: 'CD-LATE', title: 'Late', seo_url: '/p/late', status: 'active', updated_at: trx.raw('NOW(3) - INTERVAL 20 SECOND') });
        const newer = await shop.product(h.t.db, { code: 'CD-NEWER' });
        await expect(scan('products')).resolves.toMatchObject({ dispatched: 1 });
        await expect(entityResult('product', newer.id)).resolves.toMatchObject({ status: 'synced' });
        const mark = (await h.t.db('mc_watermarks').where({ store_id: h.config.storeId, entity_type: 'product' }).first()) as { updated_at: Date };
        await trx.commit();
        committed = true;
        const late = (await h.t.db('products').where({ id: 88001 }).first()) as { updated_at: Date };
        expect(late.updated_at.getTime()).toBeLessThan(mark.updated_at.getTime()); // the cursor had passed it

        await expect(scan('products')).resolves.toEqual({ dispatched: 1, state: 'scanned' });
        await expect(entityResult('product', 88001)).resolves.toMatchObject({ status: 'synced' });
        expect(await product('CD-LATE')).toMatchObject({ id: 'CD-LATE', url: 'https://shop.example/p/late' });
      } finally {
        if (!committed) await trx.rollback();
      }
    });

    it('a late order line (an order committed in one transaction, a line in another) reaches the order', async () => {
      const p = await shop.product(h.t.db, { code: 'CD-LATE-LINE' }, [{ sku: 'CD-LATE-LINE-A' }]);
      const u = await shop.user(h.t.db, { email: 'cd-late@example.com' });
      const o = await shop.order(h.t.db, { user_id: u.id, order_number: 'CD-SO-LATE' }, [{ product_id: p.id, variant_id: null, quantity: 1 }]);
      await scan('orders');
      await entityResult('order', o.id);
      const trx = await other.transaction();
      await trx('order_lines').insert({ id: 88101, order_id: o.id, product_id: p.id, quantity: 2, unit_price: '4.00', discount: '0', updated_at: trx.raw('NOW(3) - INTERVAL 10 SECOND') });
      await h.t.db('orders').where({ id: o.id }).update({ order_total: '28.00' }); // a newer commit the scan sees first
      await expect(scan('orders')).resolves.toMatchObject({ dispatched: 1 });
      await entityResult('order', o.id);
      await trx.commit();

      await expect(scan('orders')).resolves.toEqual({ dispatched: 1, state: 'scanned' });
      await expect(entityResult('order', o.id)).resolves.toMatchObject({ status: 'synced' });
      const lines = (await remote<RemoteOrder>(h, storePath(h, '/orders/CD-SO-LATE')))?.lines ?? [];
      expect(lines).toHaveLength(2);
      expect(lines.find((l) => l.id === '88101')).toMatchObject({ quantity: 2, price: 4 });
    });
  });

  it('a re-scan inside the look-back dispatches nothing and makes no Mailchimp request', async () => {
    for (const scope of ['products', 'promotions', 'customers', 'orders'] as const) await scan(scope);
    await settle();
    await resetStats(h);
    for (const scope of ['products', 'promotions', 'customers', 'orders'] as const) {
      await expect(scan(scope)).resolves.toEqual({ dispatched: 0, state: 'scanned' });
    }
    expect((await stats(h)).requests).toBe(0);
    // The rows are still inside the look-back: they were read again, and recognised.
    expect(await rows('mc_scan_seen', { store_id: h.config.storeId })).toBeGreaterThan(0);
  });
});
