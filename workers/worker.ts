import { NativeConnection, Worker, type WorkflowBundlePath } from '@temporalio/worker';
import type { Knex } from 'knex';
import { createActivities } from '../activities';
import { createAuthBreaker } from '../activities/auth-breaker';
import { classifyFailures } from '../activities/failures';
import type { SyncDeps } from '../activities/context';
import { secretValues } from '../config/secrets';
import { createRetentionActivities } from '../activities/webhook-retention';
import { instrumentActivities } from '../observability/activity-metrics';
import type { SyncMetrics } from '../observability/metrics';
import { WORKFLOWS_PATH } from './bundle';

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: SyncDeps;
  /** When given, the activities count the entities they sync (mcsync_entities_synced_total). */
  metrics?: SyncMetrics;
  /** When given, the maintenance activities run too (the webhook-event retention), and a refused API key pauses sending. */
  db?: Knex;
  /** How often a refused API key is checked again (default 30 s; tests shorten it). */
  authProbeEveryMs?: number;
  /** A prebuilt workflow bundle (workers/bundle.ts); without it workflows/ is bundled at start. */
  workflowBundle?: WorkflowBundlePath;
}

/** The sync worker: all workflows and activities on one task queue. */
export function createSyncWorker(options: WorkerOptions): Promise<Worker> {
  const { deps, db } = options;
  // With the database (a real worker), a refused API key pauses sending until the key works (activities/auth-breaker.ts).
  const breaker = db ? createAuthBreaker({
    db, storeId: deps.config.storeId, probe: () => deps.mailchimp.getList(deps.config.listId), probeEveryMs: options.authProbeEveryMs,
  }) : null;
  const created = createActivities(deps);
  const sync = classifyFailures(breaker ? breaker.guard(created) : created, secretValues());
  const activities = {
    ...(options.metrics ? instrumentActivities(sync, options.metrics) : sync),
    ...(options.db ? createRetentionActivities(options.db) : {}),
  };
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities,
    maxConcurrentActivityTaskExecutions: 50,
    maxConcurrentWorkflowTaskExecutions: 40,
  });
}
