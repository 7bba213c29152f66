import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import axios, { AxiosInstance } from 'axios';
import type { SyncConfig, SyncHooks } from '../../activities/context';
import { env } from '../../config/env';
import { startEmulator } from '../../emulator';
import { createMailchimpClient, type MailchimpClient } from '../../mailchimp';
import { createShopDbSource, type ShopDbOptions } from '../../source/shop-db';
import type { ShopSource } from '../../source/shop-source';
import { createSyncDeps } from '../../wiring/env';
import { createSyncWorker } from '../../workers/worker';
import { createTestDatabase, type TestDatabase } from './db';
import * as shop from './shop';

export const TEST_API_KEY = 'test-emulator-key-us1';
export const TEST_LIST_ID = 'a1b2c3d4e5';

export interface SyncHarness {
  t: TestDatabase;
  config: SyncConfig;
  client: Client;
  mailchimp: MailchimpClient;
  emulatorUrl: string;
  /** Raw HTTP against the emulator, authenticated (Mailchimp routes under /3.0, control routes under /_emulator). */
  http: AxiosInstance;
  worker: Worker;
  /** The source the worker reads, when the test chose one (shopDb options); else the environment's. */
  source?: ShopSource;
  stop(): Promise<void>;
}

/** Real Temporal, a fresh MariaDB database and a fresh emulator, with a sync worker on its own task queue. */
export async function startSyncHarness(
  options: {
    optInTimeout?: string; backfillMode?: SyncConfig['backfillMode']; hooks?: SyncHooks; batchStallMs?: number;
    /** Order options of the shop-database source (SEND_PENDING_ORDERS, ORDER_URL_TEMPLATE). */
    shopDb?: ShopDbOptions;
  } = {},
): Promise<SyncHarness> {
  const suffix = randomBytes(4).toString('hex');
  const t = await createTestDatabase();
  await shop.settings(t.db);
  const emulator = await startEmulator({ port: 0, apiKey: TEST_API_KEY });
  const config: SyncConfig = {
    storeId: `store_${suffix}`,
    listId: TEST_LIST_ID,
    redemptionUrlTemplate: 'https://{domain}/cart?promo={code}',
    taskQueue: `test-sync-${suffix}`,
    optInTimeout: options.optInTimeout ?? '7 days',
    backfillMode: options.backfillMode ?? 'direct',
    ...(options.batchStallMs === undefined ? {} : { batchStallMs: options.batchStallMs }),
  };
  const mailchimp = createMailchimpClient({ apiKey: TEST_API_KEY, baseUrl: `${emulator.url}/3.0`, timeoutMs: 10_000, rejectUnknownFields: true });
  const source = options.shopDb ? createShopDbSource(t.db, options.shopDb) : undefined;
  const address = env('TEMPORAL_ADDRESS');
  const namespace = env('TEMPORAL_NAMESPACE');
  const client = new Client({ connection: await Connection.connect({ address }), namespace });
  const native = await NativeConnection.connect({ address });
  const worker = await createSyncWorker({
    connection: native, namespace, taskQueue: config.taskQueue,
    deps: createSyncDeps(t.db, mailchimp, config, async () => client, source, options.hooks),
  });
  const running = worker.run();
  const http = axios.create({ baseURL: emulator.url, auth: { username: 'test', password: TEST_API_KEY }, validateStatus: () => true });
  return {
    t, config, client, mailchimp, emulatorUrl: emulator.url, http, worker, ...(source ? { source } : {}),
    async stop() {
      worker.shutdown();
      await running;
      await native.close();
      await client.connection.close();
      mailchimp.close();
      await emulator.close();
      await t.destroy();
    },
  };
}

/** GET a Mailchimp resource from the emulator; null on 404. */
export async function remote<T = Record<string, unknown>>(h: SyncHarness, path: string): Promise<T | null> {
  const res = await h.http.get(`/3.0${path}`);
  if (res.status === 404) return null;
  if (res.status !== 200) throw new Error(`GET ${path} → ${res.status} ${JSON.stringify(res.data)}`);
  return res.data as T;
}
