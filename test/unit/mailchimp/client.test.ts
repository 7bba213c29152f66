import { inspect } from 'node:util';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { createMailchimpClient, MailchimpError, mailchimpBaseUrl, subscriberHash, type RequestEvent } from '../../../mailchimp';
import { ConnectionGate, inSendOrder } from '../../../mailchimp/connection-gate';
import { json, startFakeApi, type FakeApi } from './fake-api';
import * as fx from './fixtures';

const KEY = 'unit-test-secret-key-us9';
let api: FakeApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** A distinct key per test, so the module-level per-key gates do not leak between tests. */
let keyCounter = 0;
const freshKey = () => `${KEY}-${++keyCounter}x-us9`;

const caught = async (promise: Promise<unknown>): Promise<MailchimpError> => {
  try {
    await promise;
  } catch (err) {
    if (err instanceof MailchimpError) return err;
    throw new Error(`Expected a MailchimpError, got ${inspect(err)}`);
  }
  throw new Error('Expected the call to fail');
};

const expectNoKey = (err: MailchimpError, key: string) => {
  for (const text of [err.message, err.stack ?? '', JSON.stringify(err), inspect(err, { depth: 10, showHidden: true })]) {
    expect(text).not.toContain(key);
    expect(text).not.toContain(Buffer.from(`mailchimp-sync:${key}`).toString('base64'));
  }
};

describe('base URL and subscriber hash', () => {
  it('derives the data center from the key, and an override wins when non-empty', () => {
    expect(mailchimpBaseUrl('abc123-us14')).toBe('https://us14.api.mailchimp.com/3.0');
    expect(mailchimpBaseUrl('abc123-us14', '')).toBe('https://us14.api.mailchimp.com/3.0');
    expect(mailchimpBaseUrl('abc123-us14', 'http://127.0.0.1:4010/3.0/')).toBe('http://127.0.0.1:4010/3.0');
  });
  it('refuses a key without a data center, without repeating the key', () => {
    expect(() => mailchimpBaseUrl('no-dc-here-secret')).toThrow(/must end in -<datacenter>/);
    expect(() => mailchimpBaseUrl('nodcsecret')).not.toThrow(/nodcsecret/);
  });
  it('hashes the lowercased email with MD5', () => {
    expect(subscriberHash('Test@Example.com')).toBe('55502f40dc8b7c769880b10874abc9d0');
  });
});

