import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { customerIdForEmail } from '../../../mapping/ids';
import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { notify, resync, storePath, syncNow, syncState } from '../../support/sync-steps';

describe('one bad entity among good ones', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
    await resync(h); // empty shop: creates the Mailchimp store
  });
  afterAll(() => h.stop());

  /** Runs the entity's workflow and returns how it failed (fails the test when it succeeds). */
  async function failure(type: 'product' | 'order' | 'customer' | 'promo_rule' | 'promo_code', id: string | number): Promise<ApplicationFailure> {
    const err = await syncNow(h, type, id).then(
      (result) => new Error(`expected the ${type} ${id} workflow to fail, it returned ${JSON.stringify(result)}`),
      (e: unknown) => e,
    );
    if (!(err instanceof WorkflowFailedError)) throw err;
    expect(err.cause).toBeInstanceOf(ApplicationFailure);
    const cause = err.cause as ApplicationFailure;
    expect(cause.nonRetryable).toBe(true);
    return cause;
  }

  it('fails a product priced in another currency with a readable reason, records it, and syncs the good ones', async () => {
    const good = await shop.product(h.t.db, { code: 'GOOD-1' }, [{ sku: 'GOOD-1-A', price: '5.00' }]);
    const bad = await shop.product(h.t.db, { code: 'EURO-1' }, [{ sku: 'EURO-1-A', price: '5.00', currency: 'EUR' }]);
    const alsoGood = await shop.product(h.t.db, { code: 'GOOD-2' });

    const [goodResult, cause, alsoGoodResult] = await Promise.all([
      syncNow(h, 'product', good.id), failure('product', bad.id), syncNow(h, 'product', alsoGood.id),
    ]);

    expect(cause.message).toBe("Product EURO-1 was not sent: variant EURO-1-A is priced in EUR but the store's currency is USD");
    expect(cause.type).toBe('EntitySyncFailed');
    expect(await syncState(h, 'product', bad.id)).toMatchObject({ status: 'failed', error_reason: cause.message, attempts: 1 });
    expect(await remote(h, storePath(h, '/products/EURO-1'))).toBeNull();

    expect(goodResult).toMatchObject({ status: 'synced' });
    expect(alsoGoodResult).toMatchObject({ status: 'synced' });
    expect(await remote(h, storePath(h, '/products/GOOD-1'))).not.toBeNull();
    expect(await remote(h, storePath(h, '/products/GOOD-2'))).not.toBeNull();
  });

  it('syncs the product once its data is fixed and it is notified again', async () => {
    const bad = await shop.product(h.t.db, { code: 'EURO-2' }, [{ sku: 'EURO-2-A', price: '7.00', currency: 'EUR' }]);
    await failure('product', bad.id);

    await h.t.db('product_variants').where({ sku: 'EURO-2-A' }).update({ currency: 'USD' });
    await expect(syncNow(h, 'product', bad.id)).resolves.toMatchObject({ status: 'synced' });

    expect(await remote(h, storePath(h, '/products/EURO-2'))).toMatchObject({ variants: [expect.objectContaining({ id: 'EURO-2-A', price: 7 })] });
    expect(await syncState(h, 'product', bad.id)).toMatchObject({ status: 'synced', error_reason: null, error_detail: null });
  });

  it('fails an order with an invalid buyer email, keeps the good order, and succeeds after the email is fixed', async () => {
    const p = await shop.product(h.t.db);
    const good = await shop.order(h.t.db, { guest_email: 'good.buyer@example.com' }, [{ product_id: p.id }]);
    const bad = await shop.order(h.t.db, { guest_email: 'bad buyer@example' }, [{ product_id: p.id }]);

    const [goodResult, cause] = await Promise.all([syncNow(h, 'order', good.id), failure('order', bad.id)]);

    expect(cause.message).toBe(`Order ${bad.number} was not sent: the email "bad buyer@example" is not a valid address (it contains a space or a control character)`);
    expect(await syncState(h, 'order', bad.id)).toMatchObject({ status: 'failed', error_reason: cause.message });
    expect(await remote(h, storePath(h, `/orders/${bad.number}`))).toBeNull();
    expect(goodResult).toMatchObject({ status: 'synced' });
    expect(await remote(h, storePath(h, `/orders/${good.number}`))).not.toBeNull();

    await h.t.db('orders').where({ id: bad.id }).update({ guest_email: 'fixed.buyer@example.com' });
    await expect(syncNow(h, 'order', bad.id)).resolves.toMatchObject({ status: 'synced' });
    expect(await remote(h, storePath(h, `/orders/${bad.number}`))).toMatchObject({ customer: { id: customerIdForEmail('fixed.buyer@example.com') } });
    expect(await syncState(h, 'order', bad.id)).toMatchObject({ status: 'synced', error_reason: null });
  });

  it('fails an order whose product cannot be sent, naming the product, and sends it once the product is fixed', async () => {
    const bad = await shop.product(h.t.db, { code: 'EURO-3' }, [{ id: 99301, sku: 'EURO-3-A', price: '9.00', currency: 'EUR' }]);
    const o = await shop.order(h.t.db, { guest_email: 'waits@example.com', order_total: '9.00' }, [{ product_id: bad.id, variant_id: 99301, unit_price: '9.00' }]);

    const cause = await failure('order', o.id);
    expect(cause.message).toContain(`Order ${o.number} waits for a product: Product EURO-3 was not sent: variant EURO-3-A is priced in EUR`);
    expect(await syncState(h, 'order', o.id)).toMatchObject({ status: 'failed' });
    expect(await syncState(h, 'product', bad.id)).toMatchObject({ status: 'failed' });

    await h.t.db('product_variants').where({ id: 99301 }).update({ currency: 'USD' });
    await expect(syncNow(h, 'order', o.id)).resolves.toMatchObject({ status: 'synced' });
    expect(await remote(h, storePath(h, `/orders/${o.number}`))).toMatchObject({ lines: [expect.objectContaining({ product_id: 'EURO-3', product_variant_id: 'EURO-3-A' })] });
  });

  it('a full resync counts the bad entity as failed and still sends every good one', async () => {
    const bad = await shop.product(h.t.db, { code: 'EURO-4', title: '   ' });
    const good = await shop.product(h.t.db, { code: 'GOOD-4' });
    const progress = await resync(h, 'products', 2);
    expect(progress.done).toBe(true);
    // Every product still failing in the shop (this one, and EURO-1 of the first test, never fixed) is counted, none else.
    const failing = (await h.t.db('mc_sync_state').where({ store_id: h.config.storeId, entity_type: 'product', status: 'failed' }).pluck('entity_id')) as string[];
    expect(failing).toContain(String(bad.id));
    expect(progress.counts.product?.failed).toBe(failing.length);
    expect(progress.counts.product?.synced).toBeGreaterThanOrEqual(1);
    expect(await syncState(h, 'product', bad.id)).toMatchObject({ status: 'failed', error_reason: 'Product EURO-4 was not sent: its title is empty' });
    expect(await remote(h, storePath(h, '/products/GOOD-4'))).not.toBeNull();
    expect(await syncState(h, 'product', good.id)).toMatchObject({ status: 'synced' });
  });

  it('shows the reason on the failed workflow in Temporal', async () => {
    const bad = await shop.product(h.t.db, { code: 'EURO-5' }, [{ sku: 'EURO-5-A', price: '-1.00' }]);
    const workflowId = await notify(h, 'product', bad.id);
    const handle = h.client.workflow.getHandle(workflowId);
    await handle.result().catch(() => undefined);
    const description = await handle.describe();
    expect(description.status.name).toBe('FAILED');
    const history = await handle.fetchHistory();
    const failed = history.events?.find((e) => e.workflowExecutionFailedEventAttributes);
    expect(failed?.workflowExecutionFailedEventAttributes?.failure?.message).toMatch(/^Product EURO-5 was not sent: .*negative/);
    // The activity ran once: a refusal no retry can fix is not retried.
    const scheduled = history.events?.filter((e) => e.activityTaskScheduledEventAttributes) ?? [];
    const started = history.events?.filter((e) => e.activityTaskStartedEventAttributes) ?? [];
    expect(scheduled).toHaveLength(1);
    expect(started.map((e) => Number(e.activityTaskStartedEventAttributes?.attempt))).toEqual([1]);
  });
});
