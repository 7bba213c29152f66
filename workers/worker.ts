import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { SyncDeps } from '../activities/context';

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: SyncDeps;
}

/** The sync worker: all workflows and activities on one task queue. */
export function createSyncWorker(options: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowsPath: require.resolve('../workflows'),
    activities: createActivities(options.deps),
    maxConcurrentActivityTaskExecutions: 50,
    maxConcurrentWorkflowTaskExecutions: 40,
  });
}
