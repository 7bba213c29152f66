import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Health } from '../observability/metrics';

const TIMEOUT_MS = 3000;

/**
 * The worker's health for GET /healthz (the container's health check): its state is RUNNING and Temporal answers on
 * its connection now. A worker that lost Temporal reports unhealthy until the connection is back.
 */
export function workerHealth(worker: Pick<Worker, 'getState'>, connection: Pick<NativeConnection, 'workflowService'>): () => Promise<Health> {
  return async () => {
    const state = worker.getState();
    if (state !== 'RUNNING') return { ok: false, detail: `worker is ${state}` };
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        connection.workflowService.getSystemInfo({}),
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
        }),
      ]);
      return { ok: true, detail: 'worker running, Temporal reachable' };
    } catch (err) {
      return { ok: false, detail: `Temporal unreachable: ${err instanceof Error ? err.message : String(err)}` };
    } finally {
      clearTimeout(timer);
    }
  };
}
