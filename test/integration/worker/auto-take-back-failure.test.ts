import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { Client, Connection } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { env } from '../../../config/env';
import type { Activities, PageInput, PageRange, PageResult } from '../../../workflows/activity-contract';
import { WORKFLOWS_PATH } from '../../../workers/bundle';
import { fullResyncWorkflow } from '../../../workflows/full-resync';

/**
 * BACKFILL_MODE=auto: a batch page taken back (cancelled) that ends in a failure instead of as cancelled (here, as a
 * bench run did, the entity locks' deadlock answer while it stopped: a retryable error, but Temporal retries no
 * activity whose cancel was asked for) is still a take-back: the direct lane sends its range, the resync goes on.
 * Before, the failure failed the whole resync. The workflow is the real one on the real Temporal server; the
 * activities are stand-ins that record what they were asked.
 */

const COUNTS = { synced: 2, unchanged: 0, skipped: 0, failed: 0, deleted: 0, paused: 0 };
const RANGES: PageRange[] = [
  { after: null, upTo: { updatedAt: '2026-01-01T00:00:01.000Z', id: '2' } },
  { after: { updatedAt: '2026-01-01T00:00:01.000Z', id: '2' }, upTo: { updatedAt: '2026-01-01T00:00:02.000Z', id: '4' } },
];

describe('auto backfill: a taken-back batch page that fails while it stops', () => {
  it('is redone by the direct lane and the resync ends', async () => {
    const address = env('TEMPORAL_ADDRESS');
    const namespace = env('TEMPORAL_NAMESPACE');
    const taskQueue = `take-back-failure-${randomUUID()}`;
    const direct: Array<PageRange> = [];
    const batch: Array<PageRange> = [];
    const range = (input: PageInput): PageRange => ({ after: input.after, upTo: input.upTo ?? null });
    const activities: Partial<Activities> = {
      beginFullSync: async () => ({ startedAt: new Date().toISOString(), mode: 'auto' }),
      endFullSync: async () => undefined,
      planPages: async (input) => ({ ranges: input.entityType === 'order' && input.after === null ? RANGES : [], next: null }),
      pruneDeleted: async () => 0,
      syncPage: async (input): Promise<PageResult> => {
        direct.push(range(input));
        return { next: null, counts: COUNTS };
      },
      syncPageBatch: async (input): Promise<PageResult> => {
        batch.push(range(input));
        const ctx = Context.current();
        // Heartbeats until the take-back's cancel arrives, then fails as the lock's deadlock answer did.
        while (!ctx.cancellationSignal.aborted) {
          ctx.heartbeat();
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        throw ApplicationFailure.retryable('Waiting for customer x would deadlock with another sync; retrying', 'EntityLockDeadlock');
      },
    };
    const native = await NativeConnection.connect({ address });
    const connection = await Connection.connect({ address });
    const worker = await Worker.create({
      connection: native, namespace, taskQueue, workflowsPath: WORKFLOWS_PATH, activities, maxHeartbeatThrottleInterval: '1s',
    });
    const running = worker.run();
    try {
      const client = new Client({ connection, namespace });
      const result = await client.workflow.execute(fullResyncWorkflow, {
        workflowId: `take-back-failure-${randomUUID()}`, taskQueue,
        args: [{ storeId: 'take-back-failure', types: 'orders', mode: 'auto', pageSize: 2, window: 1, batchWindow: 1 }],
      });
      expect(result.done).toBe(true);
      expect(result.lanes).toMatchObject({ batch: 0, takenBack: 1 });
      // The batch lane's range was sent direct after its take-back; every range direct once.
      expect(batch).toHaveLength(1);
      expect(direct).toHaveLength(2);
      expect(new Set(direct.map((r) => JSON.stringify(r)))).toEqual(new Set(RANGES.map((r) => JSON.stringify(r))));
      expect(result.counts.order?.synced).toBe(4);
    } finally {
      worker.shutdown();
      await running;
      await native.close();
      await connection.close();
    }
  });
});
