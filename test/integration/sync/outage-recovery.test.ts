import { entityWorkflowId } from '../../../workflows/contract';
import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { notify, resync, storePath } from '../../support/sync-steps';

/** What an operator is promised after a Mailchimp outage (docs/runbook.md, "During a Mailchimp outage"). */
const DRAIN_AFTER_OUTAGE_MS = 30_000;

const seconds = (d: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(d?.seconds ?? 0) + (d?.nanos ?? 0) / 1e9;

/**
 * A Mailchimp outage (every call 503) leaves the changes made during it in entity workflows whose activity retries
 * with backoff; how far apart the retries get bounds how long after Mailchimp's return the backlog drains, however
 * long the outage lasted. The bound is read from the retry policy the real Temporal server was given for the
 * activity (a behavioural check would have to wait out the whole backoff: minutes).
 */
describe('recovery after a Mailchimp outage', () => {
  let h: SyncHarness;
  /** Products whose shop read is held this long (an entity sync longer than the heartbeat timeout). */
  const slow = new Map<string, number>();
  beforeAll(async () => {
    h = await startSyncHarness({
      hooks: {
        afterRead: async (type, id) => {
          const ms = type === 'product' ? slow.get(id) : undefined;
          if (ms) await new Promise((r) => setTimeout(r, ms));
        },
      },
    });
    await resync(h);
  });
  afterAll(() => h?.stop());

  it('a change made during the outage retries at most 30 s apart, and is sent soon after Mailchimp is back', async () => {
    const p = await shop.product(h.t.db, { code: 'OUTAGE-1', title: 'During the outage' }, [{ sku: 'OUTAGE-1-A' }]);
    await h.http.post('/_emulator/config', { faults: { outage: true } });
    let workflowId = '';
    try {
      workflowId = await notify(h, 'product', p.id);
      expect(workflowId).toBe(entityWorkflowId(h.config.storeId, 'product', String(p.id)));
      const handle = h.client.workflow.getHandle(workflowId);
      const deadline = Date.now() + 30_000;
      for (;;) {
        const pending = (await handle.describe()).raw.pendingActivities ?? [];
        if ((pending[0]?.attempt ?? 0) >= 3) {
          expect(pending[0]?.lastFailure?.message).toContain('503');
          break;
        }
        if (Date.now() > deadline) throw new Error(`the activity did not retry during the outage: ${JSON.stringify(pending)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      const history = await handle.fetchHistory();
      const scheduled = (history.events ?? []).map((e) => e.activityTaskScheduledEventAttributes).filter((a) => a?.activityType?.name === 'syncEntityNow');
      expect(scheduled).toHaveLength(1);
      const policy = scheduled[0]?.retryPolicy;
      // Unlimited attempts (nothing is lost), backoff from 1 s, and never more than the promised drain time apart.
      expect(policy?.maximumAttempts ?? 0).toBe(0);
      expect(seconds(policy?.initialInterval)).toBe(1);
      expect(seconds(policy?.maximumInterval) * 1000).toBeLessThanOrEqual(DRAIN_AFTER_OUTAGE_MS);
      // An attempt the worker never ran (lost with a dead worker, or never received) is retried after 20 s, not 2 min.
      expect(seconds(scheduled[0]?.heartbeatTimeout)).toBe(20);
    } finally {
      await h.http.post('/_emulator/config', { faults: { outage: false } });
    }
    const back = Date.now();
    expect(await h.client.workflow.getHandle(workflowId).result()).toMatchObject({ status: 'synced' });
    expect(Date.now() - back).toBeLessThan(DRAIN_AFTER_OUTAGE_MS);
    expect(await remote(h, storePath(h, '/products/OUTAGE-1'))).toMatchObject({ title: 'During the outage' });
  });

  it('an entity sync that takes longer than the heartbeat timeout is kept alive by its heartbeats: one attempt', async () => {
    const p = await shop.product(h.t.db, { code: 'SLOW-1', title: 'Slow' }, [{ sku: 'SLOW-1-A' }]);
    slow.set(String(p.id), 25_000);
    const workflowId = await notify(h, 'product', p.id);
    expect(await h.client.workflow.getHandle(workflowId).result()).toMatchObject({ status: 'synced' });
    const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
    const started = (history.events ?? []).map((e) => e.activityTaskStartedEventAttributes).filter((a) => a);
    expect(started.map((a) => a?.attempt)).toEqual([1]);
    expect(await remote(h, storePath(h, '/products/SLOW-1'))).toMatchObject({ title: 'Slow' });
  }, 90_000);
});
