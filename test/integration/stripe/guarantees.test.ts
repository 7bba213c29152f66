import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import axios, { type AxiosInstance } from 'axios';
import Stripe from 'stripe';
import type { SyncConfig } from '../../../activities/context';
import { loadFailures } from '../../../client/reconcile/load';
import { reconcile, type ReconcileReport } from '../../../client/reconcile/reconcile';
import { env } from '../../../config/env';
import { startEmulator, type RunningEmulator } from '../../../emulator';
import { createMailchimpClient, type MailchimpClient } from '../../../mailchimp';
import { ENTITY_TYPES } from '../../../mapping/ids';
import { ensureLocalStripe, stopLocalStripe } from '../../../services/stripe';
import { createStripeReader, createStripeSource, type StripeSource } from '../../../source/stripe';
import { spawnWorker, type WorkerProcess } from '../../../bench/lib';
import { fullResyncWorkflow } from '../../../workflows/full-resync';
import { createSyncDeps } from '../../../wiring/env';
import { createSyncWorker } from '../../../workers/worker';
import { faultProblems } from '../../faults/support/reconcile';
import { createTestDatabase, type TestDatabase } from '../../support/db';

/**
 * The full-resync and fault guarantees, with the Stripe source: after a backfill the operator reconcile
 * (client/reconcile, what `mcsync reconcile` runs) finds zero drift and lists exactly the recorded failures; the same
 * holds for a backfill under injected Mailchimp faults (and no order is created twice), and for a backfill whose
 * worker is shut down midway and replaced by a new one (in process), and for one whose worker process (the fault
 * suite's child worker, configured for Stripe by its environment) is killed with SIGKILL midway and started again.
 * Each scenario syncs into a fresh Mailchimp store.
 */

const API_KEY = 'test-emulator-key-us1';
const LIST_ID = 'a1b2c3d4e5';
const suffix = randomBytes(4).toString('hex');
const STRIPE_NAME = `localstripe-guarantees-${suffix}`;
const STRIPE_PORT = 20000 + Math.floor(Math.random() * 20000);
const TEMPLATE = 'https://{domain}/cart?promo={code}';
const BUYERS = 6;

let t: TestDatabase;
let emulator: RunningEmulator;
let mailchimp: MailchimpClient;
let client: Client;
let native: NativeConnection;
let stripe: Stripe;
let source: StripeSource;
let http: AxiosInstance;
let startedStripe = false;
const workers: Array<{ worker: Worker; running: Promise<void> }> = [];
const children: WorkerProcess[] = [];

/** Shop ids the sync must refuse, with a fragment of the reason it must record. */
const refused = new Map<string, string>();
const paidPurchases: string[] = [];

function storeConfig(name: string): SyncConfig {
  return {
    storeId: `stripe_${name}_${suffix}`, listId: LIST_ID, redemptionUrlTemplate: TEMPLATE,
    taskQueue: `test-stripe-${name}-${suffix}`, optInTimeout: '7 days', backfillMode: 'direct',
  };
}

async function startWorker(config: SyncConfig): Promise<{ worker: Worker; running: Promise<void> }> {
  const worker = await createSyncWorker({
    connection: native, namespace: env('TEMPORAL_NAMESPACE'), taskQueue: config.taskQueue,
    deps: createSyncDeps(t.db, mailchimp, config, async () => client, source),
  });
  const entry = { worker, running: worker.run() };
  workers.push(entry);
  return entry;
}

function startResync(config: SyncConfig) {
  return client.workflow.start(fullResyncWorkflow, {
    workflowId: `${config.storeId}:full-resync:${Date.now()}`, taskQueue: config.taskQueue,
    args: [{ storeId: config.storeId, types: 'all', pageSize: 2 }],
  });
}

async function emulatorConfig(patch: object): Promise<void> {
  const res = await http.post('/_emulator/config', patch);
  if (res.status !== 200) throw new Error(`POST /_emulator/config → ${res.status} ${JSON.stringify(res.data)}`);
}

interface Stats { orderCreates: Record<string, number>; byStatus: Record<string, number>; requests: number }

