import { env } from '../config/env';
import { prepareConfigOrExit } from '../config/load';
import { secretValues } from '../config/secrets';
import { connectNativeConnection, describeTemporal, temporalTarget } from '../config/temporal';
import { startConnectionLeasesFromEnv } from '../db/connection-leases';
import { createDb } from '../db/knex';
import { redactSecrets } from '../mailchimp/redact';
import { setupObservability } from '../observability/setup';
import { startWebhookReceiverFromEnv } from '../webhooks/from-env';
import { prebuiltWorkflowBundle } from './bundle';
import { createSyncDeps, lazyTemporalClient, mailchimpFromEnv, syncConfigFromEnv } from '../wiring/env';
import { workerHealth } from './health';
import { ensureWorkerSchedules } from './startup';
import { createSyncWorker } from './worker';

/**
 * `npm run worker`: a sync worker (Temporal from config/temporal.ts) until SIGINT or SIGTERM, with JSON logs
 * (LOG_LEVEL), metrics and /healthz on METRICS_PORT and, when WEBHOOK_SECRET is set, the audience webhook receiver on
 * WEBHOOK_PORT. At start it ensures the store's schedules (workers/startup.ts), so a new deployment runs by itself.
 */
export async function runWorker(): Promise<void> {
  const target = temporalTarget();
  const { namespace } = target;
  const config = syncConfigFromEnv();
  const observability = await setupObservability();
  const { logger, metrics } = observability;
  const db = createDb();
  const mailchimp = mailchimpFromEnv({ onRequest: (event) => metrics.onMailchimpRequest(event) });
  // This worker's share of the API key's connections, leased from the other workers of the database.
  const leases = await startConnectionLeasesFromEnv((err) => {
    logger.warn({ error: redactSecrets(err instanceof Error ? err.message : String(err), secretValues()) }, 'connection lease renewal failed');
  });
  const temporal = lazyTemporalClient(target);
  const connection = await connectNativeConnection(target);
  const workflowBundle = prebuiltWorkflowBundle();
  const deps = createSyncDeps(db, mailchimp, config, temporal);
  metrics.watchSyncState(() => deps.state.countsByStatus());
  const worker = await createSyncWorker({ connection, namespace, taskQueue: config.taskQueue, metrics, deps, db, workflowBundle });
  const client = await temporal();
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
    await client.connection.close();
    await connection.close();
    await leases?.stop();
    await db.destroy();
    mailchimp.close();
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
