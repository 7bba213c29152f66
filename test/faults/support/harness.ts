/**
 * One fault scenario's world: a fresh seeded database, an in-process emulator, the worker in a child process
 * (restarted by a small supervisor whenever it dies, as systemd or Kubernetes would), and a Temporal client.
 */
import { Client, Connection } from '@temporalio/client';
import { fullResyncWorkflowId, progressQuery, type ResyncProgress } from '../../../workflows/contract';
import { fullResyncWorkflow } from '../../../workflows/full-resync';
import { env } from '../../../config/env';
import { generateShop, type GenerateOptions } from '../../../db/seed/generate';
import { BAD_ROWS } from '../../../db/seed/bad-rows';
import { writeShop } from '../../../db/seed/write';
import { startEmulator, type RunningEmulator } from '../../../emulator';
import { createMailchimpClient, type MailchimpClient } from '../../../mailchimp';
import { createFreshDatabase, sleep, spawnWorker, suffix, type FreshDatabase, type WorkerProcess } from '../../../bench/lib';
import { reconcileFaultWorld, type FaultReconcile } from './reconcile';

export const FAULTS_SIZE: 'small' | 'large' = process.env.FAULTS_SIZE === 'large' ? 'large' : 'small';

/** small runs inside `npm test`; large (the benchmark's small shop) on demand with FAULTS_SIZE=large. */
export const SHOP_SIZES: Record<'small' | 'large', Omit<GenerateOptions, 'seed'>> = {
  small: { products: 40, customers: 120, orders: 250, promotions: 6 },
  large: { products: 500, customers: 2_000, orders: 5_000, promotions: 50 },
};
/** Small pages, so a full sync has many activities to be interrupted in. */
export const PAGE_SIZE = FAULTS_SIZE === 'large' ? 100 : 20;
export const LATENCY_MS = FAULTS_SIZE === 'large' ? 30 : 15;

const API_KEY = 'faults-emulator-key-us1';
const LIST_ID = 'a1b2c3d4e5';

export interface FaultWorld {
  fresh: FreshDatabase;
  emulator: RunningEmulator;
  client: Client;
  /** A Mailchimp client against the emulator (what the reconcile reads through). */
  mailchimp: MailchimpClient;
  storeId: string;
  taskQueue: string;
  /** The current process of worker `index` (default the first). */
  worker(index?: number): WorkerProcess;
  /** Worker processes started so far (restarts included). */
  workerStarts(): number;
  /** Kill worker `index` (default the first) with SIGKILL; the supervisor starts a new one unless `restartWorkers` is false. */
  killWorker(index?: number): Promise<void>;
  emulatorControl(path: string, body?: unknown): Promise<unknown>;
  /** Starts the full resync of everything (pages of `pageSize` rows, default PAGE_SIZE). */
  startFullSync(pageSize?: number): Promise<void>;
  progress(): Promise<ResyncProgress | null>;
  /** Waits for the full sync to finish and returns its progress. */
  fullSyncResult(timeoutMs?: number): Promise<ResyncProgress>;
  /** The operator reconcile of the shop against the emulator, plus the fault suite's own checks (support/reconcile.ts). */
  reconcile(): Promise<FaultReconcile>;
  close(): Promise<void>;
}

export interface WorldOptions {
  temporalAddress?: string;
  /** A MySQL server URL (database part ignored) for the fresh database; default DATABASE_URL's server. */
  databaseServerUrl?: string;
  badRows?: boolean;
  workerEnv?: Record<string, string>;
  /** Worker processes polling the task queue (default 1). */
  workers?: number;
  /** Whether the supervisor starts a worker again when it dies (default true). */
  restartWorkers?: boolean;
}

