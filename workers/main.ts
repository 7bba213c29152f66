import { NativeConnection } from '@temporalio/worker';
import { env } from '../config/env';
import { createDb } from '../db/knex';
import { createSyncDeps, lazyTemporalClient, mailchimpFromEnv, syncConfigFromEnv } from './deps';
import { createSyncWorker } from './worker';

/** `npm run worker`: a sync worker against TEMPORAL_ADDRESS until SIGINT or SIGTERM. */
export async function runWorker(): Promise<void> {
  const address = env('TEMPORAL_ADDRESS');
  const namespace = env('TEMPORAL_NAMESPACE');
  const config = syncConfigFromEnv();
  const db = createDb();
  const mailchimp = mailchimpFromEnv();
  const connection = await NativeConnection.connect({ address });
  const worker = await createSyncWorker({
    connection, namespace, taskQueue: config.taskQueue,
    deps: createSyncDeps(db, mailchimp, config, lazyTemporalClient(address, namespace)),
  });
  console.log(`Worker listening on task queue ${config.taskQueue} (${address}, namespace ${namespace}), store ${config.storeId}.`);
  try {
    await worker.run();
  } finally {
    await connection.close();
    await db.destroy();
    mailchimp.close();
  }
}

if (require.main === module) {
  runWorker().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
