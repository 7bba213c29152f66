import axios from 'axios';
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';
import { Readable } from 'node:stream';
import { boot, LIST_ID, sampleProduct, sampleStore, until, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await boot({ config: { seed: 42 } });
});
afterAll(async () => h.emu.close());
beforeEach(async () => {
  await h.control.post('/_emulator/reset', {});
  await h.control.post('/_emulator/config', { batches: { opsPerSecond: 1000, finalizeDelayMs: 0, maxPending: 500, shuffle: true } });
});

interface Result {
  status_code: number;
  operation_id: string | null;
  response: string;
}

async function results(url: string): Promise<{ files: string[]; results: Result[] }> {
  const res = await axios.get(url, { responseType: 'arraybuffer' });
  const tar = gunzipSync(Buffer.from(res.data));
  const files: string[] = [];
  const out: Result[] = [];
  const ex = extract();
  ex.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => chunks.push(c as Buffer));
    stream.on('end', () => {
      files.push(header.name);
      out.push(...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Result[]));
      next();
    });
  });
  await new Promise<void>((resolve, reject) => {
    ex.on('finish', resolve);
    ex.on('error', reject);
    Readable.from(tar).pipe(ex);
  });
  return { files, results: out };
}

const finished = (id: string) =>
  until(async () => {
    const res = await h.api.get(`/batches/${id}`);
    return res.data.status === 'finished' ? res.data : undefined;
  });

const memberOps = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    method: 'POST',
    path: `/lists/${LIST_ID}/members`,
    body: JSON.stringify({ email_address: `b${i}@example.com`, status: 'transactional' }),
    operation_id: `op-${i}`,
  }));

describe('batch lifecycle', () => {
  it('goes pending → finished with counts, timestamps and a results archive', async () => {
    await h.api.post('/ecommerce/stores', sampleStore('shop1'));
    const ops = [
      { method: 'POST', path: '/ecommerce/stores/shop1/products', body: JSON.stringify(sampleProduct('p1')), operation_id: 'ok' },
      { method: 'POST', path: '/ecommerce/stores/shop1/orders', body: JSON.stringify({ id: 'o', customer: { id: 'c', email_address: 'c@example.com' }, currency_code: 'EUR', order_total: 1, lines: [{ id: 'l', product_id: 'nope', product_variant_id: 'nope', quantity: 1, price: 1 }] }), operation_id: 'bad' },
      { method: 'GET', path: '/ecommerce/stores', params: { count: 1 }, operation_id: 'get' },
    ];
    const submitted = await h.api.post('/batches', { operations: ops });
    expect(submitted.status).toBe(200);
    expect(submitted.data).toMatchObject({ status: 'pending', total_operations: 3, finished_operations: 0, errored_operations: 0 });
    expect(submitted.data.submitted_at).toBeTruthy();
    const done = await finished(submitted.data.id);
    expect(done).toMatchObject({ total_operations: 3, finished_operations: 3, errored_operations: 1 });
    expect(done.completed_at).toBeTruthy();
    expect(done.response_body_url).toBe(`${h.emu.url}/_emulator/batch-results/${submitted.data.id}.tar.gz`);
    const { files, results: rs } = await results(done.response_body_url);
    expect(files.length).toBeGreaterThan(0);
    expect(files[0]).toMatch(/\.json$/);
    const byId = Object.fromEntries(rs.map((r) => [r.operation_id, r]));
    expect(byId.ok.status_code).toBe(200);
    expect(typeof byId.ok.response).toBe('string');
    expect(JSON.parse(byId.ok.response).id).toBe('p1');
    expect(byId.bad.status_code).toBe(400);
    expect(JSON.parse(byId.bad.response).detail).toContain('A product with the provided ID does not exist');
    expect(JSON.parse(byId.get.response).total_items).toBe(1);
  });

  it('validates the body (operation body must be a JSON string)', async () => {
    const res = await h.api.post('/batches', { operations: [{ method: 'POST', path: '/lists', body: { not: 'a string' } }] });
    expect(res.status).toBe(400);
    expect(res.data.title).toBe('Invalid Resource');
    expect((await h.api.post('/batches', { operations: [{ method: 'HEAD', path: '/x' }] })).status).toBe(400);
  });

  it('lists batches, and DELETE removes one', async () => {
    const a = await h.api.post('/batches', { operations: memberOps(2) });
    await finished(a.data.id);
    const list = await h.api.get('/batches');
    expect(list.data.total_items).toBe(1);
    expect(list.data.batches[0].id).toBe(a.data.id);
    expect((await h.api.delete(`/batches/${a.data.id}`)).status).toBe(204);
    expect((await h.api.get(`/batches/${a.data.id}`)).status).toBe(404);
  });

  it('runs operations in an order that is not the submitted order', async () => {
    const res = await h.api.post('/batches', { operations: memberOps(40) });
    const done = await finished(res.data.id);
    const { results: rs } = await results(done.response_body_url);
    const order = rs.map((r) => r.operation_id);
    expect([...order].sort()).toEqual(memberOps(40).map((o) => o.operation_id).sort());
    expect(order).not.toEqual(memberOps(40).map((o) => o.operation_id));
    expect(rs.every((r) => r.status_code === 200)).toBe(true);
  });

  it('processes at the configured rate', async () => {
    await h.control.post('/_emulator/config', { batches: { opsPerSecond: 20 } });
    const started = Date.now();
    const res = await h.api.post('/batches', { operations: memberOps(10) });
    const mid = await until(async () => {
      const b = (await h.api.get(`/batches/${res.data.id}`)).data;
      return b.status === 'started' && b.finished_operations > 0 ? b : undefined;
    });
    expect(mid.finished_operations).toBeLessThan(10);
    await finished(res.data.id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
  });

  it('waits finalizeDelayMs after the last operation before finishing', async () => {
    await h.control.post('/_emulator/config', { batches: { finalizeDelayMs: 600 } });
    const res = await h.api.post('/batches', { operations: memberOps(3) });
    const processed = await until(async () => {
      const b = (await h.api.get(`/batches/${res.data.id}`)).data;
      return b.finished_operations === 3 ? b : undefined;
    });
    expect(processed.status).not.toBe('finished');
    expect(processed.response_body_url).toBe('');
    const done = await finished(res.data.id);
    expect(done.status).toBe('finished');
  });

  it('refuses more than maxPending unfinished batches with 429', async () => {
    await h.control.post('/_emulator/config', { batches: { opsPerSecond: 1, maxPending: 2 } });
    expect((await h.api.post('/batches', { operations: memberOps(5) })).status).toBe(200);
    expect((await h.api.post('/batches', { operations: memberOps(5) })).status).toBe(200);
    const third = await h.api.post('/batches', { operations: memberOps(5) });
    expect(third.status).toBe(429);
    expect(third.data.title).toBe('Too Many Requests');
  });

  it('defaults to a 500 pending-batch limit', async () => {
    expect(h.emu.config().batches.maxPending).toBe(500);
  });
});
