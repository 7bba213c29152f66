import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { classifyFailures } from '../activities/failures';
import type { SyncDeps } from '../activities/context';
import { instrumentActivities } from '../observability/activity-metrics';
import type { SyncMetrics } from '../observability/metrics';

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: SyncDeps;
  /** When given, the activities count the entities they sync (mcsync_entities_synced_total). */
  metrics?: SyncMetrics;
}

/** The sync worker: all workflows and activities on one task queue. */
export function createSyncWorker(options: WorkerOptions): Promise<Worker> {
  const activities = classifyFailures(createActivities(options.deps));
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowsPath: require.resolve('../workflows'),
    activities: options.metrics ? instrumentActivities(activities, options.metrics) : activities,
    maxConcurrentActivityTaskExecutions: 50,
    maxConcurrentWorkflowTaskExecutions: 40,
  });
}
