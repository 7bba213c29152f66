import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { fullResyncWorkflow } from '../../../workflows/full-resync';
import * as shop from '../../support/shop';
import { startSyncHarness } from '../../support/sync-harness';

/**
 * Records the replay test's fixtures: this code's direct resync (fixtures/full-resync-direct-together.history.bin):
 * 4 products, users and orders, pages of one row, a window of 2, continue-as-new after 6 pages; the first run's
 * history. And its auto resync (fixtures/full-resync-auto-together.history.bin, patches AUTO_PACED and AUTO_TOGETHER;
 * full-resync-auto-paced.history.bin is the same resync recorded before AUTO_TOGETHER, at 7a5046d): 4 products, users
 * and orders, one promotion with two codes, pages of two rows, windows of 2, continue-as-new after 6 pages, batches at
 * the emulator's pace. Skipped unless RECORD_REPLAY_FIXTURE=1 (run it only when the workflow's commands changed on purpose, behind
 * a new patch, and keep the old fixtures).
 */
const record = process.env.RECORD_REPLAY_FIXTURE === '1' ? it : it.skip;

describe('record the replay fixture of a direct resync', () => {
  record('writes fixtures/full-resync-direct-together.history.bin', async () => {
    const h = await startSyncHarness();
    try {
      const { db } = h.t;
      const products = [];
      for (let i = 0; i < 4; i++) products.push(await shop.product(db, { title: `Replay ${i}` }));
      for (let i = 0; i < 4; i++) {
        const user = await shop.user(db, { email: `replay${i}@example.com` });
        await shop.order(db, { user_id: user.id }, [{ product_id: products[i].id }]);
      }
      const handle = await h.client.workflow.start(fullResyncWorkflow, {
        workflowId: `${h.config.storeId}:full-resync:record`, taskQueue: h.config.taskQueue,
        args: [{ storeId: h.config.storeId, types: 'all', pageSize: 1, window: 2, pagesPerRun: 6, mode: 'direct' }],
      });
      await handle.result();
      const history = await h.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).fetchHistory();
      fs.writeFileSync(path.join(__dirname, 'fixtures', 'full-resync-direct-together.history.bin'), temporal.api.history.v1.History.encode(history).finish());
    } finally {
      await h.stop();
    }
  });

  record('writes fixtures/full-resync-auto-together.history.bin', async () => {
    const h = await startSyncHarness({ backfillMode: 'auto' });
    try {
      const { db } = h.t;
      const products = [];
      for (let i = 0; i < 4; i++) products.push(await shop.product(db, { title: `Replay ${i}` }));
      await shop.promotion(db, { amount: '10' }, [{ code: 'REPLAY10' }, { code: 'REPLAY-VIP' }]);
      for (let i = 0; i < 4; i++) {
        const user = await shop.user(db, { email: `replay${i}@example.com` });
        await shop.order(db, { user_id: user.id }, [{ product_id: products[i].id }]);
      }
      const handle = await h.client.workflow.start(fullResyncWorkflow, {
        workflowId: `${h.config.storeId}:full-resync:record-auto`, taskQueue: h.config.taskQueue,
        args: [{ storeId: h.config.storeId, types: 'all', pageSize: 2, window: 2, batchWindow: 2, pagesPerRun: 6, mode: 'auto' }],
      });
      await handle.result();
      const history = await h.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).fetchHistory();
      fs.writeFileSync(path.join(__dirname, 'fixtures', 'full-resync-auto-together.history.bin'), temporal.api.history.v1.History.encode(history).finish());
    } finally {
      await h.stop();
    }
  });
});
