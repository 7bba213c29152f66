import { connectTemporalClient, temporalTarget } from '../../../config/temporal';
import { scheduleId, SCAN_SCOPES } from '../../../client/schedules';
import { fullResyncWorkflowId } from '../../../workflows/contract';
import type { DoctorCheck } from '../../../client/cli/commands/doctor';
import { createMailchimpClient } from '../../../mailchimp';
import { customerIdForEmail } from '../../../mapping/ids';
import * as shop from '../../support/shop';
import { startSyncHarness, TEST_API_KEY, type SyncHarness } from '../../support/sync-harness';
import { cli } from './support';

/** `mcsync doctor`, `show`, `--version`, JSON errors, TEMPORAL_UI_URL and SYNC_SOURCE=stripe against the real stack. */

let h: SyncHarness;
let shoe: { id: number; code: string; skus: string[] };
const checks = (run: { json: <T>() => T }) => run.json<{ ok: boolean; checks: DoctorCheck[] }>().checks;
const verdict = (list: DoctorCheck[], name: string) => list.find((c) => c.name === name);

beforeAll(async () => {
  h = await startSyncHarness();
  shoe = await shop.product(h.t.db, { title: 'Doctor shoe' }, [{ sku: `DOC-${Date.now()}`, price: '10.00' }]);
  // The first full sync creates the Mailchimp store; single entity syncs need it.
  expect((await cli(h, ['resync'])).code).toBe(0);
});
afterAll(async () => {
  await h.client.workflow.getHandle(fullResyncWorkflowId(`${h.config.storeId}_stripe`)).terminate('test over').catch(() => undefined);
  await h.stop();
});

describe('mcsync doctor', () => {
  it('passes on a healthy stack, with a hint for the missing webhook secret', async () => {
    const run = await cli(h, ['doctor', '--json'], { env: { ...process.env, WEBHOOK_SECRET: '' } });
    expect(run.code).toBe(0);
    const list = checks(run);
    expect(list.map((c) => c.name)).toEqual([
      'configuration', 'database migrations', 'temporal', 'temporal search attributes', 'temporal workers',
      'mailchimp key', 'mailchimp audience', 'store currency', 'audience webhook',
    ]);
    expect(list.filter((c) => c.verdict !== 'ok').map((c) => [c.name, c.verdict])).toEqual([['audience webhook', 'warn']]);
    expect(verdict(list, 'temporal workers')?.detail).toContain(`polling task queue ${h.config.taskQueue}`);
    expect(verdict(list, 'mailchimp audience')?.detail).toContain('double opt-in off');
    const human = await cli(h, ['doctor'], { env: { ...process.env, WEBHOOK_SECRET: '' } });
    expect(human.out).toMatch(/hint \(audience webhook\): set WEBHOOK_SECRET/);
  });

  it('fails with a fix for a bad variable, a missing audience, a queue nobody polls', async () => {
    const run = await cli(h, ['doctor', '--json'], {
      env: { ...process.env, OPT_IN_TIMEOUT: 'soon' },
      config: { ...h.config, namespace: temporalTarget().namespace, temporalAddress: temporalTarget().connectionOptions.address, uiPort: 8233, syncInterval: '1h', listId: 'nosuchlist', taskQueue: 'nobody-polls-this' },
    });
    expect(run.code).toBe(1);
    const list = checks(run);
    expect(verdict(list, 'configuration OPT_IN_TIMEOUT')).toMatchObject({ verdict: 'fail', fix: expect.stringContaining('set OPT_IN_TIMEOUT to a duration') });
    expect(verdict(list, 'temporal workers')).toMatchObject({ verdict: 'fail', fix: expect.stringContaining('npm run worker') });
    expect(verdict(list, 'mailchimp audience')).toMatchObject({ verdict: 'fail', detail: 'audience nosuchlist does not exist', fix: expect.stringContaining('MAILCHIMP_LIST_ID') });
  });

  it('fails on a key Mailchimp refuses, and on a store in another currency than the shop', async () => {
    const wrongKey = createMailchimpClient({ apiKey: ['0'.repeat(32), 'us1'].join('-'), baseUrl: `${h.emulatorUrl}/3.0` });
    try {
      const run = await cli(h, ['doctor', '--json'], { mailchimp: wrongKey });
      expect(run.code).toBe(1);
      expect(verdict(checks(run), 'mailchimp key')).toMatchObject({ verdict: 'fail', detail: expect.stringContaining('refused (401)'), fix: expect.stringContaining('MAILCHIMP_API_KEY') });
    } finally {
      wrongKey.close();
    }
    const euroStore = `${h.config.storeId}_eur`;
    await h.mailchimp.createStore({ id: euroStore, list_id: h.config.listId, name: 'Euro', currency_code: 'EUR' });
    const run = await cli(h, ['doctor', '--json'], { config: { ...h.config, storeId: euroStore, namespace: temporalTarget().namespace, temporalAddress: temporalTarget().connectionOptions.address, uiPort: 8233, syncInterval: '1h' } });
    expect(run.code).toBe(1);
    expect(verdict(checks(run), 'store currency')).toMatchObject({ verdict: 'fail', detail: `Mailchimp store ${euroStore} is in EUR, the shop in USD` });
  });

  it('exits 3 when Temporal cannot be reached', async () => {
    const run = await cli(h, ['doctor', '--json'], { temporal: undefined, config: { ...h.config, namespace: 'default', temporalAddress: '127.0.0.1:1', uiPort: 8233, syncInterval: '1h' } });
    expect(run.code).toBe(3);
    expect(verdict(checks(run), 'temporal')).toMatchObject({ verdict: 'unreachable', fix: expect.stringContaining('TEMPORAL_ADDRESS') });
  });
});

