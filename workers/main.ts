import { NativeConnection } from '@temporalio/worker';
import { env } from '../config/env';
import { createDb } from '../db/knex';
import { redactSecrets } from '../mailchimp/redact';
import { setupObservability } from '../observability/setup';
import { startWebhookReceiverFromEnv } from '../webhooks/from-env';
import { createSyncDeps, lazyTemporalClient, mailchimpFromEnv, syncConfigFromEnv } from './deps';
import { createSyncWorker } from './worker';

/**
 * `npm run worker`: a sync worker against TEMPORAL_ADDRESS until SIGINT or SIGTERM, with JSON logs (LOG_LEVEL),
 * metrics on METRICS_PORT (/metrics) and, when WEBHOOK_SECRET is set, the audience webhook receiver on WEBHOOK_PORT.
 */
export async function runWorker(): Promise<void> {
  const address = env('TEMPORAL_ADDRESS');
  const namespace = env('TEMPORAL_NAMESPACE');
  const config = syncConfigFromEnv();
  const observability = await setupObservability();
  const { logger, metrics } = observability;
  const db = createDb();
  const mailchimp = mailchimpFromEnv({ onRequest: (event) => metrics.onMailchimpRequest(event) });
  const temporal = lazyTemporalClient(address, namespace);
  const connection = await NativeConnection.connect({ address });
  const worker = await createSyncWorker({
    connection, namespace, taskQueue: config.taskQueue, metrics,
    deps: createSyncDeps(db, mailchimp, config, temporal),
  });
  const webhooks = await startWebhookReceiverFromEnv({ db, mailchimp, temporalClient: await temporal(), config, logger });
  logger.info({ taskQueue: config.taskQueue, address, namespace, storeId: config.storeId }, 'worker listening');
  try {
    await worker.run();
  } finally {
    await webhooks?.close();
    await connection.close();
    await db.destroy();
    mailchimp.close();
    await observability.close();
  }
}

if (require.main === module) {
  runWorker().catch((err: unknown) => {
    console.error(redactSecrets(err instanceof Error ? err.message : String(err), [env('MAILCHIMP_API_KEY'), env('WEBHOOK_SECRET')]));
    process.exit(1);
  });
}
