import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { retentionScheduleId, scheduleId, SCAN_SCOPES } from '../../../client/schedules';
import { toMs } from '../../../config/duration';
import { connectNativeConnection, connectTemporalClient } from '../../../config/temporal';
import { createMailchimpClient } from '../../../mailchimp';
import { createShopDbSource } from '../../../source/shop-db';
import { prebuiltWorkflowBundle, writeWorkflowBundle } from '../../../workers/bundle';
import { createSyncDeps } from '../../../wiring/env';
import { ensureWorkerSchedules } from '../../../workers/startup';
import { createSyncWorker } from '../../../workers/worker';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import * as shop from '../../support/shop';

/**
 * What the worker does at start (workers/startup.ts) against real Temporal and MariaDB, and the webhook-event
 * retention run by a worker that loads the prebuilt workflow bundle (workers/bundle.ts), as the image's worker does.
 */

let t: TestDatabase;
let client: Client;
let native: NativeConnection;
let worker: Worker;
let running: Promise<void>;
const suffix = randomBytes(4).toString('hex');
const storeId = `startup_${suffix}`;
const taskQueue = `test-startup-${suffix}`;
const target = (sourceName = 'shop-db', store = storeId) => ({ storeId: store, taskQueue, interval: '1m', retention: '30 days', sourceName });

beforeAll(async () => {
  t = await createTestDatabase();
  await shop.settings(t.db, { mailchimp_sync_enabled: '0' });
  client = await connectTemporalClient();
  native = await connectNativeConnection();
  const bundleFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mcsync-bundle-')), 'workflow-bundle.js');
  await writeWorkflowBundle(bundleFile);
  const config = { storeId, listId: 'a1b2c3d4e5', redemptionUrlTemplate: 'https://{domain}/c?p={code}', taskQueue, optInTimeout: '7 days', backfillMode: 'direct' as const };
  const mailchimp = createMailchimpClient({ apiKey: 'unused-key-us1', baseUrl: 'http://127.0.0.1:9/3.0' });
  worker = await createSyncWorker({
    connection: native, namespace: client.options.namespace, taskQueue, db: t.db, workflowBundle: prebuiltWorkflowBundle(bundleFile),
    deps: createSyncDeps(t.db, mailchimp, config, async () => client),
  });
  running = worker.run();
});

afterAll(async () => {
  for (const id of [...SCAN_SCOPES.map((s) => scheduleId(storeId, s)), retentionScheduleId(storeId), retentionScheduleId(`${storeId}s`)]) {
    await client?.schedule.getHandle(id).delete().catch(() => undefined);
  }
  worker?.shutdown();
  await running;
  await native?.close();
  await client?.connection.close();
  await t?.destroy();
});

describe('the worker at start', () => {
  it('creates the change-scan schedules (paused while the switch is off) and the retention schedule, idempotently', async () => {
    const ids = await ensureWorkerSchedules(client, target(), createShopDbSource(t.db));
    expect(ids).toEqual([...SCAN_SCOPES.map((s) => scheduleId(storeId, s)), retentionScheduleId(storeId)]);
    for (const scope of SCAN_SCOPES) expect((await client.schedule.getHandle(scheduleId(storeId, scope)).describe()).state.paused).toBe(true);
    const retention = await client.schedule.getHandle(retentionScheduleId(storeId)).describe();
    expect(retention.state.paused).toBe(false);
    expect(retention.action).toMatchObject({ workflowType: 'webhookRetentionWorkflow', taskQueue, args: [{ olderThanMs: toMs('30 days') }] });

    // An operator unpauses one (as `mcsync enable` does for all): a restart keeps that, and takes a new interval.
    await client.schedule.getHandle(scheduleId(storeId, 'orders')).unpause('test');
    expect(await ensureWorkerSchedules(client, { ...target(), interval: '2m' }, createShopDbSource(t.db))).toEqual(ids);
    const orders = await client.schedule.getHandle(scheduleId(storeId, 'orders')).describe();
    expect(orders.state.paused).toBe(false);
    expect(orders.spec.intervals?.[0]?.every).toBe(toMs('2m'));
  });

  it('creates them unpaused when the feature switch is on', async () => {
    await shop.settings(t.db, { mailchimp_sync_enabled: '1' });
    const other = `${storeId}x`;
    try {
      await ensureWorkerSchedules(client, target('shop-db', other), createShopDbSource(t.db));
      expect((await client.schedule.getHandle(scheduleId(other, 'products')).describe()).state.paused).toBe(false);
    } finally {
      for (const id of [...SCAN_SCOPES.map((s) => scheduleId(other, s)), retentionScheduleId(other)]) await client.schedule.getHandle(id).delete().catch(() => undefined);
    }
  });

  it('creates no change-scan schedules for the Stripe source', async () => {
    const stripeStore = `${storeId}s`;
    const ids = await ensureWorkerSchedules(client, target('stripe', stripeStore), createShopDbSource(t.db));
    expect(ids).toEqual([retentionScheduleId(stripeStore)]);
    await expect(client.schedule.getHandle(scheduleId(stripeStore, 'products')).describe()).rejects.toThrow();
  });
});

describe('webhook-event retention', () => {
  it('deletes processed events older than the retention and keeps the rest (run by the prebuilt bundle)', async () => {
    const day = 86_400_000;
    const ago = (ms: number) => t.db.raw('NOW(3) - INTERVAL ? SECOND', [Math.floor(ms / 1000)]);
    const event = (key: string, receivedAgoMs: number, processed: boolean) => ({
      source: 'mailchimp', event_key: key, event_type: 'unsubscribe', payload: '{}', received_at: ago(receivedAgoMs), processed_at: processed ? ago(receivedAgoMs) : null,
    });
    await t.db('mc_webhook_events').insert([
      event('old-processed', 40 * day, true), event('old-unprocessed', 40 * day, false), event('new-processed', day, true),
      { ...event('old-stripe', 31 * day, true), source: 'stripe' },
    ]);
    const result = await client.workflow.execute('webhookRetentionWorkflow', {
      workflowId: `${storeId}:webhook-retention:test`, taskQueue, args: [{ olderThanMs: toMs('30 days') }],
    });
    expect(result).toEqual({ deleted: 2 });
    const left = (await t.db('mc_webhook_events').orderBy('event_key').pluck('event_key')) as string[];
    expect(left).toEqual(['new-processed', 'old-unprocessed']);
  });
});