describe('mcsync show', () => {
  it("prints a synced entity's state, Mailchimp's copy and its Web UI link (TEMPORAL_UI_URL)", async () => {
    expect((await cli(h, ['sync', 'product', shoe.code])).code).toBe(0);
    const config = { ...h.config, namespace: temporalTarget().namespace, temporalAddress: temporalTarget().connectionOptions.address, uiPort: 8233, syncInterval: '1h' };
    const run = await cli(h, ['show', 'product', shoe.code, '--json'], { config: { ...config, uiUrl: 'https://temporal.example.com/' } });
    expect(run.code).toBe(0);
    const workflowId = `${h.config.storeId}:product:${shoe.id}`;
    expect(run.json()).toMatchObject({
      type: 'product', entityId: String(shoe.id),
      syncState: { status: 'synced', remoteId: shoe.code, errorReason: null },
      mailchimp: { id: shoe.code, title: 'Doctor shoe' },
      workflow: { id: workflowId, status: 'COMPLETED', url: `https://temporal.example.com/namespaces/${temporalTarget().namespace}/workflows/${encodeURIComponent(workflowId)}` },
    });
    const human = await cli(h, ['show', 'product', String(shoe.id)]);
    expect(human.out).toContain('sync state: synced');
    expect(human.out).toContain('"title": "Doctor shoe"');
  });

  it('shows a failed entity with its reason and exits 1; one never synced has no state', async () => {
    const email = `broken@@${Date.now()}.example.com`;
    await shop.user(h.t.db, { email });
    expect((await cli(h, ['sync', 'customer', email])).code).toBe(1);
    const run = await cli(h, ['show', 'customer', email, '--json']);
    expect(run.code).toBe(1);
    expect(run.json()).toMatchObject({ entityId: customerIdForEmail(email), syncState: { status: 'failed', errorReason: expect.stringMatching(/.+/) }, mailchimp: null });
    const never = await cli(h, ['show', 'order', '999999', '--json']);
    expect(never.code).toBe(0);
    expect(never.json()).toMatchObject({ syncState: null, mailchimp: null, workflow: { status: null } });
  });
});

describe('mcsync everywhere', () => {
  it('prints its version', async () => {
    const run = await cli(h, ['--version']);
    expect(run.code).toBe(0);
    expect(run.out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('refuses a bad configuration with exit 2 naming the variable, as JSON with --json, secrets masked', async () => {
    const key = ['a'.repeat(20), 'nodc'].join('-');
    const run = await cli(h, ['status', '--json'], { env: { ...process.env, MAILCHIMP_API_KEY: key, BACKFILL_MODE: 'turbo' } });
    expect(run.code).toBe(2);
    const { error } = run.json<{ error: { kind: string; problems: Array<{ name: string; shown: string }> } }>();
    expect(error.kind).toBe('configuration');
    expect(error.problems.map((p) => p.name).sort()).toEqual(['BACKFILL_MODE', 'MAILCHIMP_API_KEY']);
    expect(run.out).not.toContain(key);
    const human = await cli(h, ['status'], { env: { ...process.env, BACKFILL_MODE: 'turbo' } });
    expect(human.code).toBe(2);
    expect(human.err).toContain('BACKFILL_MODE="turbo" is not allowed: use one of direct, batch');
  });

  it('reports usage and service errors as JSON with --json', async () => {
    const usage = await cli(h, ['frobnicate', '--json']);
    expect(usage.code).toBe(2);
    expect(usage.json()).toEqual({ error: { kind: 'usage', exitCode: 2, message: "unknown command 'frobnicate'" } });
    expect(usage.err).toBe('');
    const down = await cli(h, ['errors', '--json'], { db: undefined, env: { ...process.env, DATABASE_URL: 'mysql://nobody:s3cr3tpass@127.0.0.1:1/none' } });
    expect(down.code).toBe(3);
    expect(down.json()).toMatchObject({ error: { kind: 'unreachable', exitCode: 3, message: expect.stringContaining('Cannot reach the database') } });
    expect(down.out).not.toContain('s3cr3tpass');
  });

  it('connects to Temporal through config/temporal.ts when no client is injected', async () => {
    const client = await connectTemporalClient();
    await client.connection.close();
    const run = await cli(h, ['show', 'product', shoe.code, '--json'], { temporal: undefined });
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({ workflow: { status: 'COMPLETED' } });
  });

  it('with SYNC_SOURCE=stripe creates no change-scan schedules', async () => {
    const storeId = `${h.config.storeId}_stripe`;
    const config = { ...h.config, storeId, namespace: temporalTarget().namespace, temporalAddress: temporalTarget().connectionOptions.address, uiPort: 8233, syncInterval: '1h', sourceName: 'stripe' };
    const off = await cli(h, ['disable', '--json'], { config });
    expect(off.code).toBe(0);
    expect(off.json()).toMatchObject({ enabled: false, schedulesCreated: [] });
    const on = await cli(h, ['enable', '--json'], { config });
    expect(on.code).toBe(0);
    expect(on.json()).toMatchObject({ enabled: true, schedulesCreated: [] });
    const again = await cli(h, ['disable'], { config });
    expect(again.out).toContain('Mailchimp sync is OFF');
    for (const scope of SCAN_SCOPES) await expect(h.client.schedule.getHandle(scheduleId(storeId, scope)).describe()).rejects.toThrow();
  });
});

it('uses the key the harness gave the emulator', () => {
  expect(TEST_API_KEY).toMatch(/-us1$/);
});
