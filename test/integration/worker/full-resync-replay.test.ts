import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker, type WorkflowBundle } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../../workers/bundle';

/**
 * Workflow determinism: histories of full resyncs recorded with the sliding-window code (commit 28d3eb7, before
 * BACKFILL_MODE=auto; 4 users, products and orders, pages of one row, a window of 2, continue-as-new after 6 pages)
 * must replay on today's workflow code, so a resync running while its workers are upgraded goes on. A change of the
 * workflow's commands for these modes must come with `patched()` (workflows/full-resync.ts), or this test fails.
 * `direct-together`: a direct resync with the types together (patch TYPES_TOGETHER; 4 products, users and orders, the
 * same pages), recorded by record-replay-fixture.test.ts. `auto`: an auto resync of the benchmark's small shop (L = 100 ms,
 * B = 1,000 operations/s; `npm run bench -- --size small --mode auto --batch-ops-per-second 1000`, one run, no
 * continue-as-new) recorded with the lanes taking turns (code at 59b3ae4, before the paced lanes of AUTO_PACED): it
 * must replay its take-backs and timers without the patch marker. `auto-paced`: an auto resync with the paced lanes
 * (patch AUTO_PACED; 4 products, users and orders, a promotion with two codes, pages of two rows, windows of 2,
 * continue-as-new after 6 pages), recorded by record-replay-fixture.test.ts at b3bd16b, before AUTO_TOGETHER;
 * `auto-together`: the same resync with the types together (patch AUTO_TOGETHER), recorded at dd2af8d.
 */
const FIXTURES = path.join(__dirname, 'fixtures');

describe('full resync histories of the previous code replay on this code', () => {
  let bundle: WorkflowBundle;
  beforeAll(async () => {
    bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH });
  });

  for (const mode of ['direct', 'batch', 'direct-together', 'auto', 'auto-paced', 'auto-together']) {
    it(`a ${mode} resync (its first run${mode === 'auto' ? '' : ', ending in continue-as-new'})`, async () => {
      // Binary (the History message, as fetchHistory returns it): the JSON form needs a protobufjs the SDK's proto agrees with.
      const history = temporal.api.history.v1.History.decode(fs.readFileSync(path.join(FIXTURES, `full-resync-${mode}.history.bin`)));
      await expect(Worker.runReplayHistory({ workflowBundle: bundle }, history, `replay-${mode}`)).resolves.toBeUndefined();
    });
  }
});
