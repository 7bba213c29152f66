import axios from 'axios';
import { boot, LIST_ID, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await boot({ config: { seed: 7 } });
});
afterAll(async () => h.emu.close());
beforeEach(async () => {
  await h.control.post('/_emulator/reset', { config: true });
  await h.control.post('/_emulator/stats/reset', {});
});

const L = `/lists/${LIST_ID}`;

describe('concurrency limit', () => {
  it('answers the 11th simultaneous request for one key with 429', async () => {
    await h.control.post('/_emulator/config', { latencyMs: 400 });
    const responses = await Promise.all(Array.from({ length: 11 }, () => h.api.get(L)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    const limited = responses.find((r) => r.status === 429)!;
    expect(limited.data.title).toBe('Too Many Requests');
    const stats = (await h.control.get('/_emulator/stats')).data;
    expect(stats.maxConcurrency).toBe(10);
    expect(stats.inFlight).toBe(0);
  });

  it('honours a configured maxConcurrent', async () => {
    const small = await boot({ maxConcurrent: 2, latencyMs: 300 });
    try {
      const statuses = (await Promise.all(Array.from({ length: 3 }, () => small.api.get(L)))).map((r) => r.status);
      expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    } finally {
      await small.emu.close();
    }
  });
});

describe('latency', () => {
  it('adds latencyMs plus jitter to /3.0 calls only', async () => {
    await h.control.post('/_emulator/config', { latencyMs: 150, jitterMs: 50 });
    let t = Date.now();
    await h.api.get(L);
    const took = Date.now() - t;
    expect(took).toBeGreaterThanOrEqual(145);
    t = Date.now();
    await h.control.get('/_emulator/health');
    expect(Date.now() - t).toBeLessThan(150);
  });
});

describe('fault injection', () => {
  it('injects 500s', async () => {
    await h.control.post('/_emulator/config', { faults: { error500Rate: 1 } });
    const res = await h.api.get(L);
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  });

  it('injects 503s', async () => {
    await h.control.post('/_emulator/config', { faults: { error503Rate: 1 } });
    expect((await h.api.get(L)).status).toBe(503);
  });

  it('injects 429s with Retry-After', async () => {
    await h.control.post('/_emulator/config', { faults: { rateLimitRate: 1, retryAfterSeconds: 3 } });
    const res = await h.api.get(L);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('3');
  });

  it('applies probabilities (about half of the calls at 0.5)', async () => {
    await h.control.post('/_emulator/config', { faults: { error500Rate: 0.5 } });
    const statuses: number[] = [];
    for (let i = 0; i < 60; i += 1) statuses.push((await h.api.get(L)).status);
    const failed = statuses.filter((s) => s === 500).length;
    expect(failed).toBeGreaterThan(10);
    expect(failed).toBeLessThan(50);
  });

  it('hangs calls for hangMs', async () => {
    await h.control.post('/_emulator/config', { faults: { hangRate: 1, hangMs: 800 } });
    const res = await h.api.get(L, { timeout: 200 }).catch((e: unknown) => e);
    expect(axios.isAxiosError(res) && res.code).toBe('ECONNABORTED');
    const t = Date.now();
    const slow = await h.api.get(L);
    expect(slow.status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(750);
  });

  it('resets connections', async () => {
    await h.control.post('/_emulator/config', { faults: { resetRate: 1 } });
    const err = await h.api.get(L).catch((e: unknown) => e);
    expect(axios.isAxiosError(err)).toBe(true);
    expect(axios.isAxiosError(err) && err.response).toBeUndefined();
    await h.control.post('/_emulator/config', { faults: { resetRate: 0 } });
    expect((await h.api.get(L)).status).toBe(200);
  });

  it('does not apply faults to control routes', async () => {
    await h.control.post('/_emulator/config', { faults: { error500Rate: 1, outage: true } });
    expect((await h.control.get('/_emulator/health')).status).toBe(200);
    expect((await h.control.get('/_emulator/state')).status).toBe(200);
  });

  it('refuses an invalid config', async () => {
    const res = await h.control.post('/_emulator/config', { faults: { error500Rate: 2 } });
    expect(res.status).toBe(400);
    expect((await h.control.get('/_emulator/config')).data.faults.error500Rate).toBe(0);
  });
});

describe('outage', () => {
  it('answers every call 503 until turned off', async () => {
    await h.control.post('/_emulator/config', { faults: { outage: true } });
    for (let i = 0; i < 3; i += 1) expect((await h.api.get(L)).status).toBe(503);
    await h.control.post('/_emulator/config', { faults: { outage: false } });
    expect((await h.api.get(L)).status).toBe(200);
  });

  it('answers every call 503 until a given time', async () => {
    const until = new Date(Date.now() + 500).toISOString();
    await h.control.post('/_emulator/config', { faults: { outageUntil: until } });
    expect((await h.api.get(L)).status).toBe(503);
    await new Promise((r) => setTimeout(r, 600));
    expect((await h.api.get(L)).status).toBe(200);
  });
});

describe('config', () => {
  it('GET returns the merged config; POST merges', async () => {
    await h.control.post('/_emulator/config', { latencyMs: 5, faults: { retryAfterSeconds: 9 } });
    const cfg = (await h.control.get('/_emulator/config')).data;
    expect(cfg).toMatchObject({ latencyMs: 5, maxConcurrent: 10, faults: { retryAfterSeconds: 9, error500Rate: 0 } });
  });
});
