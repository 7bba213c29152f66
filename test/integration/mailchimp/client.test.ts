/** The Mailchimp client against the bundled emulator: every resource's happy path and every typed error. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { startEmulator } from '../../../emulator';
import {
  classifyResponse,
  createMailchimpClient,
  MailchimpError,
  subscriberHash,
  type MailchimpClient,
  type MailchimpErrorKind,
} from '../../../mailchimp';
import * as fx from '../../unit/mailchimp/fixtures';

const KEY = 'integration-emulator-key-us1';
const LIST = 'a1b2c3d4e5';
const STORE = 'it-shop';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
let emulator: Emulator;
let client: MailchimpClient;

async function control<T = unknown>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${emulator.url}/_emulator/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`Emulator control ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

const NO_FAULTS = {
  latencyMs: 0,
  jitterMs: 0,
  maxConcurrent: 10,
  faults: { error500Rate: 0, error503Rate: 0, rateLimitRate: 0, hangRate: 0, resetRate: 0, outage: false, outageUntil: null },
};

async function failure(promise: Promise<unknown>): Promise<MailchimpError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof MailchimpError) return err;
    throw new Error(`Expected a MailchimpError, got ${inspect(err)}`);
  }
  throw new Error('Expected the call to fail');
}

async function expectKind(promise: Promise<unknown>, kind: MailchimpErrorKind): Promise<MailchimpError> {
  const err = await failure(promise);
  expect({ kind: err.kind, message: err.message }).toEqual({ kind, message: err.message });
  for (const text of [err.message, JSON.stringify(err), inspect(err, { depth: 10 })]) expect(text).not.toContain(KEY);
  return err;
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey: KEY, listId: LIST, stateFile: '' });
  client = createMailchimpClient({ apiKey: KEY, baseUrl: `${emulator.url}/3.0` });
  await client.createStore({ ...fx.validStore(), id: STORE, list_id: LIST });
  await client.createProduct(STORE, fx.validProduct('prod-1', 'var-1'));
});

afterAll(async () => {
  client?.close();
  await emulator?.close();
});

afterEach(async () => {
  await control('config', NO_FAULTS);
});

describe('happy paths', () => {
  it('stores: get, update, list, and a missing one is null', async () => {
    await expect(client.getStore(STORE)).resolves.toMatchObject({ id: STORE, list_id: LIST, currency_code: 'EUR' });
    await expect(client.updateStore(STORE, { name: 'Renamed', is_syncing: true })).resolves.toMatchObject({ name: 'Renamed', is_syncing: true });
    const page = await client.list<{ id: string }>('/ecommerce/stores', { count: 1000 });
    expect(page.items.map((s) => s.id)).toContain(STORE);
    expect(page.total_items).toBeGreaterThanOrEqual(1);
    await expect(client.getStore('no-such-store')).resolves.toBeNull();
  });

  it('products and variants: create, get, patch, put, upsert variant, delete', async () => {
    await client.createProduct(STORE, fx.validProduct('prod-2', 'var-2'));
    await expect(client.getProduct(STORE, 'prod-2')).resolves.toMatchObject({ id: 'prod-2', title: 'T-shirt' });
    await expect(client.updateProduct(STORE, 'prod-2', { title: 'Shirt' })).resolves.toMatchObject({ title: 'Shirt' });
    await expect(client.putProduct(STORE, 'prod-3', fx.validProduct('prod-3', 'var-3'))).resolves.toMatchObject({ id: 'prod-3' });
    await expect(client.upsertVariant(STORE, 'prod-2', { ...fx.validVariant('var-2b'), price: 5 })).resolves.toMatchObject({ id: 'var-2b', price: 5 });
    await expect(client.upsertVariant(STORE, 'prod-2', { ...fx.validVariant('var-2b'), price: 6 })).resolves.toMatchObject({ price: 6 });
    await client.deleteVariant(STORE, 'prod-2', 'var-2b');
    await client.deleteVariant(STORE, 'prod-2', 'var-2b');
    await client.deleteProduct(STORE, 'prod-3');
    await client.deleteProduct(STORE, 'prod-3');
    await expect(client.getProduct(STORE, 'prod-3')).resolves.toBeNull();
  });

  it('customers: upsert twice, get, delete', async () => {
    await client.upsertCustomer(STORE, fx.validCustomer('cust-9'));
    await expect(client.upsertCustomer(STORE, { ...fx.validCustomer('cust-9'), first_name: 'Grace' })).resolves.toMatchObject({ first_name: 'Grace' });
    await expect(client.getCustomer(STORE, 'cust-9')).resolves.toMatchObject({ id: 'cust-9', email_address: 'cust-9@example.com' });
    await client.deleteCustomer(STORE, 'cust-9');
    await expect(client.getCustomer(STORE, 'cust-9')).resolves.toBeNull();
  });

  it('orders: create, get, patch, delete', async () => {
    await expect(client.createOrder(STORE, fx.validOrder('o-1'))).resolves.toMatchObject({ id: 'o-1', order_total: 39.98 });
    await expect(client.getOrder(STORE, 'o-1')).resolves.toMatchObject({ id: 'o-1' });
    await expect(client.updateOrder(STORE, 'o-1', { financial_status: 'refunded' })).resolves.toMatchObject({ financial_status: 'refunded' });
    await client.deleteOrder(STORE, 'o-1');
    await expect(client.getOrder(STORE, 'o-1')).resolves.toBeNull();
  });

  it('promo rules and codes: create, get, patch, delete', async () => {
    await client.createPromoRule(STORE, fx.validPromoRule('rule-1'));
    await expect(client.getPromoRule(STORE, 'rule-1')).resolves.toMatchObject({ id: 'rule-1', type: 'percentage' });
    await expect(client.updatePromoRule(STORE, 'rule-1', { description: 'Now 20 percent', amount: 0.2 })).resolves.toMatchObject({ amount: 0.2 });
    await client.createPromoCode(STORE, 'rule-1', fx.validPromoCode('code-1'));
    await expect(client.getPromoCode(STORE, 'rule-1', 'code-1')).resolves.toMatchObject({ code: 'SUMMER10' });
    await expect(client.updatePromoCode(STORE, 'rule-1', 'code-1', { usage_count: 3 })).resolves.toMatchObject({ usage_count: 3 });
    await client.deletePromoCode(STORE, 'rule-1', 'code-1');
    await expect(client.getPromoCode(STORE, 'rule-1', 'code-1')).resolves.toBeNull();
    await client.deletePromoRule(STORE, 'rule-1');
    await expect(client.getPromoRule(STORE, 'rule-1')).resolves.toBeNull();
  });

  it('list and members: get list, upsert, get, patch, tags, page, archive', async () => {
    await expect(client.getList(LIST)).resolves.toMatchObject({ id: LIST });
    const email = 'Member.One@Example.com';
    await expect(client.upsertMember(LIST, email, { email_address: email, status_if_new: 'subscribed' })).resolves.toMatchObject({
      id: subscriberHash(email),
      status: 'subscribed',
    });
    await expect(client.getMember(LIST, email.toLowerCase())).resolves.toMatchObject({ status: 'subscribed' });
    await expect(client.updateMember(LIST, email, { status: 'unsubscribed' })).resolves.toMatchObject({ status: 'unsubscribed' });
    await client.setMemberTags(LIST, email, { tags: [{ name: 'customer', status: 'active' }] });
    const page = await client.listMembers(LIST, { count: 1000, status: 'unsubscribed' });
    expect(page.items.map((m) => m.id)).toContain(subscriberHash(email));
    await client.archiveMember(LIST, email);
    await client.archiveMember(LIST, 'never-there@example.com');
  });

  it('list webhooks: create (the URL answers the GET check), list, delete', async () => {
    const receiver = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks?secret=s`;
      const hook = await client.createListWebhook(LIST, { ...fx.validListWebhook(), url });
      expect(hook).toMatchObject({ url });
      await expect(client.listListWebhooks(LIST)).resolves.toEqual(expect.arrayContaining([expect.objectContaining({ id: hook.id })]));
      await client.deleteListWebhook(LIST, hook.id);
      expect((await client.listListWebhooks(LIST)).map((h) => h.id)).not.toContain(hook.id);
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });

  it('batches: create, poll until finished, read the results archive', async () => {
    const batch = await client.createBatch([
      { method: 'POST', path: `/ecommerce/stores/${STORE}/products`, body: JSON.stringify(fx.validProduct('prod-b1', 'var-b1')), operation_id: 'p:b1' },
      { method: 'GET', path: `/ecommerce/stores/${STORE}/products/no-such`, operation_id: 'p:missing' },
    ]);
    expect(batch.total_operations).toBe(2);
    let current = batch;
    for (let i = 0; i < 100 && current.status !== 'finished'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      current = await client.getBatch(batch.id);
    }
    expect(current.status).toBe('finished');
    expect(current.errored_operations).toBe(1);
    const results = await client.getBatchResults(String(current.response_body_url));
    const byId = Object.fromEntries(results.map((r) => [r.operation_id, r]));
    expect(byId['p:b1']).toMatchObject({ status_code: 200, response: expect.objectContaining({ id: 'prod-b1' }) });
    expect(byId['p:missing']).toMatchObject({ status_code: 404, response: expect.objectContaining({ title: 'Resource Not Found' }) });
  });
});

describe('typed errors', () => {
  it('validation: an invalid body is refused before it is sent', async () => {
    const before = await control<{ requests: number }>('stats');
    const err = await expectKind(client.createOrder(STORE, { ...fx.validOrder('o-bad'), currency_code: 'eur' }), 'validation');
    expect(err.message).toBe('Mailchimp rejected order o-bad: currency_code: must be a 3-letter uppercase ISO 4217 code');
    expect((await control<{ requests: number }>('stats')).requests).toBe(before.requests);
  });

  it("validation: the emulator's own Invalid Resource answer is classified the same way", async () => {
    const res = await fetch(`${emulator.url}/3.0/ecommerce/stores/${STORE}/orders`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`x:${KEY}`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'o-raw', lines: [] }),
    });
    const err = classifyResponse(res.status, await res.text(), Object.fromEntries(res.headers));
    expect(err.kind).toBe('validation');
    expect(err.title).toBe('Invalid Resource');
    expect(err.fieldErrors.length).toBeGreaterThan(0);
  });

  it('already_exists: POST of a product id that exists', async () => {
    await expectKind(client.createProduct(STORE, fx.validProduct('prod-1', 'var-1')), 'already_exists');
  });

  it('member_exists: POST of an address already on the list', async () => {
    await client.createMember(LIST, fx.validMemberPost('dup@example.com'));
    await expectKind(client.createMember(LIST, fx.validMemberPost('dup@example.com')), 'member_exists');
  });

  it('not_found: patching an order that does not exist, reading an unknown list', async () => {
    await expectKind(client.updateOrder(STORE, 'no-such-order', { financial_status: 'paid' }), 'not_found');
    await expectKind(client.getList('nolist'), 'not_found');
  });

  it('missing_dependency: an order naming an unknown product', async () => {
    const err = await expectKind(client.createOrder(STORE, fx.validOrder('o-orphan', 'ghost-product', 'ghost-variant')), 'missing_dependency');
    expect(err.status).toBe(400);
  });

  it('auth: a wrong key, never echoed', async () => {
    const wrongKey = 'wrong-emulator-key-us1';
    const other = createMailchimpClient({ apiKey: wrongKey, baseUrl: `${emulator.url}/3.0` });
    try {
      const err = await expectKind(other.getStore(STORE), 'auth');
      expect(err.status).toBe(401);
      expect(JSON.stringify(err) + inspect(err)).not.toContain(wrongKey);
    } finally {
      other.close();
    }
  });

  it('rate_limited: injected 429 with Retry-After', async () => {
    await control('config', { faults: { rateLimitRate: 1, retryAfterSeconds: 2 } });
    const err = await expectKind(client.getStore(STORE), 'rate_limited');
    expect([err.status, err.retryAfterMs]).toEqual([429, 2000]);
  });

  it('rate_limited: more concurrent requests than the emulator allows', async () => {
    await control('config', { maxConcurrent: 3, latencyMs: 150 });
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => client.getStore(STORE)));
    const kinds = outcomes.map((o) => (o.status === 'fulfilled' ? 'ok' : (o.reason as MailchimpError).kind));
    expect(kinds).toContain('ok');
    expect(kinds).toContain('rate_limited');
    expect(kinds.filter((k) => k !== 'ok' && k !== 'rate_limited')).toEqual([]);
  });

  it('transient: 500, 503 outage, connection reset, timeout', async () => {
    await control('config', { faults: { error500Rate: 1 } });
    expect((await expectKind(client.getStore(STORE), 'transient')).status).toBe(500);
    await control('config', { faults: { error500Rate: 0, outage: true } });
    expect((await expectKind(client.getStore(STORE), 'transient')).status).toBe(503);
    await control('config', { faults: { outage: false, resetRate: 1 } });
    expect((await expectKind(client.getStore(STORE), 'transient')).status).toBe(0);
    await control('config', { faults: { resetRate: 0, hangRate: 1, hangMs: 1000 } });
    const impatient = createMailchimpClient({ apiKey: KEY, baseUrl: `${emulator.url}/3.0`, timeoutMs: 200 });
    try {
      const err = await expectKind(impatient.getStore(STORE), 'transient');
      expect(err.detail).toBe('the request timed out');
    } finally {
      impatient.close();
    }
  });
});

describe('connection limit', () => {
  it('25 concurrent calls never exceed 10 in flight, and all succeed', async () => {
    await control('config', { latencyMs: 100 });
    await new Promise((resolve) => setTimeout(resolve, 50)); // let anything still in flight from earlier tests finish
    await control('stats/reset', {});
    const results = await Promise.all(Array.from({ length: 25 }, () => client.getStore(STORE)));
    expect(results.every((r) => r?.id === STORE)).toBe(true);
    const stats = await control<{ maxConcurrency: number; byStatus: Record<string, number> }>('stats');
    expect(stats.maxConcurrency).toBeLessThanOrEqual(10);
    expect(stats.maxConcurrency).toBeGreaterThan(1);
    expect(stats.byStatus['429']).toBeUndefined();
  });
});

describe('cleanup', () => {
  it('deleteStore removes the store, and deleting it again is fine', async () => {
    await client.deleteStore(STORE);
    await client.deleteStore(STORE);
    await expect(client.getStore(STORE)).resolves.toBeNull();
  });
});
