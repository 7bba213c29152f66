import { WorkflowNotFoundError } from '@temporalio/client';
import { customerIdForEmail } from '../../../mapping/ids';
import { entityWorkflowId } from '../../../workflows/contract';
import { changeScanWorkflow, type ScanScope } from '../../../workflows/change-scan';
import * as shop from '../../support/shop';
import { differences, freshStores, type FreshStores } from '../../support/fresh-store';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { resync, storePath } from '../../support/sync-steps';

/**
 * Carts through the scheduled change scans alone: a new cart and a changed line (the carts scan), an order that
 * converts a cart without marking it (the orders scan), a cart emptied by deleting its lines (the delete triggers).
 * A product no longer sent (the products scan) and a buyer's new e-mail (the customers scan) reach the carts too. The
 * end state equals a fresh full sync of the same shop.
 */
describe('carts: change detection', () => {
  let h: SyncHarness;
  let fresh: FreshStores;
  let scans = 0;
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

  async function settled(id: number): Promise<void> {
    await h.client.workflow.getHandle(entityWorkflowId(h.config.storeId, 'cart', String(id))).result().catch((err: unknown) => {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    });
  }

  const cartOf = (id: number) => remote<{ lines: Array<{ id: string; quantity: number }> }>(h, storePath(h, `/carts/${id}`));

  it('follows new, changed, converted and emptied carts, and ends like a fresh full sync', async () => {
    const u = await shop.user(h.t.db);
    const p = await shop.product(h.t.db, {}, [{ price: '10.00' }]);
    const [variant] = (await h.t.db('product_variants').where({ product_id: p.id }).select('id')) as Array<{ id: number }>;
    const kept = await shop.cart(h.t.db, { guest_email: 'kept@example.com' }, [{ product_id: p.id, variant_id: variant.id }]);
    const converted = await shop.cart(h.t.db, { user_id: u.id }, [{ product_id: p.id, variant_id: variant.id }]);
    const emptied = await shop.cart(h.t.db, { guest_email: 'emptied@example.com' }, [{ product_id: p.id, variant_id: variant.id }]);
    await scan('carts');
    for (const c of [kept, converted, emptied]) await settled(c.id);
    for (const c of [kept, converted, emptied]) expect(await cartOf(c.id)).not.toBeNull();

    await h.t.db('cart_lines').where({ id: kept.lineIds[0] }).update({ quantity: 4 });
    await h.t.db('cart_lines').where({ cart_id: emptied.id }).delete();
    await scan('carts');
    await settled(kept.id);
    await settled(emptied.id);
    expect((await cartOf(kept.id))?.lines[0].quantity).toBe(4);
    expect(await cartOf(emptied.id)).toBeNull();

    await new Promise((r) => setTimeout(r, 20));
    await shop.order(h.t.db, { user_id: u.id, ordered_at: new Date(Date.now() + 1000) }, [{ product_id: p.id, variant_id: variant.id }]);
    await scan('orders');
    await settled(converted.id);
    expect(await cartOf(converted.id)).toBeNull();

    // A product no longer sent leaves the cart lines naming it (the products scan); a buyer's new e-mail moves the cart
    // to the new customer (the customers scan).
    const u2 = await shop.user(h.t.db);
    const other = await shop.product(h.t.db, {}, [{ price: '5.00' }]);
    const [otherVariant] = (await h.t.db('product_variants').where({ product_id: other.id }).select('id')) as Array<{ id: number }>;
    const mixed = await shop.cart(h.t.db, { user_id: u2.id }, [{ product_id: p.id, variant_id: variant.id }, { product_id: other.id, variant_id: otherVariant.id }]);
    await scan('carts');
    await settled(mixed.id);
    expect((await cartOf(mixed.id))?.lines).toHaveLength(2);
    await h.t.db('products').where({ id: other.id }).update({ status: 'inactive' });
    await scan('products');
    await settled(mixed.id);
    expect((await cartOf(mixed.id))?.lines.map((l) => l.id)).toEqual([String(mixed.lineIds[0])]);
    await h.t.db('users').where({ id: u2.id }).update({ email: 'moved.buyer@example.com' });
    await scan('customers');
    await settled(mixed.id);
    expect(await remote(h, storePath(h, `/carts/${mixed.id}`))).toMatchObject({ customer: { id: customerIdForEmail('moved.buyer@example.com') } });

    const store = await fresh.sync();
    expect(await differences(h, store, ['/carts', `/carts/${kept.id}`, `/carts/${mixed.id}`])).toEqual([]);
  }, 240_000); // nine scans and a fresh full sync: about a minute alone, more on a loaded machine
});
