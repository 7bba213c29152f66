import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { SyncConfig } from '../../../activities/context';
import { notifyEntityChanged } from '../../../workflows/start';
import { connectNativeConnection, connectTemporalClient } from '../../../config/temporal';
import { readAuthFailure } from '../../../db/sync-pause';
import { startEmulator, type RunningEmulator } from '../../../emulator';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE, NOT_FOUND_DETAIL } from '../../../emulator/problem';
import { createMailchimpClient, type MailchimpClient } from '../../../mailchimp';
import { customerIdForEmail } from '../../../mapping/ids';
import { createSyncMetrics } from '../../../observability/metrics';
import { createSyncDeps } from '../../../wiring/env';
import { createSyncWorker } from '../../../workers/worker';
import { cli } from '../cli/support';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import * as shop from '../../support/shop';
import type { SyncHarness } from '../../support/sync-harness';

/**
 * The audience (MAILCHIMP_LIST_ID) or the store deleted in Mailchimp: every request naming it answers 404, so the
 * worker pauses as for a refused key (activities/auth-breaker.ts): it stops sending, checks at most once per probe
 * interval, `mcsync status`, `errors` and `doctor` say what is missing, a metric shows it, and once Mailchimp has it
 * again the sync resumes by itself with nothing lost. The deletion is Mailchimp's own (DELETE /lists/{id}, DELETE
 * /ecommerce/stores/{id} on the emulator); "it exists again" puts the emulator's records back, as a stand-in for the
 * operator's fix (a restored audience, or the worker pointed at a working one).
 */

const KEY = ['audience', 'pause', 'us1'].join('-');
const LIST = 'a1b2c3d4e5';
const PROBE_MS = 500;
let emulator: RunningEmulator;
let t: TestDatabase;
let client: Client;
let native: NativeConnection;
let worker: Worker;
let running: Promise<void>;
let mailchimp: MailchimpClient;
let config: SyncConfig;
const metrics = createSyncMetrics({ defaultMetrics: false });
/** Every request the worker sent: `METHOD /path status`. */
const sent: string[] = [];

const until = async (what: string, check: () => Promise<boolean>) => {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

/** Mailchimp's API as an operator would call it (not the sync's client). */
const api = (method: string, path: string) => fetch(`${emulator.url}/3.0${path}`, { method, headers: { authorization: `Basic ${Buffer.from(`any:${KEY}`).toString('base64')}` } });

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey: KEY, listId: LIST });
  t = await createTestDatabase();
  await shop.settings(t.db);
  const suffix = randomBytes(4).toString('hex');
  config = { storeId: `aud_${suffix}`, listId: LIST, redemptionUrlTemplate: 'https://{domain}/c?p={code}', taskQueue: `test-audience-${suffix}`, optInTimeout: '7 days', backfillMode: 'direct' };
  mailchimp = createMailchimpClient({
    apiKey: KEY, baseUrl: `${emulator.url}/3.0`, timeoutMs: 10_000, rejectUnknownFields: true,
    onRequest: (e) => {
      sent.push(`${e.method} ${e.path} ${e.status}`);
      metrics.onMailchimpRequest(e);
    },
  });
  client = await connectTemporalClient();
  native = await connectNativeConnection();
  worker = await createSyncWorker({
    connection: native, namespace: client.options.namespace, taskQueue: config.taskQueue, db: t.db, authProbeEveryMs: PROBE_MS, metrics,
    deps: createSyncDeps(t.db, mailchimp, config, async () => client),
  });
  running = worker.run();
  await shop.product(t.db, { title: 'Before' });
  await shop.user(t.db, { email: 'before@example.com', marketing_opt_in: true });
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
});

const harness = () => ({ t, client, mailchimp, config } as unknown as SyncHarness);
const cliConfig = () => ({ config: { ...config, namespace: client.options.namespace, temporalAddress: '127.0.0.1:7233', uiPort: 8233, syncInterval: '1h' }, temporal: client });
const pausedMetric = async (cause: string) =>
  (await metrics.registry.getSingleMetric('mcsync_sync_paused')?.get())?.values.find((v) => v.labels.cause === cause)?.value;

