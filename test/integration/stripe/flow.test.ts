import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import axios, { type AxiosInstance } from 'axios';
import Stripe from 'stripe';
import type { SyncConfig } from '../../../activities/context';
import { env } from '../../../config/env';
import { startEmulator, type RunningEmulator } from '../../../emulator';
import { createMailchimpClient, type MailchimpClient } from '../../../mailchimp';
import { customerIdForEmail } from '../../../mapping/ids';
import { ensureLocalStripe, registerLocalStripeWebhook, stopLocalStripe } from '../../../services/stripe';
import { createStripeReader, createStripeSource, type StripeSource } from '../../../source/stripe';
import { createStripeWebhookHandler, startStripeWebhookServer } from '../../../webhooks/stripe/receiver';
import { fullResyncWorkflow } from '../../../workflows/full-resync';
import { createSyncDeps } from '../../../wiring/env';
import { createSyncWorker } from '../../../workers/worker';
import { createTestDatabase, type TestDatabase } from '../../support/db';

/**
 * The Stripe source end to end on real parts: a local fake Stripe (localstripe, which sends signed webhooks), the
 * webhook receiver, real Temporal and MariaDB, and the Mailchimp emulator.
 */

const API_KEY = 'test-emulator-key-us1';
const LIST_ID = 'a1b2c3d4e5';
const SECRET = `whsec_test_${randomBytes(6).toString('hex')}`;
const suffix = randomBytes(4).toString('hex');
const STRIPE_NAME = `localstripe-test-${suffix}`;
const STRIPE_PORT = 20000 + Math.floor(Math.random() * 20000);
const STRIPE_URL = `http://127.0.0.1:${STRIPE_PORT}`;

let t: TestDatabase;
let emulator: RunningEmulator;
let mailchimp: MailchimpClient;
let client: Client;
let native: NativeConnection;
let worker: Worker;
let running: Promise<void>;
let stripe: Stripe;
let source: StripeSource;
let webhook: { url: string; close(): Promise<void> };
let http: AxiosInstance;
let startedStripe = false;
const config: SyncConfig = {
  storeId: `stripe_${suffix}`, listId: LIST_ID, redemptionUrlTemplate: 'https://{domain}/cart?promo={code}',
  taskQueue: `test-stripe-${suffix}`, optInTimeout: '7 days', backfillMode: 'direct',
};

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last as T;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

async function remote<T = Record<string, unknown>>(path: string): Promise<T | null> {
  const res = await http.get(`/3.0/ecommerce/stores/${config.storeId}${path}`);
  if (res.status === 404) return null;
  if (res.status !== 200) throw new Error(`GET ${path} → ${res.status}`);
  return res.data as T;
}

async function syncState(type: string, id: string): Promise<{ status: string; error_reason: string | null } | undefined> {
  return t.db('mc_sync_state').where({ store_id: config.storeId, entity_type: type, entity_id: id }).first('status', 'error_reason');
}

async function paidCustomer(email: string, name: string): Promise<Stripe.Customer> {
  const token = await stripe.tokens.create({ card: { number: '4242424242424242', exp_month: '12', exp_year: '2030', cvc: '123' } } as Stripe.TokenCreateParams);
  return stripe.customers.create({ email, name, source: token.id });
}

/** localstripe bills through subscriptions only (no one-off invoices, no checkout sessions): its first invoice is the purchase. */
async function purchase(customer: string, plan: string, quantity: number): Promise<Stripe.Invoice> {
  const sub = await stripe.subscriptions.create({ customer, items: [{ plan, quantity } as Stripe.SubscriptionCreateParams.Item] });
  return stripe.invoices.retrieve(sub.latest_invoice as string);
}

function resync() {
  return client.workflow.execute(fullResyncWorkflow, {
    workflowId: `${config.storeId}:full-resync:${Date.now()}`, taskQueue: config.taskQueue,
    args: [{ storeId: config.storeId, types: 'all', pageSize: 2 }],
  });
}

async function deliver(payload: object, signature?: string) {
  const body = JSON.stringify(payload);
  const header = signature ?? stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET });
  return axios.post(webhook.url, body, { headers: { 'content-type': 'application/json', 'stripe-signature': header }, validateStatus: () => true });
}

