import { WorkflowFailedError } from '@temporalio/client';
import { entityWorkflowId } from '../../../workflows/contract';
import * as shop from '../../support/shop';
import { startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { resync, waitFor } from '../../support/sync-steps';

/**
 * What a full resync could not send is a failed entity workflow in Temporal (and so in the Web UI), carrying the
 * same reason and search attributes, in direct and in batch mode.
 */
describe.each(['direct', 'batch'] as const)('failures of a full resync are failed workflows (%s)', (backfillMode) => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness({ backfillMode });
  });
  afterAll(() => h?.stop());

  it('an order the resync could not send is found by EntityType, ExecutionStatus and StoreId, with its reason', async () => {
    const u = await shop.user(h.t.db, { email: `visible-${backfillMode}@example.com` });
    const p = await shop.product(h.t.db, { code: `VIS-${backfillMode}` }, [{ sku: `VIS-${backfillMode}-A` }]);
    const good = await shop.order(h.t.db, { user_id: u.id }, [{ product_id: p.id }]);
    const bad = await shop.order(h.t.db, { user_id: u.id, currency: 'EUR' }, [{ product_id: p.id }]);

    const result = await resync(h);
    expect(result.counts.order).toMatchObject({ failed: 1 });
    // The result names where to look; that query lists exactly the failed order.
    const query = `EntityType IN ("order") AND ExecutionStatus="Failed" AND StoreId="${h.config.storeId}"`;
    expect(result.failures).toEqual({ count: 1, query });
    const found = await waitFor('the failed order workflow to be listed', async () => {
      const ids: string[] = [];
      for await (const wf of h.client.workflow.list({ query })) ids.push(wf.workflowId);
      return ids.length > 0 ? ids : null;
    });
    expect(found).toEqual([entityWorkflowId(h.config.storeId, 'order', String(bad.id))]);
    const err = await h.client.workflow.getHandle(found[0]).result().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect((err as WorkflowFailedError).cause?.message).toBe(`Order ${bad.number} was not sent: it is in EUR but the store's currency is USD`);
    const described = await h.client.workflow.getHandle(found[0]).describe();
    const ours = described.typedSearchAttributes.getAll().filter((a) => ['EntityId', 'EntityType', 'StoreId'].includes(a.key.name));
    expect(ours.map((a) => `${a.key.name}=${String(a.value)}`).sort()).toEqual([`EntityId=${bad.id}`, 'EntityType=order', `StoreId=${h.config.storeId}`]);
    // The good order has no failed workflow.
    const goodId = entityWorkflowId(h.config.storeId, 'order', String(good.id));
    expect(found).not.toContain(goodId);
  });
});
