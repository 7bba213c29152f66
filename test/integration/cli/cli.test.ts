import { fullResyncWorkflowId } from '../../../workflows/contract';
import { scheduleId, SCAN_SCOPES } from '../../../client/schedules';
import type { Drift, TypeSummary } from '../../../client/reconcile/compare';
import { customerIdForEmail } from '../../../mapping/ids';
import { createMailchimpClient } from '../../../mailchimp';
import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { cli } from './support';

describe('mcsync CLI on the real stack', () => {
  let h: SyncHarness;
  let shoe: { id: number; code: string; skus: string[] };
  let paid: { id: number; number: string };
  const extras: Array<{ id: number; code: string }> = [];
  const store = () => `/ecommerce/stores/${h.config.storeId}`;

  beforeAll(async () => {
    h = await startSyncHarness();
    const { db } = h.t;
    shoe = await shop.product(db, { title: 'Red shoe' }, [{ sku: `SHOE-${Date.now()}`, price: '59.90' }]);
    const book = await shop.product(db, { title: 'A book' });
    const ada = await shop.user(db, { email: `ada${Date.now()}@example.com` });
    await shop.promotion(db, { amount: '10' }, [{ code: `TEN${Date.now()}` }]);
    paid = await shop.order(db, { user_id: ada.id, order_total: '69.90', tax_total: '5.00' }, [{ product_id: shoe.id, variant_id: null, unit_price: '59.90' }, { product_id: book.id }]);
    await shop.order(db, { guest_email: 'later@example.org', status: 'pending' }, [{ product_id: book.id }]);
  });
  afterAll(async () => {
    for (const scope of SCAN_SCOPES) await h.client.schedule.getHandle(scheduleId(h.config.storeId, scope)).delete().catch(() => undefined);
    await h.stop();
  });

  it('answers usage errors with exit 2 and documents the exit codes', async () => {
    const help = await cli(h, ['reconcile', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/Exit codes:[\s\S]*3 +a service cannot be reached/);
    expect((await cli(h, ['sync', 'widget', '1'])).code).toBe(2);
    const badType = await cli(h, ['errors', '--type', 'gadgets']);
    expect(badType.code).toBe(2);
    expect(badType.err).toContain('Unknown type "gadgets"');
    expect((await cli(h, ['frobnicate'])).code).toBe(2);
  });

  it('exits 3 with a clear message when Temporal or the database cannot be reached', async () => {
    const noTemporal = await cli(h, ['resync', '--detach'], { temporal: undefined, config: { ...h.config, namespace: 'default', temporalAddress: '127.0.0.1:1', uiPort: 8233, syncInterval: '1h' } });
    expect(noTemporal.code).toBe(3);
    expect(noTemporal.err).toContain('Cannot reach Temporal at 127.0.0.1:1');
    const noDb = await cli(h, ['errors'], { db: undefined, env: { ...process.env, DATABASE_URL: 'mysql://nobody:x@127.0.0.1:1/none' } });
    expect(noDb.code).toBe(3);
    expect(noDb.err).toContain('Cannot reach the database');
  });

  it('disable pauses the schedules; enable unpauses them and starts the first full sync', async () => {
    const off = await cli(h, ['disable']);
    expect(off.code).toBe(0);
    expect((await h.t.db('shop_settings').where({ name: 'mailchimp_sync_enabled' }).first()).value).toBe('0');
    for (const scope of SCAN_SCOPES) expect((await h.client.schedule.getHandle(scheduleId(h.config.storeId, scope)).describe()).state.paused).toBe(true);

    const on = await cli(h, ['enable', '--json']);
    expect(on.code).toBe(0);
    expect(on.json()).toMatchObject({ enabled: true, schedulesPaused: false, firstFullSyncStarted: true, workflowId: fullResyncWorkflowId(h.config.storeId) });
    expect((await h.t.db('shop_settings').where({ name: 'mailchimp_sync_enabled' }).first()).value).toBe('1');
    for (const scope of SCAN_SCOPES) expect((await h.client.schedule.getHandle(scheduleId(h.config.storeId, scope)).describe()).state.paused).toBe(false);
    const result = (await h.client.workflow.getHandle(fullResyncWorkflowId(h.config.storeId)).result()) as { done: boolean };
    expect(result.done).toBe(true);
    expect(await remote(h, `${store()}/orders/${paid.number}`)).not.toBeNull();

    const again = await cli(h, ['enable', '--json']);
    expect(again.json()).toMatchObject({ firstFullSyncStarted: false, schedulesCreated: [] });
  });

  it('status reports counts, is_syncing, schedules and the last full resync', async () => {
    const run = await cli(h, ['status', '--json']);
    expect(run.code).toBe(0);
    const status = run.json<{
      enabled: boolean; firstFullSyncDone: boolean; store: { exists: boolean; isSyncing: boolean };
      entities: Array<{ type: string; shop: number; synced: number; failed: number }>;
      schedules: Array<{ id: string; paused: boolean; nextRun: string | null }>; fullResync: { status: string };
    }>();
    expect(status).toMatchObject({ enabled: true, firstFullSyncDone: true, store: { exists: true, isSyncing: false }, fullResync: { status: 'COMPLETED' } });
    expect(status.entities.find((e) => e.type === 'product')).toMatchObject({ shop: 2, synced: 2, failed: 0 });
    expect(status.entities.find((e) => e.type === 'order')).toMatchObject({ shop: 2, synced: 1 });
    expect(status.schedules).toHaveLength(SCAN_SCOPES.length);
    expect(status.schedules.every((s) => s.paused === false && s.nextRun !== null)).toBe(true);
    const human = await cli(h, ['status']);
    expect(human.out).toMatch(/sync ENABLED/);
    expect(human.out).toMatch(/is_syncing false/);

    // Mailchimp down: the rest is still shown, and the exit code says a service is unreachable.
    const down = createMailchimpClient({ apiKey: 'test-emulator-key-us1', baseUrl: 'http://127.0.0.1:1/3.0', timeoutMs: 2000 });
    try {
      const partial = await cli(h, ['status'], { mailchimp: down });
      expect(partial.code).toBe(3);
      expect(partial.out).toContain('Mailchimp cannot be reached');
      expect(partial.out).toMatch(/product +\d+ +\d+/);
      expect(partial.err).toContain('Cannot reach Mailchimp');
    } finally {
      down.close();
    }
  });

  it('resync follows the progress with a bar until done; --detach prints the id and the Web UI URL', async () => {
    for (let i = 0; i < 4; i++) extras.push(await shop.product(h.t.db, { title: `Extra ${i}` }));
    const run = await cli(h, ['resync', '--type', 'products', '--page-size', '1']);
    expect(run.code).toBe(0);
    const lines = run.err.split('\n').filter((l) => /^\[[#-]+\] +\d+% /.test(l));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[lines.length - 1]).toMatch(/100% 6\/6 done/);
    expect(run.err).toContain('Full resync done');
    expect(run.out).toMatch(/product +\d+ +\d+/);

    const detached = await cli(h, ['resync', '--detach', '--json']);
    expect(detached.code).toBe(0);
    const id = fullResyncWorkflowId(h.config.storeId);
    expect(detached.json()).toMatchObject({ workflowId: id, url: `http://127.0.0.1:8233/namespaces/default/workflows/${encodeURIComponent(id)}` });
    await h.client.workflow.getHandle(id).result();
  });

  it('sync syncs one entity now; a customer by e-mail', async () => {
    await h.t.db('products').where({ id: shoe.id }).update({ title: 'Blue shoe' });
    const run = await cli(h, ['sync', 'product', shoe.code]);
    expect(run.code).toBe(0);
    expect(run.out).toContain(`product ${shoe.id}: synced`);
    expect((await remote<{ title: string }>(h, `${store()}/products/${shoe.code}`))?.title).toBe('Blue shoe');

    const byNumber = await cli(h, ['sync', 'order', paid.number, '--json']);
    expect(byNumber.code).toBe(0);
    expect(byNumber.json()).toMatchObject({ type: 'order', entityId: String(paid.id), workflowId: `${h.config.storeId}:order:${paid.id}` });

    const email = `bob${Date.now()}@example.com`;
    await shop.user(h.t.db, { email, first_name: 'Bob' });
    const customer = await cli(h, ['sync', 'customer', email.toUpperCase(), '--json']);
    expect(customer.code).toBe(0);
    expect(customer.json()).toMatchObject({ type: 'customer', entityId: customerIdForEmail(email), status: 'synced' });
  });

  it('sync of a customer on a double opt-in audience returns once the workflow waits for the confirmation', async () => {
    expect((await h.http.post(`/_emulator/lists/${h.config.listId}/settings`, { double_optin: true })).status).toBe(200);
    const email = `carol${Date.now()}@example.com`;
    await shop.user(h.t.db, { email, marketing_opt_in: true });
    try {
      const run = await cli(h, ['sync', 'customer', customerIdForEmail(email)]);
      expect(run.code).toBe(0);
      expect(run.out).toContain('waits for the double opt-in confirmation');
      const d = await h.client.workflow.getHandle(`${h.config.storeId}:customer:${customerIdForEmail(email)}`).describe();
      expect(d.status.name).toBe('RUNNING');
    } finally {
      await h.client.workflow.getHandle(`${h.config.storeId}:customer:${customerIdForEmail(email)}`).terminate('test done').catch(() => undefined);
      await h.http.post(`/_emulator/lists/${h.config.listId}/settings`, { double_optin: false });
    }
  });

  it('errors lists a failed entity with its reason; retry-failed succeeds once the data is fixed', async () => {
    const bad = await shop.product(h.t.db, { title: 'Euro only' }, [{ sku: `EUR-${Date.now()}`, currency: 'EUR' }]);
    const sync = await cli(h, ['sync', 'product', String(bad.id)]);
    expect(sync.code).toBe(1);
    expect(sync.out).toContain('priced in EUR');

    const errors = await cli(h, ['errors', '--type', 'products', '--json']);
    expect(errors.code).toBe(1);
    expect(errors.json<Array<{ type: string; entityId: string; reason: string }>>()).toEqual([
      expect.objectContaining({ type: 'product', entityId: String(bad.id), reason: expect.stringContaining("store's currency is USD") }),
    ]);
    expect((await cli(h, ['errors'])).out).toMatch(new RegExp(`product +${bad.id} +\\d+ .*priced in EUR`));

    await h.t.db('product_variants').where({ product_id: bad.id }).update({ currency: 'USD' });
    const retry = await cli(h, ['retry-failed', '--json']);
    expect(retry.code).toBe(0);
    expect(retry.json()).toMatchObject({ retried: 1, succeeded: 1, failed: 0 });
    expect(await remote(h, `${store()}/products/${bad.code}`)).not.toBeNull();
    const none = await cli(h, ['errors']);
    expect(none.code).toBe(0);
    expect(none.out).toContain('No failed entities');
  });

  it('reconcile finds planted drift and --fix repairs it', async () => {
    const clean = await cli(h, ['reconcile', '--json']);
    expect(clean.json<{ drifts: Drift[] }>().drifts).toEqual([]);
    expect(clean.code).toBe(0);

    const adaId = (paid && (await h.t.db('orders').where({ id: paid.id }).first()).user_id) as string;
    const ada = await h.t.db('users').where({ id: adaId }).first();
    const adaHash = customerIdForEmail(ada.email);
    expect((await h.http.patch(`/3.0${store()}/products/${shoe.code}`, { title: 'Hacked title' })).status).toBe(200);
    expect((await h.http.delete(`/3.0${store()}/orders/${paid.number}`)).status).toBe(204);
    expect((await h.http.patch(`/3.0${store()}/customers/${adaHash}`, { first_name: 'Eve' })).status).toBe(200);
    // Deleted in the shop, no order references it, but no sync ran since: Mailchimp must not have it.
    await h.t.db('products').where({ id: extras[0].id }).update({ status: 'deleted' });

    const drift = await cli(h, ['reconcile', '--json']);
    expect(drift.code).toBe(1);
    const report = drift.json<{ drifts: Drift[]; summaries: TypeSummary[] }>();
    expect(report.drifts).toEqual(expect.arrayContaining([
      expect.objectContaining({ type: 'product', kind: 'field', id: shoe.code, field: 'title', expected: 'Blue shoe', actual: 'Hacked title' }),
      expect.objectContaining({ type: 'order', kind: 'missing', id: paid.number, entityId: String(paid.id) }),
      expect.objectContaining({ type: 'customer', kind: 'field', id: adaHash, field: 'first_name', expected: 'Ada', actual: 'Eve' }),
      expect.objectContaining({ type: 'product', kind: 'extra', id: extras[0].code, entityId: String(extras[0].id) }),
    ]));
    expect(report.drifts).toHaveLength(4);
    expect(report.summaries.find((s) => s.type === 'order')).toMatchObject({ missing: 1 });
    const human = await cli(h, ['reconcile', '--type', 'products']);
    expect(human.code).toBe(1);
    expect(human.out).toMatch(new RegExp(`product +${shoe.code} \\(#${shoe.id}\\) +field +title +"Blue shoe" +"Hacked title"`));

    const fix = await cli(h, ['reconcile', '--fix']);
    expect(fix.code).toBe(0);
    expect(fix.out).toMatch(/After the fix:[\s\S]*No drift/);
    expect((await remote<{ title: string }>(h, `${store()}/products/${shoe.code}`))?.title).toBe('Blue shoe');
    expect(await remote(h, `${store()}/orders/${paid.number}`)).not.toBeNull();
    expect(await remote(h, `${store()}/products/${extras[0].code}`)).toBeNull();
    expect((await remote<{ first_name: string }>(h, `${store()}/customers/${adaHash}`))?.first_name).toBe('Ada');

    const after = await cli(h, ['reconcile', '--json']);
    expect(after.code).toBe(0);
    expect(after.json<{ drifts: Drift[] }>().drifts).toEqual([]);
  });
});
