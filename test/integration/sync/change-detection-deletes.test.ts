import { customerIdForEmail, type EntityType } from '../../../mapping/ids';
import { entityWorkflowId } from '../../../workflows/contract';
import { changeScanWorkflow, type ScanScope } from '../../../workflows/change-scan';
import * as shop from '../../support/shop';
import { differences, freshStores, type FreshStores } from '../../support/fresh-store';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { resync, storePath, syncNow } from '../../support/sync-steps';

/**
 * Hard deletes from every contract table, and e-mail changes, noticed by the change scan through the trigger queue
 * (no full resync, no whole-table comparison), each ending in Mailchimp as a fresh full sync of the shop would.
 */

interface RemoteOrder { id: string; lines: Array<{ id: string }> }

describe('change detection: hard deletes and e-mail changes', () => {
  let h: SyncHarness;
  let fresh: FreshStores;
  let scans = 0;
  /** Every resource the tests touched, compared with a fresh full sync at the end. */
  const touched: string[] = [];
  beforeAll(async () => {
    h = await startSyncHarness();
    fresh = await freshStores(h);
    await resync(h);
  });
  afterAll(async () => {
    await fresh.stop();
    await h.stop();
  });

  function scan(scope: ScanScope): Promise<{ dispatched: number; state: string }> {
    return h.client.workflow.execute(changeScanWorkflow, {
      workflowId: `${h.config.storeId}:scan:${scope}:test-${++scans}`, taskQueue: h.config.taskQueue, args: [{ storeId: h.config.storeId, scope }],
    });
  }

  function entityResult(type: EntityType, id: string | number): Promise<unknown> {
    return h.client.workflow.getHandle(entityWorkflowId(h.config.storeId, type, String(id))).result();
  }

  async function queued(): Promise<number> {
    return Number(((await h.t.db('mc_change_queue').count('* as n').first()) as { n: number | string }).n);
  }

  /** Syncs the rows now and lets a scan pass over them, so the next scan sees only what the test changes. */
  async function synced(scope: ScanScope, ...entities: Array<[EntityType, string | number]>): Promise<void> {
    for (const [type, id] of entities) await syncNow(h, type, id);
    await scan(scope);
    for (const [type, id] of entities) await entityResult(type, id);
  }

  const at = (path: string) => {
    touched.push(path);
    return remote(h, storePath(h, path));
  };

  it('a product row deleted from the shop is deleted from Mailchimp', async () => {
    const p = await shop.product(h.t.db, { code: 'HD-PRODUCT' }, [{ sku: 'HD-PRODUCT-A' }]);
    await synced('products', ['product', p.id]);
    expect(await at('/products/HD-PRODUCT')).not.toBeNull();

    await h.t.db('product_variants').where({ product_id: p.id }).delete();
    await h.t.db('products').where({ id: p.id }).delete();
    await expect(scan('products')).resolves.toEqual({ dispatched: 1, state: 'scanned' });
    await expect(entityResult('product', p.id)).resolves.toMatchObject({ status: 'deleted' });
    expect(await at('/products/HD-PRODUCT')).toBeNull();
    expect(await queued()).toBe(0);
  });

  it('a promo code row, then its promotion row, deleted from the shop are deleted from Mailchimp', async () => {
    const promo = await shop.promotion(h.t.db, {}, [{ code: 'HDKEEP' }, { code: 'HDGONE' }]);
    await synced('promotions', ['promo_rule', promo.id], ['promo_code', promo.codeIds[0]], ['promo_code', promo.codeIds[1]]);

    await h.t.db('promo_codes').where({ id: promo.codeIds[1] }).delete();
    await expect(scan('promotions')).resolves.toEqual({ dispatched: 1, state: 'scanned' });
    await expect(entityResult('promo_code', promo.codeIds[1])).resolves.toMatchObject({ status: 'deleted' });
    expect(await at(`/promo-rules/${promo.id}/promo-codes/${promo.codeIds[1]}`)).toBeNull();
    expect(await at(`/promo-rules/${promo.id}/promo-codes/${promo.codeIds[0]}`)).not.toBeNull();

    await h.t.db('promo_codes').where({ id: promo.codeIds[0] }).delete();
    await h.t.db('promotions').where({ id: promo.id }).delete();
    await expect(scan('promotions')).resolves.toEqual({ dispatched: 2, state: 'scanned' });
    await expect(entityResult('promo_code', promo.codeIds[0])).resolves.toMatchObject({ status: 'deleted' });
    await expect(entityResult('promo_rule', promo.id)).resolves.toMatchObject({ status: 'deleted' });
    expect(await at(`/promo-rules/${promo.id}`)).toBeNull();
    expect(await queued()).toBe(0);
  });

  it('an order line deleted from the shop is removed from its order', async () => {
    const p = await shop.product(h.t.db, { code: 'HD-LINE' }, [{ sku: 'HD-LINE-A' }]);
    const u = await shop.user(h.t.db, { email: 'hd-line@example.com' });
    const o = await shop.order(h.t.db, { user_id: u.id, order_number: 'HD-SO-LINE' }, [
      { id: 77001, product_id: p.id, variant_id: null }, { id: 77002, product_id: p.id, variant_id: null },
    ]);
    await synced('orders', ['order', o.id]);
    expect((await remote<RemoteOrder>(h, storePath(h, '/orders/HD-SO-LINE')))?.lines).toHaveLength(2);

    await h.t.db('order_lines').where({ id: 77002 }).delete();
    // The order, and the product the line named (still sold: unchanged).
    await expect(scan('orders')).resolves.toEqual({ dispatched: 2, state: 'scanned' });
    await expect(entityResult('product', p.id)).resolves.toMatchObject({ status: 'unchanged' });
    await expect(entityResult('order', o.id)).resolves.toMatchObject({ status: 'synced' });
    expect(((await at('/orders/HD-SO-LINE')) as RemoteOrder | null)?.lines.map((l) => l.id)).toEqual(['77001']);
    expect(await queued()).toBe(0);
  });

  it('an order deleted from the shop is deleted from Mailchimp, and its guest customer looked at again', async () => {
    const p = await shop.product(h.t.db, { code: 'HD-ORDER' }, [{ sku: 'HD-ORDER-A' }]);
    const o = await shop.order(h.t.db, { order_number: 'HD-SO-GUEST', guest_email: 'HD.Guest@Example.com ', guest_first_name: 'Gus' }, [{ product_id: p.id, variant_id: null }]);
    const guest = customerIdForEmail('hd.guest@example.com');
    await synced('orders', ['order', o.id]);
    expect(await at('/orders/HD-SO-GUEST')).not.toBeNull();

    await h.t.db('order_lines').where({ order_id: o.id }).delete();
    await h.t.db('orders').where({ id: o.id }).delete();
    // The order (from its own row and from its lines), the product its line named, and the guest's customer.
    await expect(scan('orders')).resolves.toEqual({ dispatched: 3, state: 'scanned' });
    await expect(entityResult('order', o.id)).resolves.toMatchObject({ status: 'deleted' });
    await entityResult('customer', guest);
    expect(await at('/orders/HD-SO-GUEST')).toBeNull();
    expect(await at(`/customers/${guest}`)).toBeNull();
    expect(await queued()).toBe(0);
  });

  it('a product kept in Mailchimp only for an order goes when the order and its lines are deleted', async () => {
    const p = await shop.product(h.t.db, { code: 'HD-KEPT', status: 'inactive' }, [{ sku: 'HD-KEPT-A' }]);
    const u = await shop.user(h.t.db, { email: 'hd-kept@example.com' });
    const o = await shop.order(h.t.db, { user_id: u.id, order_number: 'HD-SO-KEPT' }, [{ product_id: p.id, variant_id: null }]);
    await synced('orders', ['order', o.id]);
    await synced('products', ['product', p.id]);
    expect(await at('/products/HD-KEPT')).not.toBeNull();

    await h.t.db('order_lines').where({ order_id: o.id }).delete();
    await h.t.db('orders').where({ id: o.id }).delete();
    await expect(scan('orders')).resolves.toEqual({ dispatched: 2, state: 'scanned' });
    await expect(entityResult('order', o.id)).resolves.toMatchObject({ status: 'deleted' });
    await expect(entityResult('product', p.id)).resolves.toMatchObject({ status: 'deleted' });
    expect(await at('/orders/HD-SO-KEPT')).toBeNull();
    expect(await at('/products/HD-KEPT')).toBeNull();
  });

  it('a guest order\'s change reaches the guest\'s customer', async () => {
    const p = await shop.product(h.t.db, { code: 'HD-GUEST' }, [{ sku: 'HD-GUEST-A' }]);
    const o = await shop.order(h.t.db, { order_number: 'HD-SO-NAME', guest_email: 'named.guest@example.com', guest_first_name: 'Old' }, [{ product_id: p.id, variant_id: null }]);
    const guest = customerIdForEmail('named.guest@example.com');
    await synced('orders', ['order', o.id]);

    await h.t.db('orders').where({ id: o.id }).update({ guest_first_name: 'New' });
    await expect(scan('orders')).resolves.toEqual({ dispatched: 2, state: 'scanned' });
    await entityResult('customer', guest);
    expect(await at(`/customers/${guest}`)).toMatchObject({ first_name: 'New' });
  });

  it('a user deleted from the shop is deleted from Mailchimp\'s customers', async () => {
    const u = await shop.user(h.t.db, { email: 'hd-user@example.com' });
    const hash = customerIdForEmail(u.email);
    await synced('customers', ['customer', hash]);
    expect(await at(`/customers/${hash}`)).not.toBeNull();

    await h.t.db('users').where({ id: u.id }).delete();
    await expect(scan('customers')).resolves.toEqual({ dispatched: 1, state: 'scanned' });
    await entityResult('customer', hash);
    expect(await at(`/customers/${hash}`)).toBeNull();
    expect(await queued()).toBe(0);
  });

  it('a user\'s e-mail change re-syncs the new address and the customer of the old one', async () => {
    const u = await shop.user(h.t.db, { email: 'before@example.com', first_name: 'Eve' });
    const old = customerIdForEmail('before@example.com');
    const now = customerIdForEmail('after@example.com');
    await synced('customers', ['customer', old]);

    await h.t.db('users').where({ id: u.id }).update({ email: 'after@example.com' });
    await expect(scan('customers')).resolves.toEqual({ dispatched: 2, state: 'scanned' });
    await entityResult('customer', now);
    await entityResult('customer', old);
    expect(await at(`/customers/${now}`)).toMatchObject({ email_address: 'after@example.com', first_name: 'Eve' });
    expect(await at(`/customers/${old}`)).toBeNull();
    expect(await queued()).toBe(0);
  });

  it('orders naming a promo code follow its promotion\'s discount type, and the code\'s deletion', async () => {
    const p = await shop.product(h.t.db, { code: 'HD-PROMO' }, [{ sku: 'HD-PROMO-A' }]);
    const u = await shop.user(h.t.db, { email: 'hd-promo@example.com' });
    const promo = await shop.promotion(h.t.db, { discount_type: 'percentage' }, [{ code: 'HDTYPE' }]);
    const o = await shop.order(h.t.db, { user_id: u.id, order_number: 'HD-SO-PROMO', promo_code: 'HDTYPE', discount_total: '2.00' }, [{ product_id: p.id, variant_id: null }]);
    await synced('promotions', ['promo_rule', promo.id], ['promo_code', promo.codeIds[0]]);
    await synced('orders', ['order', o.id]);
    const promos = async () => ((await at('/orders/HD-SO-PROMO')) as { promos?: Array<{ code: string; type: string }> } | null)?.promos;
    expect(await promos()).toEqual([expect.objectContaining({ code: 'HDTYPE', type: 'percentage' })]);

    await h.t.db('promotions').where({ id: promo.id }).update({ discount_type: 'fixed' });
    // The rule itself (its row changed) and the order naming its code.
    await expect(scan('promotions')).resolves.toEqual({ dispatched: 2, state: 'scanned' });
    await expect(entityResult('order', o.id)).resolves.toMatchObject({ status: 'synced' });
    expect(await promos()).toEqual([expect.objectContaining({ code: 'HDTYPE', type: 'fixed' })]);
    expect(await queued()).toBe(0);

    await h.t.db('promotions').where({ id: promo.id }).update({ discount_type: 'percentage' });
    await scan('promotions');
    await entityResult('order', o.id);
    await h.t.db('promo_codes').where({ id: promo.codeIds[0] }).delete();
    await expect(scan('promotions')).resolves.toEqual({ dispatched: 2, state: 'scanned' });
    await expect(entityResult('order', o.id)).resolves.toMatchObject({ status: 'synced' });
    expect(await promos()).toEqual([expect.objectContaining({ code: 'HDTYPE', type: 'fixed' })]); // no promotion known any more
    expect(await queued()).toBe(0);
  });

  it('ends, resource by resource, where a fresh full sync of the shop ends', async () => {
    const store = await fresh.sync();
    expect(await differences(h, store, [...new Set(touched)])).toEqual([]);
  });
});