beforeAll(async () => {
  startedStripe = await ensureLocalStripe(STRIPE_URL, STRIPE_NAME);
  stripe = new Stripe('sk_test_flow', { host: '127.0.0.1', port: STRIPE_PORT, protocol: 'http' });
  t = await createTestDatabase();
  emulator = await startEmulator({ port: 0, apiKey: API_KEY });
  http = axios.create({ baseURL: emulator.url, auth: { username: 'test', password: API_KEY }, validateStatus: () => true });
  mailchimp = createMailchimpClient({ apiKey: API_KEY, baseUrl: `${emulator.url}/3.0`, timeoutMs: 10_000, rejectUnknownFields: true });
  source = createStripeSource(createStripeReader(stripe, { currency: 'usd' }), {
    storeName: 'Stripe Test Store', syncEnabled: async () => true, setSyncEnabled: async () => undefined,
  });
  const address = env('TEMPORAL_ADDRESS');
  const namespace = env('TEMPORAL_NAMESPACE');
  client = new Client({ connection: await Connection.connect({ address }), namespace });
  native = await NativeConnection.connect({ address });
  worker = await createSyncWorker({ connection: native, namespace, taskQueue: config.taskQueue, deps: createSyncDeps(t.db, mailchimp, config, async () => client, source) });
  running = worker.run();
  const handler = createStripeWebhookHandler({ db: t.db, source, secret: SECRET, temporal: async () => client, target: { storeId: config.storeId, taskQueue: config.taskQueue } });
  webhook = await startStripeWebhookServer(handler, { port: 0 });
  await registerLocalStripeWebhook(STRIPE_URL, `test-${suffix}`, webhook.url, SECRET);
}, 300_000); // a new machine first installs localstripe into .venv

afterAll(async () => {
  worker?.shutdown();
  await running;
  await webhook?.close();
  await native?.close();
  await client?.connection.close();
  mailchimp?.close();
  await emulator?.close();
  await t?.destroy();
  if (startedStripe) await stopLocalStripe(STRIPE_NAME);
});