async function stats(): Promise<Stats> {
  return (await http.get('/_emulator/stats')).data as Stats;
}

async function orderCreates(): Promise<Record<string, number>> {
  return (await stats()).orderCreates;
}

async function operatorReconcile(config: SyncConfig): Promise<{ report: ReconcileReport; failures: Map<string, string> }> {
  const failures = await loadFailures(t.db, config.storeId);
  const report = await reconcile({
    source, mailchimp, storeId: config.storeId, listId: config.listId, redemptionUrlTemplate: config.redemptionUrlTemplate, failures,
  }, ENTITY_TYPES);
  return { report, failures };
}

/** Waits until the backfill of `config`'s store has recorded a customer (so it is past products, mid-way). */
async function untilPartlySynced(config: SyncConfig): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const row = await t.db('mc_sync_state').where({ store_id: config.storeId, entity_type: 'customer' }).first('entity_id');
    if (row) return;
    if (Date.now() > deadline) throw new Error('the backfill recorded no customer within 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function syncedOrders(config: SyncConfig): Promise<number> {
  const row = await t.db('mc_sync_state').where({ store_id: config.storeId, entity_type: 'order', status: 'synced' }).count('* as n').first() as { n: number | string };
  return Number(row.n);
}

/** The guarantees every scenario ends with. */
async function expectZeroDrift(config: SyncConfig): Promise<ReconcileReport> {
  const { report, failures } = await operatorReconcile(config);
  expect(report.storeExists).toBe(true);
  expect(report.drifts).toEqual([]);
  // The fault suite's extra checks: no order created twice, every refused row has a recorded reason, no valid row lost.
  expect(faultProblems(report, failures, await orderCreates())).toEqual([]);
  // `unsent` is exactly what the sync recorded as failed, each with its reason, and exactly the rows Stripe holds
  // that cannot be sent.
  const unsent = report.unsent.filter((u) => u.type !== 'store').map((u) => `${u.type}:${u.entityId}`).sort();
  expect(unsent).toEqual([...failures.keys()].sort());
  expect(unsent).toEqual([...refused.keys()].sort());
  for (const u of report.unsent) {
    expect(u.reason).toContain(refused.get(`${u.type}:${u.entityId}`));
    expect(failures.get(`${u.type}:${u.entityId}`)).toBeTruthy();
  }
  // Everything valid was compared and found: every paid, sendable purchase and every customer.
  const orders = report.summaries.find((s) => s.type === 'order');
  expect(orders).toMatchObject({ shop: paidPurchases.length, mailchimp: paidPurchases.length, missing: 0, extra: 0, differing: 0, duplicates: 0, unsendable: 1 });
  const customers = report.summaries.find((s) => s.type === 'customer');
  expect(customers).toMatchObject({ shop: BUYERS + 2, mailchimp: BUYERS + 2, missing: 0, extra: 0, differing: 0, duplicates: 0 });
  const products = report.summaries.find((s) => s.type === 'product');
  expect(products).toMatchObject({ shop: 3, mailchimp: 3, missing: 0, extra: 0, differing: 0, duplicates: 0, unsendable: 1 });
  return report;
}

async function paidCustomer(email: string, name: string): Promise<Stripe.Customer> {
  const token = await stripe.tokens.create({ card: { number: '4242424242424242', exp_month: '12', exp_year: '2030', cvc: '123' } } as Stripe.TokenCreateParams);
  return stripe.customers.create({ email, name, source: token.id });
}

/** localstripe bills through subscriptions only: its first invoice is the purchase. */
async function purchase(customer: string, plan: string, quantity: number): Promise<Stripe.Invoice> {
  const sub = await stripe.subscriptions.create({ customer, items: [{ plan, quantity } as Stripe.SubscriptionCreateParams.Item] });
  return stripe.invoices.retrieve(sub.latest_invoice as string);
}