/** An entity workflow's outcome (a customer's comes with its consent). */
async function statusOf(workflowId: string): Promise<string | undefined> {
  const r = await client.workflow.getHandle(workflowId).result() as { status?: string; outcome?: { status?: string } };
  return r.status ?? r.outcome?.status;
}

/** Changes a product and a customer while Mailchimp lacks something, returning their entity workflows. */
async function changeWhilePaused(tag: string): Promise<{ ids: string[]; product: { id: number; code: string }; email: string }> {
  const product = await shop.product(t.db, { title: `While ${tag}` });
  const email = `while-${tag}@example.com`;
  const user = await shop.user(t.db, { email, marketing_opt_in: true });
  const target = { storeId: config.storeId, taskQueue: config.taskQueue };
  const ids = [
    await notifyEntityChanged(client, target, 'product', String(product.id)),
    await notifyEntityChanged(client, target, 'customer', customerIdForEmail(user.email)),
  ];
  return { ids, product, email };
}

/** While paused, only the checks reach Mailchimp: nothing else is sent during three more probe intervals. */
async function expectOnlyProbes(probe: string): Promise<void> {
  const probes = () => sent.filter((r) => r.startsWith(probe)).length;
  const others = () => sent.filter((r) => !r.startsWith(probe) && !r.startsWith(`GET /lists/${LIST} `)).length;
  const start = probes();
  await until('a key/audience check', async () => probes() >= start + 1);
  const before = others();
  await until('three more checks', async () => probes() >= start + 4);
  expect(others()).toBe(before);
}

it('the audience deleted in Mailchimp: its 404 is Mailchimp\'s problem document, the sync pauses, says so and resumes with nothing lost', async () => {
  const list = emulator.state.lists.get(LIST);
  const store = emulator.state.stores.get(config.storeId);
  if (!list || !store) throw new Error('the full sync set up no store');

  // Mailchimp's deletion, and its answers afterwards: 404 "Resource Not Found" as an RFC 7807 document, for the list,
  // its members and the stores tied to it.
  expect((await api('DELETE', `/lists/${LIST}`)).status).toBe(204);
  for (const path of [`/lists/${LIST}`, `/lists/${LIST}/members/0123456789abcdef0123456789abcdef`, `/ecommerce/stores/${config.storeId}`]) {
    const res = await api('GET', path);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe(PROBLEM_CONTENT_TYPE);
    expect(await res.json()).toEqual({ type: PROBLEM_TYPE, title: 'Resource Not Found', status: 404, detail: NOT_FOUND_DETAIL, instance: expect.any(String) });
  }

  const changed = await changeWhilePaused('audience');
  await until('the sync to pause', async () => (await readAuthFailure(t.db, config.storeId)) !== null);
  expect(await readAuthFailure(t.db, config.storeId)).toMatchObject({ reason: `404 audience ${LIST} not found` });
  expect(await pausedMetric('audience')).toBe(1);
  expect(await pausedMetric('key')).toBe(0);
  await expectOnlyProbes(`GET /lists/${LIST} 404`);
  for (const id of changed.ids) expect((await client.workflow.getHandle(id).describe()).status.name).toBe('RUNNING');

  const status = await cli(harness(), ['status', '--json'], cliConfig());
  expect(status.code).toBe(3);
  expect(status.json()).toMatchObject({ mailchimpAuth: { failing: true, cause: 'audience', reason: `404 audience ${LIST} not found` } });
  expect(status.err).toContain('The Mailchimp audience is missing since');
  const errors = await cli(harness(), ['errors', '--json'], cliConfig());
  expect(errors.code).toBe(1);
  expect(errors.json<Array<Record<string, unknown>>>()[0]).toMatchObject({ type: 'sync', status: 'paused', cause: 'audience', reason: expect.stringContaining('MAILCHIMP_LIST_ID') });
  const errorsText = await cli(harness(), ['errors'], cliConfig());
  expect(errorsText.out).toContain('SYNC PAUSED: The Mailchimp audience is missing');
  const doctor = await cli(harness(), ['doctor', '--json'], cliConfig());
  expect(doctor.code).toBe(1);
  expect(doctor.json<{ checks: Array<{ name: string; verdict: string; detail: string }> }>().checks.find((c) => c.name === 'mailchimp audience'))
    .toMatchObject({ verdict: 'fail', detail: expect.stringContaining('the sync is paused since') });

  // The audience (and its store) exist again: the next check resumes everything; the changes made meanwhile arrive.
  emulator.state.lists.set(LIST, list);
  emulator.state.stores.set(config.storeId, store);
  for (const id of changed.ids) expect(await statusOf(id)).toBe('synced');
  expect(await mailchimp.getProduct(config.storeId, changed.product.code)).toMatchObject({ title: 'While audience' });
  expect(list.members.size).toBeGreaterThanOrEqual(2);
  expect(await readAuthFailure(t.db, config.storeId)).toBeNull();
  expect(await pausedMetric('audience')).toBe(0);
  expect((await cli(harness(), ['status', '--json'], cliConfig())).json()).toMatchObject({ mailchimpAuth: { failing: false } });
});

