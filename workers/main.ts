import { env } from '../config/env';
import { prepareConfigOrExit } from '../config/load';
import { secretValues } from '../config/secrets';
import { describeTemporal } from '../config/temporal';
import { redactSecrets } from '../mailchimp/redact';
import { setupObservability } from '../observability/setup';
import { startWebhookReceiverFromEnv } from '../webhooks/from-env';
import { createWorkerFromEnv } from './from-env';
import { workerHealth } from './health';
import { ensureWorkerSchedules } from './startup';

/**
 * `npm run worker`: a sync worker (Temporal from config/temporal.ts) until SIGINT or SIGTERM, with JSON logs
 * (LOG_LEVEL), metrics and /healthz on METRICS_PORT and, when WEBHOOK_SECRET is set, the audience webhook receiver on
 * WEBHOOK_PORT. At start it ensures the store's schedules (workers/startup.ts), so a new deployment runs by itself.
 */
export async function runWorker(): Promise<void> {
  const observability = await setupObservability();
  const { logger, metrics } = observability;
  const built = await createWorkerFromEnv({
    metrics,
    onMailchimpRequest: (event) => metrics.onMailchimpRequest(event),
    onLeaseError: (err) => {
      logger.warn({ error: redactSecrets(err instanceof Error ? err.message : String(err), secretValues()) }, 'connection lease renewal failed');
    },
  });
  const { worker, config, target, deps, db, mailchimp, connection, workflowBundle } = built;
  metrics.watchSyncState(() => deps.state.countsByStatus());
  const client = await built.temporal();
  const schedules = await ensureWorkerSchedules(client, {
    storeId: config.storeId, taskQueue: config.taskQueue, interval: env('SYNC_INTERVAL'),
    retention: env('WEBHOOK_EVENT_RETENTION'), sourceName: env('SYNC_SOURCE'),
  }, deps.source);
  const webhooks = await startWebhookReceiverFromEnv({ db, mailchimp, temporalClient: client, config, logger });
  logger.info({
    taskQueue: config.taskQueue, temporal: describeTemporal(target), storeId: config.storeId, schedules,
    workflowBundle: workflowBundle?.codePath ?? null,
  }, 'worker listening');
  const running = worker.run();
  observability.metricsServer?.setHealth(workerHealth(worker, connection));
  try {
    await running;
  } finally {
    await webhooks?.close();
    await built.close();
    await observability.close();
  }
}

if (require.main === module) {
  prepareConfigOrExit('worker');
  runWorker().catch((err: unknown) => {
    console.error(redactSecrets(err instanceof Error ? err.message : String(err), secretValues()));
    process.exit(1);
  });
}
