import { NativeConnection, Worker, type WorkflowBundlePath } from '@temporalio/worker';
import type { Knex } from 'knex';
import { createActivities } from '../activities';
import { log } from '@temporalio/activity';
import { createAuthBreaker, describePause, mailchimpBlocker, pauseCause } from '../activities/auth-breaker';
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
  // With the database (a real worker), a refused API key or a missing audience or store pauses sending until Mailchimp
  // takes requests again (activities/auth-breaker.ts).
  const { listId, storeId } = deps.config;
  const breaker = db ? createAuthBreaker({
    db, storeId, probeEveryMs: options.authProbeEveryMs,
    probe: mailchimpBlocker({
      listId, storeId,
      getList: () => deps.mailchimp.getList(listId),
      getStore: () => deps.mailchimp.getStore(storeId),
      storeSetUp: async () => (await deps.state.get('store', storeId))?.status === 'synced',
    }),
    onChange: (failure) => {
      options.metrics?.setSyncPaused(failure === null ? null : pauseCause(failure.reason));
      // Called inside the activity that noticed it, so the line carries the activity's attributes.
      if (failure) log.error(describePause(failure), { reason: failure.reason });
      else log.info('Mailchimp takes requests again: the sync resumes');
    },
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
    // Heartbeats reach Temporal at most this often (default: 0.8 × the heartbeat timeout): a batch page taken back
    // (cancelled) learns it within about a second. The activities heartbeat every 1 to 5 s, so this adds few calls.
    maxHeartbeatThrottleInterval: '1s',
    maxConcurrentWorkflowTaskExecutions: 40,
  });
}