it('the store deleted in Mailchimp: the sync pauses on it (not on each entity), doctor names it, and resumes once it exists', async () => {
  const store = emulator.state.stores.get(config.storeId);
  if (!store) throw new Error('no store');
  expect((await api('DELETE', `/ecommerce/stores/${config.storeId}`)).status).toBe(204);

  const changed = await changeWhilePaused('store');
  await until('the sync to pause', async () => (await readAuthFailure(t.db, config.storeId)) !== null);
  expect(await readAuthFailure(t.db, config.storeId)).toMatchObject({ reason: `404 store ${config.storeId} not found` });
  expect(await pausedMetric('store')).toBe(1);
  await expectOnlyProbes(`GET /ecommerce/stores/${config.storeId} 404`);
  // Nothing was recorded as failed: the entities wait, they are not lost.
  const failed = (await t.db('mc_sync_state').where({ store_id: config.storeId, status: 'failed' }).count({ n: '*' }).first()) as { n: number | string };
  expect(Number(failed.n)).toBe(0);

  const doctor = await cli(harness(), ['doctor', '--json'], cliConfig());
  expect(doctor.code).toBe(1);
  expect(doctor.json<{ checks: Array<{ name: string; verdict: string; detail: string; fix?: string }> }>().checks.find((c) => c.name === 'mailchimp store'))
    .toMatchObject({ verdict: 'fail', detail: expect.stringContaining('The Mailchimp store is missing since'), fix: expect.stringContaining('MAILCHIMP_STORE_ID') });
  expect((await cli(harness(), ['status', '--json'], cliConfig())).json()).toMatchObject({ mailchimpAuth: { failing: true, cause: 'store' } });

  emulator.state.stores.set(config.storeId, store);
  for (const id of changed.ids) expect(await statusOf(id)).toBe('synced');
  expect(await mailchimp.getProduct(config.storeId, changed.product.code)).toMatchObject({ title: 'While store' });
  expect(await readAuthFailure(t.db, config.storeId)).toBeNull();
  expect(await pausedMetric('store')).toBe(0);
});

it('a product Mailchimp lost (a 404 of the entity, not of the audience or store) does not pause the sync', async () => {
  const product = await shop.product(t.db, { title: 'Will be lost' });
  const target = { storeId: config.storeId, taskQueue: config.taskQueue };
  expect(await client.workflow.getHandle(await notifyEntityChanged(client, target, 'product', String(product.id))).result()).toMatchObject({ status: 'synced' });
  expect((await api('DELETE', `/ecommerce/stores/${config.storeId}/products/${product.code}`)).status).toBe(204);
  await t.db('products').where({ id: product.id }).update({ title: 'Lost and sent again' });
  expect(await client.workflow.getHandle(await notifyEntityChanged(client, target, 'product', String(product.id))).result()).toMatchObject({ status: 'synced' });
  expect(await mailchimp.getProduct(config.storeId, product.code)).toMatchObject({ title: 'Lost and sent again' });
  expect(await readAuthFailure(t.db, config.storeId)).toBeNull();
});
