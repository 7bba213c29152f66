import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { SyncConfig } from '../../activities/context';
import { env } from '../../config/env';
import { entityWorkflowId } from '../../workflows/contract';
import { createSyncDeps } from '../../wiring/env';
import { createSyncWorker } from '../../workers/worker';
import { startSyncHarness, type SyncHarness } from '../support/sync-harness';
import type { Touch } from './shop-model';

/**
 * Two stores on one emulator, one audience and one shop database: `incremental` (the harness's worker: full sync,
 * then change scans and the immediate path) and `fresh` (a second worker whose only job is a full sync of the final
 * shop into its own empty store). Created once per test file; reset() makes each run start from nothing.
 */
export interface TwoStores {
  h: SyncHarness;
  fresh: SyncConfig;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** `options` go to the incremental store's harness (its test hooks, say); the fresh store's worker has none. */
export async function startTwoStores(options: Parameters<typeof startSyncHarness>[0] = {}): Promise<TwoStores> {
  const h = await startSyncHarness(options);
  const fresh: SyncConfig = { ...h.config, storeId: `${h.config.storeId}_fresh`, taskQueue: `${h.config.taskQueue}-fresh` };
  const native = await NativeConnection.connect({ address: env('TEMPORAL_ADDRESS') });
  const worker: Worker = await createSyncWorker({
    connection: native, namespace: env('TEMPORAL_NAMESPACE'), taskQueue: fresh.taskQueue,
    deps: createSyncDeps(h.t.db, h.mailchimp, fresh, async () => h.client),
  });
  const running = worker.run();
  const pristine = await tableRows(h);
  return {
    h,
    fresh,
    async reset() {
      for (const queue of [h.config.taskQueue, fresh.taskQueue]) await terminateRunning(h.client, queue);
      const res = await h.http.post('/_emulator/reset', {});
      if (res.status !== 200) throw new Error(`emulator reset → ${res.status}`);
      await restore(h, pristine);
    },
    async stop() {
      worker.shutdown();
      await running;
      await native.close();
      await h.stop();
    },
  };
}

type Rows = Map<string, Array<Record<string, unknown>>>;

/** Every table's rows (shop tables, the sync's mc_ tables, whatever migrations added and seeded). */
async function tableRows(h: SyncHarness): Promise<Rows> {
  const [tables] = (await h.t.db.raw(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'knex_migrations%'",
  )) as [Array<{ name: string }>];
  const out: Rows = new Map();
  for (const { name } of tables) out.set(name, (await h.t.db(name).select()) as Array<Record<string, unknown>>);
  return out;
}

/** The database as it was after the migrations (and the harness's shop settings): each run starts there. */
async function restore(h: SyncHarness, pristine: Rows): Promise<void> {
  for (const [name, rows] of pristine) {
    await h.t.db.raw('TRUNCATE TABLE ??', [name]);
    if (rows.length > 0) await h.t.db(name).insert(rows);
  }
}

/** Leftovers of a failed run (its workflows may still be running) must not act on the next one. */
async function terminateRunning(client: Client, taskQueue: string): Promise<void> {
  for await (const wf of client.workflow.list({ query: `TaskQueue="${taskQueue}" AND ExecutionStatus="Running"` })) {
    await client.workflow.getHandle(wf.workflowId).terminate('property test: reset between runs').catch(() => undefined);
  }
}

const QUIESCE_LIMIT_MS = 90_000;

/**
 * Waits until no workflow of the store runs: the entities the steps touched (by their deterministic ids) and anything
 * else visibility lists on the task queue. A failed entity workflow is an outcome, not an error here: the comparison
 * judges what reached Mailchimp.
 */
export async function quiesce(client: Client, config: SyncConfig, known: Iterable<Touch>, deadline = Date.now() + QUIESCE_LIMIT_MS): Promise<void> {
  for (;;) {
    const running = new Set<string>();
    for (const t of known) {
      const id = entityWorkflowId(config.storeId, t.type, t.id);
      try {
        if ((await client.workflow.getHandle(id).describe()).status.name === 'RUNNING') running.add(id);
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    }
    for await (const wf of client.workflow.list({ query: `TaskQueue="${config.taskQueue}" AND ExecutionStatus="Running"` })) running.add(wf.workflowId);
    if (running.size === 0) return;
    // A liveness guard, not a timing check: a workflow that never ends is reported instead of hanging the run.
    if (Date.now() > deadline) throw new Error(`still running after the catch-up: ${(await Promise.all([...running].map((id) => whyRunning(client, id)))).join('; ')}`);
    const ended = Promise.all([...running].map((id) => client.workflow.getHandle(id).result().catch(() => undefined)));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([ended, new Promise((resolve) => { timer = setTimeout(resolve, Math.max(0, deadline - Date.now())); })]);
    clearTimeout(timer);
  }
}

/** A running workflow and the last failure of the activity it waits for (e.g. one retried forever). */
async function whyRunning(client: Client, workflowId: string): Promise<string> {
  const description = await client.workflow.getHandle(workflowId).describe().catch(() => undefined);
  const pending = description?.raw.pendingActivities ?? [];
  const failures = pending.map((a) => `${a.activityType?.name ?? 'activity'} attempt ${a.attempt ?? '?'}: ${a.lastFailure?.message ?? 'no failure yet'}`);
  return failures.length > 0 ? `${workflowId} (${failures.join(', ')})` : workflowId;
}