describe('requests', () => {
  it('uses HTTP Basic with the key as password and sends the stripped, validated body', async () => {
    api = await startFakeApi((req, res) => json(res, 200, JSON.parse(req.body)));
    const key = freshKey();
    const client = createMailchimpClient({ apiKey: key, baseUrl: `${api.url}/3.0` });
    const customer = { ...fx.validCustomer('c 1'), email_address: 'c1@example.com' };
    await client.upsertCustomer('shop1', { ...customer, unknown: 'x' } as never);
    const [req] = api.seen;
    expect(req.method).toBe('PUT');
    expect(req.url).toBe('/3.0/ecommerce/stores/shop1/customers/c%201');
    const [, password] = Buffer.from((req.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':');
    expect(password).toBe(key);
    expect(JSON.parse(req.body)).toEqual(customer);
    client.close();
  });

  it('refuses an invalid body before sending, naming the entity and the field', async () => {
    api = await startFakeApi((_req, res) => json(res, 200, {}));
    const client = createMailchimpClient({ apiKey: freshKey(), baseUrl: api.url });
    const order = fx.validOrder() as { lines: Array<Record<string, unknown>> };
    order.lines[0].price = 'free';
    const err = await caught(client.createOrder('shop1', order as never));
    expect(err.kind).toBe('validation');
    expect(err.status).toBe(0);
    expect(err.message).toBe('Mailchimp rejected order 10023: lines.0.price: must be a number');
    expect(err.fieldErrors).toEqual([{ field: 'lines.0.price', message: 'must be a number' }]);
    expect(api.seen).toHaveLength(0);
    client.close();
  });

  it('GET of a missing resource is null, DELETE of one is done, DELETE 204 is done', async () => {
    api = await startFakeApi((req, res) => {
      if (req.method === 'DELETE' && !req.url.endsWith('/gone')) {
        res.writeHead(204);
        res.end();
        return;
      }
      json(res, 404, { title: 'Resource Not Found', detail: 'The requested resource could not be found.', status: 404 });
    });
    const client = createMailchimpClient({ apiKey: freshKey(), baseUrl: api.url });
    await expect(client.getOrder('shop1', 'nope')).resolves.toBeNull();
    await expect(client.getMember('list', 'A@b.com')).resolves.toBeNull();
    await expect(client.deleteProduct('shop1', 'gone')).resolves.toBeUndefined();
    await expect(client.deleteOrder('shop1', 'there')).resolves.toBeUndefined();
    await expect(client.getList('missing').catch((e: MailchimpError) => e.kind)).resolves.toBe('not_found');
    expect(api.seen[1].url).toBe(`/lists/list/members/${subscriberHash('a@b.com')}`);
    client.close();
  });

  it('lists a collection as {items, total_items} and refuses count over 1000', async () => {
    api = await startFakeApi((_req, res) => json(res, 200, { members: [{ id: 'h1' }], list_id: 'l', total_items: 42, _links: [] }));
    const client = createMailchimpClient({ apiKey: freshKey(), baseUrl: api.url });
    await expect(client.listMembers('l', { count: 1000, offset: 5, status: 'subscribed', fields: ['members.id', 'total_items'] })).resolves.toEqual({
      items: [{ id: 'h1' }],
      total_items: 42,
    });
    expect(api.seen[0].url).toBe('/lists/l/members?status=subscribed&count=1000&offset=5&fields=members.id,total_items');
    const err = await caught(client.list('/ecommerce/stores', { count: 1001 }));
    expect(err.kind).toBe('validation');
    expect(api.seen).toHaveLength(1);
    client.close();
  });

  it('reports every request to onRequest, and a throwing hook changes nothing', async () => {
    api = await startFakeApi((req, res) => (req.url.includes('bad') ? json(res, 500, { title: 'Internal Server Error' }) : json(res, 200, { id: 's' })));
    const events: RequestEvent[] = [];
    const client = createMailchimpClient({
      apiKey: freshKey(),
      baseUrl: api.url,
      onRequest: (e) => {
        events.push(e);
        throw new Error('metrics are down');
      },
    });
    await client.getStore('s');
    await caught(client.getStore('bad'));
    expect(events.map(({ method, path, status }) => ({ method, path, status }))).toEqual([
      { method: 'GET', path: '/ecommerce/stores/s', status: 200 },
      { method: 'GET', path: '/ecommerce/stores/bad', status: 500 },
    ]);
    expect(events.every((e) => e.durationMs >= 0)).toBe(true);
    client.close();
  });
});

describe('connection limit per API key', () => {
  const slowApi = () => startFakeApi((_req, res) => void setTimeout(() => json(res, 200, { id: 'x' }), 30));

  it('never has more than maxConnections in flight, and every call succeeds', async () => {
    api = await slowApi();
    const client = createMailchimpClient({ apiKey: freshKey(), baseUrl: api.url, maxConnections: 3 });
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => client.getStore(`s${i}`)));
    expect(results.every((r) => r !== null)).toBe(true);
    expect(api.maxInFlight()).toBe(3);
    client.close();
  });

  it('two clients with the same key share the limit; another key has its own', async () => {
    api = await slowApi();
    const key = freshKey();
    const a = createMailchimpClient({ apiKey: key, baseUrl: api.url, maxConnections: 4 });
    const b = createMailchimpClient({ apiKey: key, baseUrl: api.url, maxConnections: 4 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).getStore(`s${i}`)));
    expect(api.maxInFlight()).toBe(4);
    a.close();
    b.close();

    await api.close();
    api = await slowApi();
    const c = createMailchimpClient({ apiKey: freshKey(), baseUrl: api.url, maxConnections: 4 });
    const d = createMailchimpClient({ apiKey: freshKey(), baseUrl: api.url, maxConnections: 4 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? c : d).getStore(`s${i}`)));
    expect(api.maxInFlight()).toBe(8);
    c.close();
    d.close();
  });

  it('the gate hands a freed slot to a waiter before any newcomer', async () => {
    const gate = new ConnectionGate(1);
    const order: string[] = [];
    const release = await gate.acquire();
    const waiter = gate.acquire().then((r) => (order.push('waiter'), r));
    release();
    const newcomer = gate.acquire().then((r) => (order.push('newcomer'), r));
    (await waiter)();
    (await newcomer)();
    expect(order).toEqual(['waiter', 'newcomer']);
    expect(gate.inFlight).toBe(0);
  });

  it('waiters go in send order (requests outside any first), then in arrival order', async () => {
    const gate = new ConnectionGate(1);
    const order: string[] = [];
    const holder = await gate.acquire();
    const wait = (name: string, sendOrder?: number) => {
      // Each takes its slot, notes it and gives it back.
      const acquire = () => gate.acquire().then((release) => (order.push(name), release()));
      return sendOrder === undefined ? acquire() : inSendOrder(sendOrder, acquire);
    };
    const waiters = [wait('page 2, first', 2), wait('page 1', 1), wait('no page'), wait('page 2, second', 2), wait('page 3', 3)];
    expect(gate.waiters).toBe(5);
    holder();
    await Promise.all(waiters);
    expect(order).toEqual(['no page', 'page 1', 'page 2, first', 'page 2, second', 'page 3']);
    expect(gate.inFlight).toBe(0);
  });
});

