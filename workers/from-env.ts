import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker, WorkflowBundlePath } from '@temporalio/worker';
import type { Knex } from 'knex';
import type { SyncConfig, SyncDeps } from '../activities/context';
import { connectNativeConnection, temporalTarget, type TemporalTarget } from '../config/temporal';
import { startConnectionLeasesFromEnv } from '../db/connection-leases';
import { createDb } from '../db/knex';
import type { MailchimpClient, RequestEvent } from '../mailchimp';
import type { ShopSource } from '../source/shop-source';
import { createSyncMetrics, type SyncMetrics } from '../observability/metrics';
import { createSyncDeps, lazyTemporalClient, mailchimpFromEnv, syncConfigFromEnv } from '../wiring/env';
import { prebuiltWorkflowBundle } from './bundle';
import { createSyncWorker } from './worker';

export interface EnvWorkerOptions {
  /** The worker's metrics (entities synced, the sync paused): `npm run worker` serves its own on METRICS_PORT; default a fresh set. */
  metrics?: SyncMetrics;
  /** Told of every Mailchimp request (method, path, status, duration). */
  onMailchimpRequest?: (event: RequestEvent) => void;
  /** Told when renewing this worker's share of the API key's connections fails (MAILCHIMP_CONNECTION_SHARING). */
  onLeaseError: (err: unknown) => void;
  /** The database (default: DATABASE_URL with the default pool); the benchmark passes one it counts the queries of. */
  db?: Knex;
  /** The workflow code (default: the prebuilt bundle when it is up to date, else workflows/ bundled at start). */
  workflowBundle?: WorkflowBundlePath;
  /** Where the shop data comes from (default: SYNC_SOURCE's, wiring/env.ts); `npm start` passes the Stripe source it set up for its fake Stripe. */
  source?: ShopSource;
  /** The Temporal client the activities use (default: one of its own, created on first use and closed by close()); a caller passing its own closes it. */
  temporal?: () => Promise<Client>;
}

export interface EnvWorker {
  worker: Worker;
  config: SyncConfig;
  target: TemporalTarget;
  deps: SyncDeps;
  db: Knex;
  mailchimp: MailchimpClient;
  connection: NativeConnection;
  /** The Temporal client the activities use (created on first use). */
  temporal: () => Promise<Client>;
  workflowBundle?: WorkflowBundlePath;
  /** Once the worker stopped: closes the client, the connection, the leases, the database and the Mailchimp client. */
  close(): Promise<void>;
}

/**
 * The sync worker as a deployment runs it, configured by the environment (config/variables.ts): its Temporal
 * connection, the shop database, the Mailchimp client, the connection leases and the worker with the pause breaker (a
 * refused API key, a missing audience or store), the entity metrics and the maintenance activities. The one wiring
 * path of `npm run worker` (workers/main.ts), of `npm start` (scripts/start.ts) and of the benchmark's and the fault
 * suite's worker process (bench/worker-child.ts), so what they run, measure and break is the production worker.
 */
export async function createWorkerFromEnv(options: EnvWorkerOptions): Promise<EnvWorker> {
  const target = temporalTarget();
  const config = syncConfigFromEnv();
  const db = options.db ?? createDb();
  const mailchimp = mailchimpFromEnv({ onRequest: options.onMailchimpRequest });
  // This worker's share of the API key's connections, leased from the other workers of the database.
  const leases = await startConnectionLeasesFromEnv(options.onLeaseError);
  const lazy = lazyTemporalClient(target);
  let client: Promise<Client> | undefined;
  const temporal = options.temporal ?? (() => (client ??= lazy()));
  const connection = await connectNativeConnection(target);
  const workflowBundle = options.workflowBundle ?? prebuiltWorkflowBundle();
  const deps = createSyncDeps(db, mailchimp, config, temporal, options.source);
  const worker = await createSyncWorker({ connection, namespace: target.namespace, taskQueue: config.taskQueue, metrics: options.metrics ?? createSyncMetrics(), deps, db, workflowBundle });
  return {
    worker, config, target, deps, db, mailchimp, connection, temporal, workflowBundle,
    async close() {
      if (client) await (await client.catch(() => null))?.connection.close();
      await connection.close();
      await leases?.stop();
      await db.destroy();
      mailchimp.close();
    },
  };
}