export async function startWorld(options: WorldOptions = {}): Promise<FaultWorld> {
  const id = suffix();
  const storeId = `faults_${id}`;
  const taskQueue = `faults-${id}`;
  const fresh = await createFreshDatabase('faults', options.databaseServerUrl);
  await writeShop(fresh.db, generateShop({ seed: 7, ...SHOP_SIZES[FAULTS_SIZE] }));
  if (options.badRows) await writeShop(fresh.db, BAD_ROWS);
  const emulator = await startEmulator({ port: 0, apiKey: API_KEY, listId: LIST_ID, stateFile: '', latencyMs: LATENCY_MS, jitterMs: 10, maxConcurrent: 10 });
  const address = options.temporalAddress ?? env('TEMPORAL_ADDRESS');
  const client = new Client({ connection: await Connection.connect({ address }), namespace: env('TEMPORAL_NAMESPACE') });
  const mailchimp = createMailchimpClient({ apiKey: API_KEY, baseUrl: `${emulator.url}/3.0`, timeoutMs: 10_000, rejectUnknownFields: true });
  const vars = {
    DATABASE_URL: fresh.url, TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: taskQueue, MAILCHIMP_API_URL: `${emulator.url}/3.0`,
    MAILCHIMP_API_KEY: API_KEY, MAILCHIMP_STORE_ID: storeId, MAILCHIMP_LIST_ID: LIST_ID, MAILCHIMP_MAX_CONNECTIONS: '10',
    MAILCHIMP_REJECT_UNKNOWN_FIELDS: 'true', LOG_LEVEL: 'warn', ...options.workerEnv,
  };
  const current = Array.from({ length: options.workers ?? 1 }, () => spawnWorker(vars));
  let starts = current.length;
  let closing = false;
  // The supervisor: a worker that exits for any reason is started again after a second.
  const supervise = (index: number) => {
    void current[index].exited.then(async () => {
      if (closing || options.restartWorkers === false) return;
      await sleep(1000);
      if (closing) return;
      current[index] = spawnWorker(vars);
      starts += 1;
      supervise(index);
    });
  };
  current.forEach((_, index) => supervise(index));
  await Promise.all(current.map((w) => w.ready));

  const resyncId = fullResyncWorkflowId(storeId);
  const world: FaultWorld = {
    fresh, emulator, client, mailchimp, storeId, taskQueue,
    worker: (index = 0) => current[index],
    workerStarts: () => starts,
    async killWorker(index = 0) {
      await current[index].kill();
    },
    async emulatorControl(path, body) {
      const res = await fetch(`${emulator.url}/_emulator/${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`emulator ${path}: ${res.status} ${await res.text()}`);
      return res.json();
    },
    async startFullSync(pageSize = PAGE_SIZE) {
      await client.workflow.start(fullResyncWorkflow, { workflowId: resyncId, taskQueue, args: [{ storeId, types: 'all', pageSize }] });
    },
    async progress() {
      try {
        return await client.workflow.getHandle(resyncId).query(progressQuery);
      } catch {
        return null;
      }
    },
    async fullSyncResult(timeoutMs = 15 * 60_000) {
      const result = client.workflow.getHandle(resyncId).result() as Promise<ResyncProgress>;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the full sync did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
      });
      try {
        return await Promise.race([result, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async reconcile() {
      const stats = (await world.emulatorControl('stats')) as { orderCreates: Record<string, number> };
      return reconcileFaultWorld({
        db: fresh.db, mailchimp, storeId, listId: LIST_ID, redemptionUrlTemplate: env('PROMO_REDEMPTION_URL'), orderCreates: stats.orderCreates,
      });
    },
    async close() {
      closing = true;
      await Promise.all(current.map((w) => w.stop()));
      await client.workflow.getHandle(resyncId).terminate('test over').catch(() => undefined);
      await client.connection.close();
      mailchimp.close();
      await emulator.close();
      await fresh.destroy();
    },
  };
  return world;
}

/** Polls until `check` returns true (or throws after `timeoutMs`). */
export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 5 * 60_000, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what}`);
}

export function entitiesDone(p: ResyncProgress | null): number {
  if (!p) return 0;
  return Object.values(p.counts).reduce((n, c) => n + c.synced + c.unchanged + c.failed + c.skipped + c.deleted, 0);
}