describe('Stripe source', () => {
  let mug: Stripe.Product;
  let mugMonthly: Stripe.Plan;
  let invoice: Stripe.Invoice;

  it('sets up the store with the configured name and the Stripe currency', async () => {
    const progress = await resync();
    expect(progress.done).toBe(true);
    const store = await remote<{ name: string; currency_code: string; list_id: string }>('');
    expect(store).toMatchObject({ name: 'Stripe Test Store', currency_code: 'USD', list_id: LIST_ID });
  });

  it('a paid purchase arrives by webhook and shows as an order on its customer', async () => {
    mug = await stripe.products.create({ name: 'Blue mug', description: 'Holds tea' });
    mugMonthly = await stripe.plans.create({ product: mug.id, amount: 1250, currency: 'usd', interval: 'month', nickname: 'Mug subscription' });
    const ada = await paidCustomer('Ada@Example.com ', 'Ada King Lovelace');
    invoice = await purchase(ada.id, mugMonthly.id, 2);
    expect(invoice.status).toBe('paid');

    const adaId = customerIdForEmail('ada@example.com');
    const order = await until('the order in the emulator', () => remote<{
      customer: { id: string }; order_total: number; financial_status: string; currency_code: string;
      lines: Array<{ product_id: string; product_variant_id: string; quantity: number; price: number }>;
    }>(`/orders/${invoice.id}`));
    expect(order.customer.id).toBe(adaId);
    expect(order).toMatchObject({ order_total: 25, financial_status: 'paid', currency_code: 'USD' });
    expect(order.lines).toEqual([expect.objectContaining({ product_id: mug.id, product_variant_id: mugMonthly.id, quantity: 2, price: 12.5 })]);

    // The customer's activity: the customer exists with the order attributed to it.
    const customer = await remote<{ email_address: string; first_name: string; last_name: string; orders_count?: number }>(`/customers/${adaId}`);
    expect(customer).toMatchObject({ email_address: 'ada@example.com', first_name: 'Ada', last_name: 'King Lovelace' });
    const theirOrders = await remote<{ orders: Array<{ id: string }> }>(`/orders?customer_id=${adaId}`);
    expect(theirOrders?.orders.map((o) => o.id)).toContain(invoice.id);
    const product = await remote<{ title: string; variants: Array<{ id: string; price: number; title: string }> }>(`/products/${mug.id}`);
    expect(product?.title).toBe('Blue mug');
    expect(product?.variants).toEqual([expect.objectContaining({ id: mugMonthly.id, price: 12.5, title: 'Mug subscription' })]);

    const events = (await t.db('mc_webhook_events').where({ source: 'stripe', event_type: 'invoice.payment_succeeded' })) as Array<{ event_key: string; processed_at: Date | null; outcome: string }>;
    expect(events).toHaveLength(1);
    expect(events[0].processed_at).not.toBeNull();
    expect(events[0].outcome).toContain(`:order:${invoice.id}`);
  });

  it('refuses unsigned and wrongly signed deliveries and stores nothing', async () => {
    const before = Number(((await t.db('mc_webhook_events').count('* as n').first()) as { n: number }).n);
    const payload = { id: `evt_forged_${suffix}`, object: 'event', type: 'invoice.payment_succeeded', data: { object: { id: invoice.id, object: 'invoice' } } };
    const unsigned = await axios.post(webhook.url, JSON.stringify(payload), { headers: { 'content-type': 'application/json' }, validateStatus: () => true });
    expect(unsigned.status).toBe(400);
    const wrong = await deliver(payload, stripe.webhooks.generateTestHeaderString({ payload: JSON.stringify(payload), secret: 'whsec_wrong' }));
    expect(wrong.status).toBe(400);
    const after = Number(((await t.db('mc_webhook_events').count('* as n').first()) as { n: number }).n);
    expect(after).toBe(before);
  });

  it('a partial refund, then a full one, update the order; a repeated delivery is recognised', async () => {
    const charge = typeof invoice.charge === 'string' ? invoice.charge : (invoice.charge as Stripe.Charge).id;
    await stripe.refunds.create({ charge, amount: 500 });
    // localstripe sends no refund events: deliver the one Stripe would send, signed with the endpoint secret.
    const refunded = { id: `evt_refund_${suffix}`, object: 'event', type: 'charge.refunded', created: Math.floor(Date.now() / 1000), data: { object: { id: charge, object: 'charge' } } };
    expect((await deliver(refunded)).status).toBe(200);
    await until('partially_refunded', async () => (await remote<{ financial_status: string }>(`/orders/${invoice.id}`))?.financial_status === 'partially_refunded');

    const again = await deliver(refunded);
    expect(again.status).toBe(200);
    expect(again.data).toMatchObject({ duplicate: true });
    const rows = (await t.db('mc_webhook_events').where({ source: 'stripe', event_key: refunded.id }).count('* as n').first()) as { n: number | string };
    expect(Number(rows.n)).toBe(1);

    await stripe.refunds.create({ charge, amount: 2000 });
    // An old event delivered late still leads to the current state: the receiver re-reads Stripe.
    expect((await deliver({ ...refunded, id: `evt_refund2_${suffix}` })).status).toBe(200);
    await until('refunded', async () => (await remote<{ financial_status: string }>(`/orders/${invoice.id}`))?.financial_status === 'refunded');
  });

  it('does not sync a purchase billing no Stripe product, nor a product priced in another currency, and says why', async () => {
    const bob = await paidCustomer('bob@example.com', 'Bob');
    await stripe.invoiceItems.create({ customer: bob.id, amount: 300, currency: 'usd', description: 'Setup fee' } as Stripe.InvoiceItemCreateParams);
    const withFee = await purchase(bob.id, mugMonthly.id, 1);
    const failed = await until('the payment-only purchase recorded as failed', async () => {
      const row = await syncState('order', withFee.id);
      return row?.status === 'failed' ? row : null;
    });
    expect(failed.error_reason).toContain('"Setup fee" bill no Stripe product');
    expect(await remote(`/orders/${withFee.id}`)).toBeNull();

    const euro = await stripe.products.create({ name: 'Euro mug' });
    const euroPlan = await stripe.plans.create({ product: euro.id, amount: 900, currency: 'eur', interval: 'month' });
    const rejected = await until('the EUR product recorded as failed', async () => {
      const row = await syncState('product', euro.id);
      return row?.status === 'failed' ? row : null;
    });
    expect(rejected.error_reason).toContain(`variant ${euroPlan.id} is priced in EUR but the store's currency is USD`);
    expect(await remote(`/products/${euro.id}`)).toBeNull();
  });

  it('the backfill sends every Stripe product, customer and paid purchase: zero drift', async () => {
    const cy = await stripe.customers.create({ email: 'cy@example.com', name: 'Cy' });
    await stripe.products.create({ name: 'Teapot' });
    await t.db('mc_sync_state').where({ store_id: config.storeId }).delete(); // forget everything: the backfill alone must fill
    const progress = await resync();
    expect(progress.done).toBe(true);

    const drift: string[] = [];
    const expectedFailures = new Set<string>();
    for await (const p of stripe.products.list({ limit: 2 })) {
      const plans = (await stripe.plans.list({ product: p.id })).data;
      const remoteProduct = await remote<{ title: string; variants: Array<{ id: string; price: number }> }>(`/products/${p.id}`);
      if (plans.some((plan) => plan.currency !== 'usd')) {
        expectedFailures.add(p.id);
        if (remoteProduct) drift.push(`product ${p.id} in another currency was sent`);
        continue;
      }
      if (!remoteProduct) drift.push(`product ${p.id} missing`);
      else {
        if (remoteProduct.title !== p.name) drift.push(`product ${p.id} title ${remoteProduct.title}`);
        const want = plans.length ? plans.map((plan) => `${plan.id}=${(plan.amount ?? 0) / 100}`).sort() : [`${p.id}=0`] // no price: one variant named after the product;
        const got = remoteProduct.variants.map((v) => `${v.id}=${v.price}`).sort();
        if (JSON.stringify(want) !== JSON.stringify(got)) drift.push(`product ${p.id} variants ${got.join(',')} != ${want.join(',')}`);
      }
    }
    let customers = 0;
    for await (const c of stripe.customers.list({ limit: 2 })) {
      customers++;
      const id = customerIdForEmail(c.email ?? '');
      const remoteCustomer = await remote<{ email_address: string }>(`/customers/${id}`);
      if (remoteCustomer?.email_address !== (c.email ?? '').trim().toLowerCase()) drift.push(`customer ${c.id} ${JSON.stringify(remoteCustomer)}`);
    }
    expect(customers).toBe(3);
    let orders = 0;
    for await (const inv of stripe.invoices.list({ limit: 2 })) {
      if (inv.status !== 'paid') continue;
      orders++;
      const lines = (await stripe.invoices.listLineItems(inv.id)).data;
      const remoteOrder = await remote<{ order_total: number; customer: { id: string } }>(`/orders/${inv.id}`);
      if (lines.some((l) => !l.plan)) {
        expectedFailures.add(inv.id);
        if (remoteOrder) drift.push(`payment-only purchase ${inv.id} was sent`);
        continue;
      }
      const email = (await stripe.customers.retrieve(inv.customer as string)) as Stripe.Customer;
      if (!remoteOrder) drift.push(`order ${inv.id} missing`);
      else if (remoteOrder.order_total !== inv.amount_paid / 100 || remoteOrder.customer.id !== customerIdForEmail(email.email ?? '')) {
        drift.push(`order ${inv.id} ${JSON.stringify(remoteOrder)}`);
      }
    }
    expect(orders).toBe(2);
    expect(drift).toEqual([]);
    expect(expectedFailures.size).toBe(2);
    for (const id of expectedFailures) {
      const row = await syncState(id.startsWith('in_') ? 'order' : 'product', id);
      expect(row?.status).toBe('failed');
    }
    expect(await remote(`/customers/${customerIdForEmail(cy.email ?? '')}`)).not.toBeNull();
  });
});
