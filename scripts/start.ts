// First: remembers a Ctrl-C that arrives while the rest loads.
import { stopRequested } from './stop-signal';
import { env } from '../config/env';
import { prepareConfigOrExit } from '../config/load';
import { secretValues } from '../config/secrets';
import { connectTemporalClient, temporalTarget } from '../config/temporal';
import { retentionScheduleId } from '../client/schedules';
import { ensureWorkerSchedules } from '../workers/startup';
import { redactSecrets } from '../mailchimp/redact';
import { createDb, migrateLatest } from '../db/knex';
import { createShopDbSource } from '../source/shop-db';
import { DEFAULT_CARTS, DEFAULT_SEED, DEFAULT_SIZES } from '../db/seed/generate';
import { runSeed } from '../db/seed/main';
import { startEmulator, type RunningEmulator } from '../emulator';
import { ensureServices, stopServices } from '../services';
import { portOpen } from '../services/process';
import { DATA_DIR } from '../services/paths';
import { setupObservability } from '../observability/setup';
import { startWebhookReceiverFromEnv } from '../webhooks/from-env';
import { syncConfigFromEnv } from '../wiring/env';
import { createWorkerFromEnv } from '../workers/from-env';
import { workerHealth } from '../workers/health';
import { startStripe } from './stripe-demo';

const HELP = `Usage: npm start [-- --no-seed]

The whole job with embedded defaults: starts (or reuses) Temporal and the shop database, applies the
migrations, fills an empty shop with demo data, starts the bundled Mailchimp emulator when MAILCHIMP_API_URL
points at it, creates the sync schedules and runs a worker. The first scheduled scan sets up the store and
starts the first full sync. Ctrl-C stops the worker and everything this command started.
With SYNC_SOURCE=stripe the data comes from Stripe instead (docs/stripe.md): a fake Stripe with demo data when
STRIPE_API_URL is local, the Stripe webhook receiver, and a backfill instead of the schedules.`;

function log(message: string): void {
  console.log(`[start] ${message}`);
}

/** Starts the bundled emulator when MAILCHIMP_API_URL is a local address where nothing answers yet. */
async function maybeStartEmulator(): Promise<RunningEmulator | null> {
  const apiUrl = env('MAILCHIMP_API_URL');
  if (!apiUrl) return null;
  const url = new URL(apiUrl);
  if (!['127.0.0.1', 'localhost'].includes(url.hostname)) return null;
  const port = Number(url.port || 80);
  if (await portOpen(url.hostname, port)) {
    log(`Mailchimp API at ${apiUrl} is already up.`);
    return null;
  }
  const emulator = await startEmulator({
    port, host: url.hostname, apiKey: env('MAILCHIMP_API_KEY'), listId: env('MAILCHIMP_LIST_ID'),
    stateFile: env('EMULATOR_STATE_FILE') || `${DATA_DIR}/emulator-state.json`,
  });
  log(`Mailchimp emulator on ${emulator.url} (open it in a browser to see the store).`);
  return emulator;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) return console.log(HELP);
  const unknown = args.filter((a) => a !== '--no-seed');
  if (unknown.length) throw new Error(`Unknown argument ${unknown.join(' ')}.\n${HELP}`);

  const started = await ensureServices();
  log(`Temporal ${env('TEMPORAL_ADDRESS')} (${started.temporal ? 'started' : 'reused'}), Web UI http://127.0.0.1:${env('TEMPORAL_UI_PORT')}`);
  const db = createDb();
  await migrateLatest(db);
  const products = await createShopDbSource(db).count('product');
  const fromStripe = env('SYNC_SOURCE') === 'stripe';
  if (products === 0 && !fromStripe && !args.includes('--no-seed')) {
    log('The shop is empty: seeding demo data (npm run seed for other sizes).');
    await runSeed(db, { ...DEFAULT_SIZES, carts: DEFAULT_CARTS, seed: DEFAULT_SEED, reset: false, dryRun: false });
  }
  const emulator = await maybeStartEmulator();

  const config = syncConfigFromEnv();
  const client = await connectTemporalClient(temporalTarget());
  const observability = await setupObservability();
  const { logger, metrics } = observability;
  const stripe = fromStripe ? await startStripe({ db, client, config, seed: !args.includes('--no-seed'), log }) : null;
  // The production worker, built where `npm run worker` builds it (workers/from-env.ts): the same activities, pause
  // breaker, metrics, maintenance activities and connection leases (a worker started next to this one shares the
  // key's connections with it); package.json gives this process the worker's V8 flags (workers/node-flags).
  const built = await createWorkerFromEnv({
    db, metrics, source: stripe?.source, temporal: async () => client,
    onMailchimpRequest: (event) => metrics.onMailchimpRequest(event),
    onLeaseError: (err) => {
      logger.warn({ error: redactSecrets(err instanceof Error ? err.message : String(err), secretValues()) }, 'connection lease renewal failed');
    },
  });
  const { worker, mailchimp } = built;
  metrics.watchSyncState(() => built.deps.state.countsByStatus());
  const webhooks = await startWebhookReceiverFromEnv({ db, mailchimp, temporalClient: client, config, logger });
  // The worker's own schedules (workers/startup.ts): the change scans are created paused while the feature switch is off.
  const schedules = await ensureWorkerSchedules(client, {
    storeId: config.storeId, taskQueue: config.taskQueue, interval: env('SYNC_INTERVAL'),
    retention: env('WEBHOOK_EVENT_RETENTION'), sourceName: stripe ? 'stripe' : 'mysql',
  }, built.deps.source);
  if (stripe) {
    // Stripe changes arrive as webhooks; the backfill sends what exists (no change-scan schedules).
    await stripe.backfill();
    log(`Stripe backfill started. Worker on task queue ${config.taskQueue}. Ctrl-C to stop.`);
  } else {
    const scans = schedules.filter((id) => id !== retentionScheduleId(config.storeId));
    if ((await built.deps.source.settings()).mailchimpSyncEnabled) {
      // Run each scan once now rather than after the first interval: the first one starts the first full sync.
      for (const id of scans) await client.schedule.getHandle(id).trigger();
      log(`Schedules ${scans.join(', ')} every ${env('SYNC_INTERVAL')}. Worker on task queue ${config.taskQueue}. Ctrl-C to stop.`);
    } else {
      log(`The Mailchimp sync is switched off for this shop: schedules ${scans.join(', ')} are paused until it is switched on (mcsync enable). Worker on task queue ${config.taskQueue}. Ctrl-C to stop.`);
    }
  }

  try {
    const running = worker.run();
    observability.metricsServer?.setHealth(workerHealth(worker, built.connection));
    if (stopRequested()) worker.shutdown();
    await running;
  } finally {
    log('Stopping.');
    await webhooks?.close();
    await stripe?.close();
    // The worker's connection, its leases (freed for other workers), the database and the Mailchimp client.
    await built.close();
    await observability.close();
    await client.connection.close();
    await emulator?.close();
    await stopServices(started);
    log('Stopped.');
  }
}

prepareConfigOrExit('npm start');
main().catch((err: unknown) => {
  console.error(redactSecrets(err instanceof Error ? err.message : String(err), secretValues()));
  process.exit(1);
});