describe('failures never expose the key', () => {
  it('a 401 answer', async () => {
    api = await startFakeApi((_req, res) => json(res, 401, { title: 'API Key Invalid', detail: `Your API key ${KEY} may be invalid`, status: 401 }));
    const client = createMailchimpClient({ apiKey: KEY, baseUrl: api.url });
    const err = await caught(client.getStore('s'));
    expect(err.kind).toBe('auth');
    expectNoKey(err, KEY);
    client.close();
  });

  it('a refused connection', async () => {
    api = await startFakeApi((_req, res) => json(res, 200, {}));
    const url = api.url;
    await api.close();
    api = undefined;
    const client = createMailchimpClient({ apiKey: KEY, baseUrl: url });
    const err = await caught(client.getStore('s'));
    expect(err.kind).toBe('transient');
    expect(err.detail).toBe('the connection was refused');
    expect(err.path).toBe('/ecommerce/stores/s');
    expectNoKey(err, KEY);
    client.close();
  });

  it('a timeout', async () => {
    api = await startFakeApi(() => undefined);
    const client = createMailchimpClient({ apiKey: KEY, baseUrl: api.url, timeoutMs: 100 });
    const err = await caught(client.getStore('s'));
    expect(err.kind).toBe('transient');
    expect(err.detail).toBe('the request timed out');
    expectNoKey(err, KEY);
    client.close();
  });

  it('a dropped connection (socket hang up)', async () => {
    api = await startFakeApi((_req, res) => void res.socket?.destroy());
    const client = createMailchimpClient({ apiKey: KEY, baseUrl: api.url });
    const err = await caught(client.createStore(fx.validStore()));
    expect(err.kind).toBe('transient');
    expectNoKey(err, KEY);
    client.close();
  });
});

describe('batch results', () => {
  async function archive(files: Record<string, unknown>): Promise<Buffer> {
    const tar = pack();
    const chunks: Buffer[] = [];
    tar.on('data', (c: unknown) => void chunks.push(Buffer.from(c as Uint8Array)));
    const done = new Promise<void>((resolve) => tar.on('end', () => resolve()));
    tar.entry({ name: 'results/', type: 'directory' });
    for (const [name, content] of Object.entries(files)) tar.entry({ name }, JSON.stringify(content));
    tar.finalize();
    await done;
    return gzipSync(Buffer.concat(chunks));
  }

  it('downloads the tar.gz and parses each response string; no credentials to another origin', async () => {
    const body = await archive({
      'results/a.json': [
        { status_code: 200, operation_id: 'product:p1', response: JSON.stringify({ id: 'p1' }) },
        { status_code: 400, operation_id: 'order:o1', response: JSON.stringify({ title: 'Bad Request' }) },
      ],
      'results/b.json': [{ status_code: 204, operation_id: null, response: '' }],
    });
    const files = await startFakeApi((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-gzip' });
      res.end(body);
    });
    api = await startFakeApi((_req, res) => json(res, 200, {}));
    const client = createMailchimpClient({ apiKey: freshKey(), baseUrl: api.url });
    try {
      const results = await client.getBatchResults(`${files.url}/batch-results/abc.tar.gz`);
      expect(results).toEqual([
        { status_code: 200, operation_id: 'product:p1', response: { id: 'p1' } },
        { status_code: 400, operation_id: 'order:o1', response: { title: 'Bad Request' } },
        { status_code: 204, operation_id: null, response: null },
      ]);
      expect(files.seen[0].authorization).toBeUndefined();
    } finally {
      client.close();
      await files.close();
    }
  });
});
