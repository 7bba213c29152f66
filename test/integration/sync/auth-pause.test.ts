import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { readAuthFailure } from '../../../activities/auth-breaker';
import type { SyncConfig } from '../../../activities/context';
import { notifyEntityChanged } from '../../../workflows/start';
import { connectNativeConnection, connectTemporalClient } from '../../../config/temporal';
import { startEmulator, type RunningEmulator } from '../../../emulator';
import { createMailchimpClient, type MailchimpClient } from '../../../mailchimp';
import { createSyncMetrics } from '../../../observability/metrics';
import { createSyncDeps } from '../../../wiring/env';
import { createSyncWorker } from '../../../workers/worker';
import { cli } from '../cli/support';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import * as shop from '../../support/shop';
import type { SyncHarness } from '../../support/sync-harness';

/**
 * A refused API key (401 "API Key Invalid"): the worker stops sending, `mcsync status` and `doctor` say so, a metric
 * shows it, and once the key works again the sync resumes by itself with nothing lost. Mailchimp is the emulator
 * behind a proxy that answers 401 while `refusing` is on, as Mailchimp does for a revoked key.
 */

const KEY = ['auth', 'pause', 'us1'].join('-');
const LIST = 'a1b2c3d4e5';
let refusing = false;
const refused: string[] = [];
let proxy: http.Server;
let emulator: RunningEmulator;
let t: TestDatabase;
let client: Client;
let native: NativeConnection;
let worker: Worker;
let running: Promise<void>;
let mailchimp: MailchimpClient;
let config: SyncConfig;
const metrics = createSyncMetrics({ defaultMetrics: false });

const until = async (what: string, check: () => Promise<boolean>) => {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey: KEY, listId: LIST });
  const target = new URL(emulator.url);
  proxy = http.createServer((req, res) => {
    if (refusing) {
      refused.push(`${req.method} ${req.url}`);
      res.writeHead(401, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'https://mailchimp.com/developer/marketing/docs/errors/', title: 'API Key Invalid', status: 401, detail: "Your API key may be invalid, or you've attempted to access the wrong datacenter.", instance: '' }));
      return;
    }
    const forward = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/3.0`;

  t = await createTestDatabase();
  await shop.settings(t.db);
  const suffix = randomBytes(4).toString('hex');
  config = { storeId: `auth_${suffix}`, listId: LIST, redemptionUrlTemplate: 'https://{domain}/c?p={code}', taskQueue: `test-auth-${suffix}`, optInTimeout: '7 days', backfillMode: 'direct' };
  mailchimp = createMailchimpClient({ apiKey: KEY, baseUrl: proxyUrl, timeoutMs: 10_000, onRequest: (e) => metrics.onMailchimpRequest(e) });
  client = await connectTemporalClient();
  native = await connectNativeConnection();
  worker = await createSyncWorker({
    connection: native, namespace: client.options.namespace, taskQueue: config.taskQueue, db: t.db, authProbeEveryMs: 500,
    deps: createSyncDeps(t.db, mailchimp, config, async () => client),
  });
  running = worker.run();
  // The store and a first product exist while the key works.
  await shop.product(t.db, { title: 'Before' });
  await client.workflow.execute('fullResyncWorkflow', { workflowId: `${config.storeId}:full-resync`, taskQueue: config.taskQueue, args: [{ storeId: config.storeId, types: 'all' }] });
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await native?.close();
  await client?.connection.close();
  mailchimp?.close();
  await t?.destroy();
  await emulator?.close();
  await new Promise((resolve) => proxy?.close(resolve));
});

const harness = () => ({ t, client, mailchimp, config } as unknown as SyncHarness);
const authMetric = async () => (await metrics.registry.getSingleMetric('mcsync_mailchimp_auth_failing')?.get())?.values[0]?.value;

it('pauses on a refused key, says so, and resumes by itself with nothing lost', async () => {
  refusing = true;
  const products = [];
  for (let i = 0; i < 4; i++) products.push(await shop.product(t.db, { title: `While refused ${i}` }));
  const target = { storeId: config.storeId, taskQueue: config.taskQueue };
  const workflowIds = [];
  for (const p of products) workflowIds.push(await notifyEntityChanged(client, target, 'product', String(p.id)));

  await until('the breaker to trip', async () => (await readAuthFailure(t.db, config.storeId)) !== null);
  expect(await readAuthFailure(t.db, config.storeId)).toMatchObject({ reason: '401 API Key Invalid' });
  expect(await authMetric()).toBe(1);

  // While paused only the key check (GET /lists/<id>) reaches Mailchimp: the entity writes stop.
  const probe = `GET /3.0/lists/${LIST}`;
  const writes = () => refused.filter((r) => !r.startsWith(probe)).length;
  await until('three key checks', async () => refused.filter((r) => r.startsWith(probe)).length >= 3);
  const writesWhilePaused = writes();
  expect(writesWhilePaused).toBeLessThanOrEqual(products.length);
  await until('three more key checks', async () => refused.filter((r) => r.startsWith(probe)).length >= 6);
  expect(writes()).toBe(writesWhilePaused);
  for (const id of workflowIds) expect((await client.workflow.getHandle(id).describe()).status.name).toBe('RUNNING');

  const status = await cli(harness(), ['status', '--json'], { config: { ...config, namespace: client.options.namespace, temporalAddress: '127.0.0.1:7233', uiPort: 8233, syncInterval: '1h' }, temporal: client });
  expect(status.code).toBe(3);
  expect(status.json()).toMatchObject({ mailchimpAuth: { failing: true, reason: '401 API Key Invalid' } });
  expect(status.err).toContain('Mailchimp refuses the API key since');
  const doctor = await cli(harness(), ['doctor', '--json'], { config: { ...config, namespace: client.options.namespace, temporalAddress: '127.0.0.1:7233', uiPort: 8233, syncInterval: '1h' }, temporal: client });
  expect(doctor.code).toBe(1);
  expect(doctor.json<{ checks: Array<{ name: string; verdict: string; detail: string }> }>().checks.find((c) => c.name === 'mailchimp key'))
    .toMatchObject({ verdict: 'fail', detail: expect.stringContaining('the sync is paused since') });

  refusing = false;
  for (const id of workflowIds) expect(await client.workflow.getHandle(id).result()).toMatchObject({ status: 'synced' });
  for (const p of products) expect(await mailchimp.getProduct(config.storeId, p.code)).toMatchObject({ id: p.code, title: expect.stringContaining('While refused') });
  expect(await readAuthFailure(t.db, config.storeId)).toBeNull();
  expect(await authMetric()).toBe(0);
  const after = await cli(harness(), ['status', '--json'], { config: { ...config, namespace: client.options.namespace, temporalAddress: '127.0.0.1:7233', uiPort: 8233, syncInterval: '1h' }, temporal: client });
  expect(after.json()).toMatchObject({ mailchimpAuth: { failing: false } });
});
