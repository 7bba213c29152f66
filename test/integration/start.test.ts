import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import axios from 'axios';
import { SCAN_SCOPES, scheduleId } from '../../client/schedules';
import { keyIdOf } from '../../db/connection-leases';
import { runSeed } from '../../db/seed/main';
import { createTestDatabase, type TestDatabase } from './../support/db';

/** The README's main command, as a new user runs it: twice in a row, stopped with Ctrl-C each time. */

const root = path.resolve(__dirname, '../..');
const API_KEY = 'start-test-key-us1';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 150_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('npm start', () => {
  let t: TestDatabase;
  let port: number;
  let env: NodeJS.ProcessEnv;
  const storeId = `start_${randomBytes(3).toString('hex')}`;
  const stateFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mcsync-start-')), 'emulator.json');

  beforeAll(async () => {
    t = await createTestDatabase();
    await runSeed(t.db, { products: 15, customers: 10, orders: 25, promotions: 3, seed: 7, reset: false, dryRun: false });
    port = await freePort();
    env = {
      ...process.env,
      DATABASE_URL: t.url,
      MAILCHIMP_API_URL: `http://127.0.0.1:${port}/3.0`,
      MAILCHIMP_API_KEY: API_KEY,
      MAILCHIMP_STORE_ID: storeId,
      TEMPORAL_TASK_QUEUE: `start-test-${storeId}`,
      EMULATOR_STATE_FILE: stateFile,
      SYNC_INTERVAL: '2s',
    };
  });
  afterAll(async () => {
    // npm start leaves its schedules on the server, as it should for a shop; a test's store must not linger.
    const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
    const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
    for (const scope of SCAN_SCOPES) await client.schedule.getHandle(scheduleId(storeId, scope)).delete().catch(() => undefined);
    await connection.close();
    await t.destroy();
  });

  const http = () => axios.create({ baseURL: `http://127.0.0.1:${port}`, auth: { username: 'x', password: API_KEY }, validateStatus: () => true });

  async function runUntilSynced(): Promise<{ child: ChildProcess; output: () => string }> {
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['scripts/start.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    await until('the first full sync', async () => {
      const row = await t.db('mc_watermarks').where({ store_id: storeId, entity_type: 'full_sync' }).first();
      return row ? true : undefined;
    });
    return { child, output: () => output };
  }

  async function stop(child: ChildProcess): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    return exited;
  }

  async function stats(): Promise<Record<string, number>> {
    return ((await http().get('/_emulator/stats')).data as { byRoute: Record<string, number> }).byRoute;
  }

  function orderCreates(byRoute: Record<string, number>): string[] {
    return Object.keys(byRoute).filter((route) => route.startsWith('POST') && route.includes('/orders'));
  }

  async function remoteCounts() {
    const count = async (resource: string) => (await http().get(`/3.0/ecommerce/stores/${storeId}/${resource}?count=1`)).data.total_items as number;
    return { products: await count('products'), customers: await count('customers'), orders: await count('orders'), rules: await count('promo-rules') };
  }

  it('syncs the shop, stops cleanly, and a second run changes nothing', async () => {
    const first = await runUntilSynced();
    const store = (await http().get(`/3.0/ecommerce/stores/${storeId}`)).data as { is_syncing: boolean; currency_code: string };
    expect(store).toMatchObject({ is_syncing: false, currency_code: 'USD' });
    const counts = await remoteCounts();
    const paidOrders = Number(((await t.db('orders').whereNot({ status: 'pending' }).count('* as n').first()) as { n: number }).n);
    const failedOrders = Number(((await t.db('mc_sync_state').where({ store_id: storeId, entity_type: 'order', status: 'failed' }).count('* as n').first()) as { n: number }).n);
    expect(counts.orders).toBe(paidOrders - failedOrders);
    expect(counts.products).toBeGreaterThan(0);
    expect(orderCreates(await stats()).length).toBeGreaterThan(0);
    // Its worker is the production one (workers/from-env.ts): it leases its share of the key's connections, so a
    // worker started next to it (npm run worker) never takes the key past MAILCHIMP_MAX_CONNECTIONS with it.
    const holders = () => t.db('mc_connection_holders').where({ key_id: keyIdOf(API_KEY) }).andWhere('expires_at', '>', t.db.raw('NOW(3)')).count('* as n').first()
      .then((row) => Number((row as { n: number | string }).n));
    expect(await holders()).toBe(1);

    expect(await stop(first.child)).toBe(0);
    expect(first.output()).toContain('Stopped.');
    // Stopping freed its connections.
    expect(await holders()).toBe(0);
    // The emulator it started is gone with it.
    await expect(http().get('/_emulator/health')).rejects.toThrow();

    const second = await runUntilSynced();
    // The watermark is the first run's: wait until this run is up (its worker and schedules), then let scans pass.
    await until('the second run to be up', async () => (second.output().includes('Ctrl-C to stop.') ? true : undefined));
    await new Promise((r) => setTimeout(r, 5000)); // two scan intervals pass; their scans find nothing to send
    expect(await remoteCounts()).toEqual(counts);
    expect(orderCreates(await stats())).toEqual([]);
    expect(await stop(second.child)).toBe(0);
  });

  /**
   * Runs `npm start` as a terminal does (its own process group) and presses Ctrl-C when `when` holds of its output:
   * SIGINT to the whole group (npm and Node), as the terminal sends it, `delayMs` after; a second one, if asked, as
   * soon as its worker says it is stopping (a fixed delay could land after it stopped, on npm alone in its last moments).
   */
  async function interrupted(
    when: (output: string) => boolean, twice: boolean, delayMs: number,
  ): Promise<{ code: number | null; signal: string | null; output: string; atCtrlC: string }> {
    // npm itself dies of a second Ctrl-C whatever its script does, so the twice case runs the start script's own
    // command (package.json's, without npm in front): what it proves is that our process stops cleanly.
    const [command, ...args] = twice ? startCommand() : ['npm', 'start'];
    const child = spawn(command as string, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    let atCtrlC: string | undefined;
    let secondSent = false;
    const ctrlC = () => process.kill(-(child.pid as number), 'SIGINT');
    const onData = (d: Buffer) => {
      output += d.toString();
      // The second Ctrl-C the moment its worker says it is stopping (in the same tick: it stops within milliseconds).
      if (twice && atCtrlC !== undefined && !secondSent && output.slice(atCtrlC.length).includes('"state":"STOPPING"')) {
        secondSent = true;
        ctrlC();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    try {
      await until('the moment to press Ctrl-C', async () => (when(output) ? true : undefined), 60_000);
      await new Promise((r) => setTimeout(r, delayMs));
      atCtrlC = output;
      ctrlC();
      const result = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 90_000))]);
      if (twice && !secondSent) throw new Error(`the second Ctrl-C was never sent (its worker never said it was stopping):\n${output}`);
      return { ...(result ?? { code: -1, signal: 'still running after 90 s' }), output, atCtrlC };
    } finally {
      try { process.kill(-(child.pid as number), 'SIGKILL'); } catch { /* the group is gone */ }
    }
  }

  /** package.json's start script as argv (it is `exec node ...`: no shell syntax beyond the exec and the worker's V8 flags, `$(cat workers/node-flags)`). */
  function startCommand(): string[] {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } };
    const flags = fs.readFileSync(path.join(root, 'workers/node-flags'), 'utf8').trim();
    const vars = fs.readFileSync(path.join(root, 'workers/node-env'), 'utf8').trim();
    return pkg.scripts.start.replace(/^exec /, '').replace('$(cat workers/node-flags)', flags).replace('$(cat workers/node-env)', vars).split(/\s+/);
  }

  // One moment each: loading, starting (services, migrations, connections), running, and a second Ctrl-C while it stops.
  it.each([
    ['while it loads', (o: string) => o.includes('scripts/start.ts\n'), false, 500],
    ['while it starts', (o: string) => o.includes('[start] Temporal'), false, 0],
    ['twice, the second while it stops', (o: string) => o.includes('Ctrl-C to stop.'), true, 0],
  ])('a Ctrl-C %s stops it cleanly with exit code 0', async (label, when, twice, delayMs) => {
    const run = await interrupted(when, twice, delayMs);
    // It came at the moment named: still loading (nothing of its own printed yet), or not yet up.
    if (label === 'while it loads') expect(run.atCtrlC).not.toContain('[start]');
    if (label === 'while it starts') expect(run.atCtrlC).not.toContain('Ctrl-C to stop.');
    expect({ code: run.code, signal: run.signal, output: run.code === 0 ? '' : run.output }).toEqual({ code: 0, signal: null, output: '' });
    if (run.output.includes('[start] Temporal')) expect(run.output).toContain('Stopped.');
  }, 200_000);
});