beforeAll(async () => {
  startedStripe = await ensureLocalStripe(`http://127.0.0.1:${STRIPE_PORT}`, STRIPE_NAME);
  stripe = new Stripe('sk_test_guarantees', { host: '127.0.0.1', port: STRIPE_PORT, protocol: 'http' });
  t = await createTestDatabase();
  emulator = await startEmulator({ port: 0, apiKey: API_KEY });
  http = axios.create({ baseURL: emulator.url, auth: { username: 'test', password: API_KEY }, validateStatus: () => true });
  mailchimp = createMailchimpClient({ apiKey: API_KEY, baseUrl: `${emulator.url}/3.0`, timeoutMs: 10_000, rejectUnknownFields: true });
  source = createStripeSource(createStripeReader(stripe, { currency: 'usd' }), {
    storeName: 'Stripe Guarantees Store', syncEnabled: async () => true, setSyncEnabled: async () => undefined,
  });
  const address = env('TEMPORAL_ADDRESS');
  client = new Client({ connection: await Connection.connect({ address }), namespace: env('TEMPORAL_NAMESPACE') });
  native = await NativeConnection.connect({ address });

  // The Stripe account: products (one priced, one without a price, one in another currency), buyers with one paid
  // purchase each, a purchase that bills a fee besides the product, and a customer without purchases.
  const mug = await stripe.products.create({ name: 'Blue mug', description: 'Holds tea' });
  const mugPlan = await stripe.plans.create({ product: mug.id, amount: 1250, currency: 'usd', interval: 'month', nickname: 'Mug subscription' });
  const pot = await stripe.products.create({ name: 'Teapot' });
  const potPlan = await stripe.plans.create({ product: pot.id, amount: 3000, currency: 'usd', interval: 'month' });
  await stripe.products.create({ name: 'Sticker' });
  const euro = await stripe.products.create({ name: 'Euro mug' });
  const euroPlan = await stripe.plans.create({ product: euro.id, amount: 900, currency: 'eur', interval: 'month' });
  refused.set(`product:${euro.id}`, `variant ${euroPlan.id} is priced in EUR but the store's currency is USD`);
  for (let i = 0; i < BUYERS; i++) {
    const buyer = await paidCustomer(`buyer${i}@example.com`, `Buyer ${i}`);
    const invoice = await purchase(buyer.id, i % 2 ? potPlan.id : mugPlan.id, 1 + (i % 3));
    expect(invoice.status).toBe('paid');
    paidPurchases.push(invoice.id);
  }
  const fee = await paidCustomer('fee@example.com', 'Fee Payer');
  await stripe.invoiceItems.create({ customer: fee.id, amount: 300, currency: 'usd', description: 'Setup fee' } as Stripe.InvoiceItemCreateParams);
  const withFee = await purchase(fee.id, mugPlan.id, 1);
  expect(withFee.status).toBe('paid');
  refused.set(`order:${withFee.id}`, '"Setup fee" bill no Stripe product');
  await stripe.customers.create({ email: 'browser@example.com', name: 'Just Browsing' });
}, 300_000);

afterAll(async () => {
  for (const c of children) await c.kill();
  for (const w of workers) {
    if (w.worker.getState() === 'RUNNING') w.worker.shutdown();
    await w.running.catch(() => undefined);
  }
  await native?.close();
  await client?.connection.close();
  mailchimp?.close();
  await emulator?.close();
  await t?.destroy();
  if (startedStripe) await stopLocalStripe(STRIPE_NAME);
});

