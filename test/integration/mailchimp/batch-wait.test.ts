/**
 * runBatch (activities/batch/submit.ts) against the bundled emulator with Mailchimp's slow finalisation: the
 * operations run, then the batch stays `finalizing` for a minute before its results archive exists. A batch that ran
 * every operation without an error is done without that archive; a take-back (the auto mode's direct lane cancelling
 * the page) reads the batch's progress first and does not undo work Mailchimp has finished.
 */
import { CancelledFailure } from '@temporalio/common';
import { startEmulator } from '../../../emulator';
import { runBatch } from '../../../activities/batch/submit';
import { createMailchimpClient, type BatchOperation, type MailchimpClient } from '../../../mailchimp';
import * as fx from '../../unit/mailchimp/fixtures';

const KEY = 'batch-wait-emulator-key-us1';
const LIST = 'a1b2c3d4e5';
const STORE = 'bw-shop';

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

const products = (prefix: string, n: number): BatchOperation[] => Array.from({ length: n }, (_, i) => ({
  method: 'POST' as const, path: `/ecommerce/stores/${STORE}/products`,
  body: JSON.stringify(fx.validProduct(`${prefix}-${i}`, `${prefix}-${i}-v`)), operation_id: `product:${prefix}-${i}`,
}));

/** Batches the emulator still holds, by status. */
async function batchStatuses(): Promise<string[]> {
  return (await client.list<{ status: string }>('/batches', { count: 1000 })).items.map((b) => b.status);
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey: KEY, listId: LIST, stateFile: '' });
  client = createMailchimpClient({ apiKey: KEY, baseUrl: `${emulator.url}/3.0` });
  await control('config', { latencyMs: 0, jitterMs: 0 });
  await client.createStore({ ...fx.validStore(), id: STORE, list_id: LIST });
});

afterAll(async () => {
  client?.close();
  await emulator?.close();
});

beforeEach(async () => {
  // Operations run at once; the archive only a minute later (far longer than these tests).
  await control('config', { batches: { opsPerSecond: 1000, finalizeDelayMs: 60_000, preprocessMs: 0 } });
});

describe('runBatch with a minute of finalisation', () => {
  it('a batch whose operations all ran without an error is done at once, with a success for each, and stopped', async () => {
    const started = Date.now();
    const results = await runBatch(client, products('clean', 5), { pollMs: 50 });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(results.map((r) => [r.operation_id, r.status_code]).sort()).toEqual(
      [0, 1, 2, 3, 4].map((i) => [`product:clean-${i}`, 200]).sort(),
    );
    for (let i = 0; i < 5; i++) await expect(client.getProduct(STORE, `clean-${i}`)).resolves.toMatchObject({ id: `clean-${i}` });
    // Nothing left to run, so it no longer counts among the pending batches.
    expect(await batchStatuses()).toEqual([]);
  });

  it('a page taken back after its batch ran every operation: applied, not taken back (no CancelledFailure)', async () => {
    const abort = new AbortController();
    // Polls far apart: the take-back comes while the batch is finalising and the wait has not seen it yet.
    const running = runBatch(client, products('taken', 3), { pollMs: 60_000, signal: abort.signal });
    for (let i = 0; i < 100 && !(await batchStatuses()).includes('finalizing'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await batchStatuses()).toEqual(['finalizing']);
    abort.abort();
    const results = await running;
    expect(results.map((r) => r.status_code)).toEqual([200, 200, 200]);
    expect(await batchStatuses()).toEqual([]);
  });

  it('a page taken back after its batch ran with an error: stopped and taken back (only the archive says which failed)', async () => {
    const abort = new AbortController();
    // A create of a product Mailchimp has already is refused inside the batch.
    await client.createProduct(STORE, fx.validProduct('dup-0', 'dup-0-v'));
    const running = runBatch(client, products('dup', 2), { pollMs: 60_000, signal: abort.signal });
    for (let i = 0; i < 100 && !(await batchStatuses()).includes('finalizing'); i++) await new Promise((r) => setTimeout(r, 50));
    const batch = (await client.list<{ status: string; errored_operations: number }>('/batches', { count: 10 })).items[0];
    expect(batch).toMatchObject({ status: 'finalizing', errored_operations: 1 });
    abort.abort();
    await expect(running).rejects.toBeInstanceOf(CancelledFailure);
    expect(await batchStatuses()).toEqual([]);
  });

  it('a page taken back while its batch is far from done: stopped and taken back', async () => {
    await control('config', { batches: { opsPerSecond: 1, finalizeDelayMs: 60_000, preprocessMs: 0 } });
    const abort = new AbortController();
    const running = runBatch(client, products('slow', 30), { pollMs: 100, signal: abort.signal });
    await new Promise((r) => setTimeout(r, 1500));
    abort.abort();
    await expect(running).rejects.toBeInstanceOf(CancelledFailure);
    expect(await batchStatuses()).toEqual([]);
  });
});
