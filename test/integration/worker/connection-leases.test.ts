import { ConnectionGate } from '../../../mailchimp/connection-gate';
import { keyIdOf, startConnectionLeases, type ConnectionLeases } from '../../../db/connection-leases';
import { createTestDatabase, type TestDatabase } from '../../support/db';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('not reached in time');
    await sleep(20);
  }
}

let tdb: TestDatabase;
const started: ConnectionLeases[] = [];
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterEach(async () => {
  for (const l of started.splice(0)) await l.stop();
});
afterAll(async () => {
  await tdb.destroy();
});

/** Two workers' gates on one key: requests of both counted together, as Mailchimp counts them. */
function flood(gates: ConnectionGate[], perGate: number, workMs: number) {
  let inFlight = 0;
  let max = 0;
  const done = gates.map(() => 0);
  const all = gates.flatMap((gate, g) => Array.from({ length: perGate }, () => gate.run(async () => {
    inFlight += 1;
    max = Math.max(max, inFlight);
    await sleep(workMs);
    inFlight -= 1;
    done[g] += 1;
  })));
  return { finished: Promise.all(all), max: () => max, done };
}

const options = (key: string, gate: ConnectionGate) => ({ db: tdb.db, apiKey: key, total: 10, requestTimeoutMs: 300, tickMs: 100, ttlMs: 500, gate });

describe('connection leases shared by workers of one database', () => {
  it('two busy workers never have more than the key\'s 10 in flight together, and both work', async () => {
    const key = `k-${Date.now()}-a`;
    const a = new ConnectionGate(10);
    const b = new ConnectionGate(10);
    started.push(await startConnectionLeases(options(key, a)), await startConnectionLeases(options(key, b)));
    const run = flood([a, b], 150, 15);
    await run.finished;
    expect(run.max()).toBeLessThanOrEqual(10);
    expect(run.done).toEqual([150, 150]);
    const held = (await tdb.db('mc_connection_slots').where({ key_id: keyIdOf(key) }).whereNotNull('holder').count('* as n').first()) as { n: number | string };
    expect(Number(held.n)).toBeLessThanOrEqual(10);
  });

  it('a lone worker gets all 10; an idle second one keeps one, and takes its share when it gets busy', async () => {
    const key = `k-${Date.now()}-b`;
    const a = new ConnectionGate(10);
    const leaseA = await startConnectionLeases(options(key, a));
    started.push(leaseA);
    expect(leaseA.held()).toBe(10);
    const b = new ConnectionGate(10);
    const leaseB = await startConnectionLeases(options(key, b));
    started.push(leaseB);
    // A is busy: it gives B one slot (B's guaranteed one) and keeps nine.
    const busyA = flood([a], 800, 20);
    await eventually(() => leaseA.held() === 9 && leaseB.held() === 1);
    // B gets busy too: within a few ticks each has half.
    const busyB = flood([b], 800, 20);
    await eventually(() => leaseA.held() === 5 && leaseB.held() === 5);
    expect(busyA.done[0]).toBeLessThan(800);
    await Promise.all([busyA.finished, busyB.finished]);
  });

  it('a killed worker\'s slots are taken over only after its lease and its request timeout', async () => {
    const key = `k-${Date.now()}-c`;
    const keyId = keyIdOf(key);
    // A worker that died a moment ago holding every slot, with a 600 ms request timeout.
    await tdb.db('mc_connection_slots').insert(Array.from({ length: 10 }, (_, slot) => ({
      key_id: keyId, slot, holder: 'dead:1', expires_at: tdb.db.raw('NOW(3)'), grace_ms: 600,
    })));
    const gate = new ConnectionGate(10);
    const leases = await startConnectionLeases(options(key, gate));
    started.push(leases);
    expect(leases.held()).toBe(0);
    let sent = false;
    const first = gate.run(async () => {
      sent = true;
    });
    await sleep(300);
    expect(sent).toBe(false);
    await first;
    expect(leases.held()).toBeGreaterThanOrEqual(1);
  });

  it('stop frees every slot', async () => {
    const key = `k-${Date.now()}-d`;
    const leases = await startConnectionLeases(options(key, new ConnectionGate(10)));
    await leases.stop();
    const held = (await tdb.db('mc_connection_slots').where({ key_id: keyIdOf(key) }).whereNotNull('holder').count('* as n').first()) as { n: number | string };
    expect(Number(held.n)).toBe(0);
  });
});