describe('Stripe source guarantees', () => {
  it('after a backfill the operator reconcile finds zero drift and lists exactly the recorded failures', async () => {
    const config = storeConfig('plain');
    await startWorker(config);
    const progress = await (await startResync(config)).result();
    expect(progress.done).toBe(true);
    await expectZeroDrift(config);

    // The check can fail: remove one synced order behind the sync's back and reconcile sees it.
    const res = await http.delete(`/3.0/ecommerce/stores/${config.storeId}/orders/${paidPurchases[0]}`);
    expect(res.status).toBe(204);
    const after = await operatorReconcile(config);
    expect(after.report.drifts).toEqual([expect.objectContaining({ type: 'order', kind: 'missing', id: paidPurchases[0] })]);
  });

  it('a backfill under Mailchimp 500s, 429s and connection resets ends with zero drift and no order created twice', async () => {
    const config = storeConfig('faulty');
    await startWorker(config);
    const before = await stats();
    // A fixed seed: the same requests get the same faults on every run (the backfill is small); seed 29 draws 429s at the
    // 3rd and 5th request and 500s at the 8th and 10th (util/random.ts mixes the seed: seed 11 drew no 429 in 28).
    await emulatorConfig({ seed: 29, faults: { error500Rate: 0.1, rateLimitRate: 0.05, retryAfterSeconds: 1, resetRate: 0.01 } });
    try {
      const progress = await (await startResync(config)).result();
      expect(progress.done).toBe(true);
    } finally {
      await emulatorConfig({ seed: null, faults: { error500Rate: 0, rateLimitRate: 0, resetRate: 0 } });
    }
    const after = await stats();
    const injected = (code: string) => (after.byStatus[code] ?? 0) - (before.byStatus[code] ?? 0);
    console.log(`faulty backfill: ${after.requests - before.requests} requests, 500: ${injected('500')}, 429: ${injected('429')}, resets: ${injected('reset')}`);
    // The faults did happen: the backfill had to retry through them.
    expect(injected('500')).toBeGreaterThan(0);
    expect(injected('429')).toBeGreaterThan(0);
    await expectZeroDrift(config);
    const creates = await orderCreates();
    for (const id of paidPurchases) expect(creates[`${config.storeId}/${id}`]).toBe(1);
  });

  it('a backfill whose worker is shut down midway and replaced by a new worker ends with zero drift', async () => {
    const config = storeConfig('restart');
    const first = await startWorker(config);
    await emulatorConfig({ latencyMs: 150 }); // slow Mailchimp down so that the shutdown lands mid-backfill
    let handle;
    try {
      handle = await startResync(config);
      // Wait until part of the backfill has been recorded, then stop the worker.
      await untilPartlySynced(config);
      first.worker.shutdown();
      await first.running;
      expect((await handle.describe()).status.name).toBe('RUNNING');
      expect(await syncedOrders(config)).toBeLessThan(paidPurchases.length);
    } finally {
      await emulatorConfig({ latencyMs: 0 });
    }
    await startWorker(config);
    const progress = await handle.result();
    expect(progress.done).toBe(true);
    await expectZeroDrift(config);
  });

  it('a backfill whose worker process is killed with SIGKILL midway and started again ends with zero drift', async () => {
    const config = storeConfig('killed');
    const vars = {
      DATABASE_URL: t.url, TEMPORAL_TASK_QUEUE: config.taskQueue, MAILCHIMP_API_URL: `${emulator.url}/3.0`, MAILCHIMP_API_KEY: API_KEY,
      MAILCHIMP_STORE_ID: config.storeId, MAILCHIMP_LIST_ID: LIST_ID, PROMO_REDEMPTION_URL: TEMPLATE, LOG_LEVEL: 'warn',
      SYNC_SOURCE: 'stripe', STRIPE_API_URL: `http://127.0.0.1:${STRIPE_PORT}`, STRIPE_API_KEY: 'sk_test_guarantees',
      STRIPE_CURRENCY: 'usd', STRIPE_STORE_NAME: 'Stripe Guarantees Store',
    };
    const first = spawnWorker(vars);
    children.push(first);
    await first.ready;
    await emulatorConfig({ latencyMs: 150 });
    let handle;
    try {
      handle = await startResync(config);
      await untilPartlySynced(config);
      await first.kill();
      expect(first.child.signalCode).toBe('SIGKILL');
      expect((await handle.describe()).status.name).toBe('RUNNING');
      expect(await syncedOrders(config)).toBeLessThan(paidPurchases.length);
    } finally {
      await emulatorConfig({ latencyMs: 0 });
    }
    const second = spawnWorker(vars);
    children.push(second);
    await second.ready;
    const progress = await handle.result();
    expect(progress.done).toBe(true);
    await expectZeroDrift(config);
    const creates = await orderCreates();
    for (const id of paidPurchases) expect(creates[`${config.storeId}/${id}`]).toBe(1);
  }, 240_000);
});
