import { createHash } from 'node:crypto';
import { boot, LIST_ID, sampleStore, until, type Harness } from './helpers';

/** The harder answers Mailchimp documents, as the emulator gives them (docs/emulator.md). */
let h: Harness;
beforeAll(async () => {
  h = await boot();
  expect((await h.api.post('/ecommerce/stores', sampleStore('errs'))).status).toBe(200);
});
afterAll(async () => h.emu.close());
afterEach(async () => {
  await h.control.post('/_emulator/config', { faults: { bodiless429Rate: 0, bodiless403Rate: 0, hangRate: 0, serverTimeoutMs: 120_000, keyRevoked: false }, batches: { preprocessMs: 0 } });
});

const hash = (email: string) => createHash('md5').update(email.toLowerCase()).digest('hex');
const members = `/lists/${LIST_ID}/members`;

async function addMember(email: string, status: string): Promise<void> {
  expect((await h.api.put(`${members}/${hash(email)}`, { email_address: email, status_if_new: status })).status).toBe(200);
}

describe('forgotten and compliance-state members', () => {
  it('a forgotten address cannot be added again, by the member API or by an opted-in e-commerce customer', async () => {
    const email = 'gone@example.com';
    await addMember(email, 'subscribed');
    expect((await h.control.post(`/_emulator/lists/${LIST_ID}/members/${hash(email)}/forget`, {})).status).toBe(200);
    expect((await h.api.get(`${members}/${hash(email)}`)).status).toBe(404);
    for (const attempt of [
      () => h.api.put(`${members}/${hash(email)}`, { email_address: email, status_if_new: 'subscribed' }),
      () => h.api.post(members, { email_address: email, status: 'transactional' }),
      () => h.api.put(`/ecommerce/stores/errs/customers/${hash(email)}`, { id: hash(email), email_address: email, opt_in_status: true }),
    ]) {
      const res = await attempt();
      expect(res.status).toBe(400);
      expect(res.data.title).toBe('Forgotten Email Not Subscribed');
    }
    expect((await h.api.get(`/ecommerce/stores/errs/customers/${hash(email)}`)).status).toBe(404);
    // Without consent the customer is created, and still no member is.
    const transactional = await h.api.put(`/ecommerce/stores/errs/customers/${hash(email)}`, { id: hash(email), email_address: email, opt_in_status: false });
    expect(transactional.status).toBe(200);
    expect((await h.api.get(`${members}/${hash(email)}`)).status).toBe(404);
  });

  it('a member in compliance state cannot be subscribed through the API; its profile can still be changed', async () => {
    const email = 'review@example.com';
    await addMember(email, 'unsubscribed');
    expect((await h.control.post(`/_emulator/lists/${LIST_ID}/members/${hash(email)}/compliance`, {})).status).toBe(200);
    for (const body of [{ status: 'subscribed' }, { status: 'pending' }]) {
      const res = await h.api.patch(`${members}/${hash(email)}`, body);
      expect(res.status).toBe(400);
      expect(res.data.title).toBe('Member In Compliance State');
    }
    expect((await h.api.get(`${members}/${hash(email)}`)).data.status).toBe('unsubscribed');
    expect((await h.api.patch(`${members}/${hash(email)}`, { merge_fields: { FNAME: 'Kept' } })).status).toBe(200);
  });
});

describe('a revoked API key', () => {
  it('is refused with 401 "API Key Invalid" on every call until it is restored, and changes nothing meanwhile', async () => {
    expect((await h.control.post('/_emulator/config', { faults: { keyRevoked: true } })).status).toBe(200);
    const refused = await h.api.put('/ecommerce/stores/errs/customers/revoked', { id: 'revoked', email_address: 'revoked@example.com', opt_in_status: false });
    expect(refused.status).toBe(401);
    expect(refused.data).toMatchObject({ title: 'API Key Invalid', status: 401 });
    expect((await h.api.get(`/lists/${LIST_ID}`)).status).toBe(401);
    expect((await h.control.post('/_emulator/config', { faults: { keyRevoked: false } })).status).toBe(200);
    expect((await h.api.get('/ecommerce/stores/errs/customers/revoked')).status).toBe(404);
    expect((await h.api.get(`/lists/${LIST_ID}`)).status).toBe(200);
  });
});

describe('throttling, timeouts and slow batches', () => {
  it('answers 429 and 403 with no body at all when told to', async () => {
    await h.control.post('/_emulator/config', { seed: 3, faults: { bodiless429Rate: 0.5, bodiless403Rate: 1 } });
    const seen = new Set<string>();
    for (let i = 0; i < 20; i += 1) {
      const res = await h.api.get(`/lists/${LIST_ID}`, { responseType: 'text' });
      seen.add(`${res.status}:${JSON.stringify(res.data)}`);
    }
    expect([...seen].sort()).toEqual(['403:""', '429:""']);
  });

  it('cuts off a call held past the server timeout with no answer', async () => {
    await h.control.post('/_emulator/config', { faults: { hangRate: 1, hangMs: 60_000, serverTimeoutMs: 200 } });
    await expect(h.api.get(`/lists/${LIST_ID}`)).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  it('keeps a new batch in "preprocessing" for the configured time, then runs it', async () => {
    await h.control.post('/_emulator/config', { batches: { preprocessMs: 400 } });
    const created = await h.api.post('/batches', { operations: [{ method: 'GET', path: `/lists/${LIST_ID}` }] });
    expect(created.status).toBe(200);
    expect(created.data.status).toBe('preprocessing');
    expect((await h.api.get(`/batches/${created.data.id}`)).data.status).toBe('preprocessing');
    const done = await until(async () => {
      const res = await h.api.get(`/batches/${created.data.id}`);
      return res.data.status === 'finished' ? res.data : undefined;
    });
    expect(done.finished_operations).toBe(1);
  });
});
