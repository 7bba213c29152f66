/**
 * The operator runbook (docs/runbook.md), step by step, in the real Temporal Web UI: headless Chromium from Debian
 * driven by playwright-core, against the dev server's UI, a sync worker, MariaDB and the Mailchimp emulator.
 *
 * UPDATE_SCREENSHOTS=1 rewrites the runbook's screenshots in docs/screenshots/; without it nothing is written.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { ensureChromium } from '../../../services/chromium';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { SyncOutcome } from '../../../activities';
import { notifyEntityChanged } from '../../../workflows/start';
import { ensureSchedules, SCAN_SCOPES, scheduleId } from '../../../client/schedules';
import { env, envInt } from '../../../config/env';
import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { waitFor } from '../../support/sync-steps';


/** Without these, Chromium's background connections fail (slowly) on a closed network. */
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const SCREENSHOTS = path.resolve(__dirname, '../../../docs/screenshots');
const WRITE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';
const UI_TIMEOUT = 20_000;

/** The dev server's Web UI: the host of TEMPORAL_ADDRESS, port TEMPORAL_UI_PORT (what services/temporal.ts starts). */
function webUiUrl(): string {
  const address = env('TEMPORAL_ADDRESS');
  const host = address.slice(0, address.lastIndexOf(':')) || '127.0.0.1';
  return `http://${host}:${envInt('TEMPORAL_UI_PORT')}`;
}

async function assertWebUiAnswers(url: string): Promise<void> {
  let problem: string;
  try {
    const res = await fetch(`${url}/api/v1/settings`, { signal: AbortSignal.timeout(5000) });
    if (res.ok) return;
    problem = `HTTP ${res.status}`;
  } catch (err) {
    problem = err instanceof Error ? err.message : String(err);
  }
  throw new Error(
    `The Temporal Web UI does not answer at ${url} (${problem}). This test needs the dev server's UI: ` +
      'run `npm run services` (it starts `temporal server start-dev --ui-port $TEMPORAL_UI_PORT`), or set TEMPORAL_UI_PORT to where it runs.',
  );
}

describe('operator runbook in the Temporal Web UI (headless Chromium)', () => {
  const ui = webUiUrl();
  const ns = env('TEMPORAL_NAMESPACE');
  let h: SyncHarness;
  let store: string;
  let profile: string;
  let browser: BrowserContext;
  let page: Page;
  let good: { id: number; number: string };
  let bad: { id: number; number: string };
  let badWorkflowId: string;

  beforeAll(async () => {
    const executablePath = ensureChromium();
    await assertWebUiAnswers(ui);
    h = await startSyncHarness();
    store = h.config.storeId;
    const { db } = h.t;
    const book = await shop.product(db, { title: 'A book' }, [{ sku: 'BOOK-1', price: '10.00' }]);
    good = await shop.order(db, { guest_email: 'ann@example.org', guest_first_name: 'Ann' }, [{ product_id: book.id }]);
    // The store is in USD: this order can never be sent until its data is fixed.
    bad = await shop.order(db, { guest_email: 'bob@example.org', guest_first_name: 'Bob', currency: 'EUR' }, [{ product_id: book.id }]);
    badWorkflowId = `${store}:order:${bad.id}`;
    // A day apart: no scheduled scan is due while the test runs (an interval fires on multiples of it since the epoch).
    await ensureSchedules(h.client, { storeId: store, taskQueue: h.config.taskQueue, interval: '24h' });
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1400, height: 900 }, timezoneId: 'UTC',
    });
    browser.setDefaultTimeout(UI_TIMEOUT);
    page = browser.pages()[0] ?? (await browser.newPage());
  }, 600_000); // the first run on a new machine installs Chromium from Debian

  afterAll(async () => {
    await browser?.close();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
    if (h) {
      for (const scope of SCAN_SCOPES) await h.client.schedule.getHandle(scheduleId(store, scope)).delete().catch(() => undefined);
      await h.stop();
    }
  });

  async function screenshot(name: string): Promise<void> {
    if (!WRITE_SCREENSHOTS) return;
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, name) });
  }

  /** Waits for `target` to show; on timeout the error says what the page showed instead. */
  async function waitShown(target: Locator, what: string): Promise<Locator> {
    try {
      await target.waitFor({ state: 'visible' });
      return target;
    } catch (err) {
      const shown = await page.locator('main').first().ariaSnapshot({ timeout: 2000 }).catch(() => '(no main element)');
      throw new Error(`The Web UI did not show ${what} at ${page.url()}: ${(err as Error).message.split('\n')[0]}\nThe page showed:\n${shown.slice(0, 3000)}`);
    }
  }

  /** Waits for visible text (the UI is a JS app: it renders after the page has loaded). */
  function see(text: string | RegExp, options: { exact?: boolean } = {}): Promise<Locator> {
    return waitShown(page.getByText(text, options).filter({ visible: true }).first(), `the text ${String(text)}`);
  }

  /** Waits for a code view (the JSON editors and viewers are CodeMirror: one element per token) containing `text`. */
  async function seeCode(text: string): Promise<void> {
    await waitShown(page.locator('.cm-content').filter({ hasText: text }).filter({ visible: true }).first(), `JSON containing ${text}`);
  }

  /** Waits for a workflow or schedule status badge ("Failed", "Completed", "Running", "Paused"). */
  async function seeStatus(name: string): Promise<void> {
    await waitShown(page.getByRole('status').filter({ hasText: new RegExp(`^\\s*${name}\\s*$`) }).first(), `the status ${name}`);
  }

  /** Opens `url` and reloads until `ready` shows (the visibility store may trail the server by a moment). */
  async function openUntil(url: string, ready: () => Locator, ms = 30_000): Promise<void> {
    const deadline = Date.now() + ms;
    for (;;) {
      await page.goto(url);
      try {
        await ready().waitFor({ state: 'visible', timeout: 5000 });
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
      }
    }
  }

  /** Opens the latest run of a workflow (the UI redirects to /<runId>/timeline), then the named tab. */
  async function openWorkflow(workflowId: string, tab?: string): Promise<void> {
    await page.goto(`${ui}/namespaces/${ns}/workflows/${encodeURIComponent(workflowId)}`);
    await page.waitForURL(/\/workflows\/[^/]+\/[0-9a-f-]{36}\//);
    await see(workflowId, { exact: true });
    if (tab) await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
  }

  it('starts a full resync from the Start Workflow form with one JSON object, and shows its progress query', async () => {
    const workflowId = `${store}:full-resync`;
    const prefilled = new URLSearchParams({ workflowId, taskQueue: h.config.taskQueue, workflowType: 'fullResyncWorkflow' });
    await page.goto(`${ui}/namespaces/${ns}/workflows/start-workflow?${prefilled}`);
    await see('Single JSON payload supported.');
    expect(await page.locator('#workflowId').inputValue()).toBe(workflowId);
    expect(await page.locator('#taskQueue').inputValue()).toBe(h.config.taskQueue);
    expect(await page.locator('#workflowType').inputValue()).toBe('fullResyncWorkflow');
    await see('Task Queue is Active'); // the UI checks the queue has a worker polling it
    await page.getByRole('textbox', { name: 'Data' }).click();
    await page.keyboard.insertText(JSON.stringify({ storeId: store, types: 'all' }));
    await page.getByRole('heading', { name: 'Start Workflow' }).click(); // leaving the editor formats the JSON when it parses
    await seeCode(`"storeId": "${store}", "types": "all"`);
    await screenshot('01-start-full-resync.png');
    await page.getByTestId('start-workflow-button').click();
    await see('Workflow started successfully');

    const progress = await h.client.workflow.getHandle(workflowId).result();
    expect(progress).toMatchObject({ done: true, phases: ['product', 'promo_rule', 'promo_code', 'customer', 'order', 'cart'] });
    expect(progress.counts.order).toMatchObject({ synced: 1, failed: 1 });

    await openWorkflow(workflowId, 'Queries');
    await seeStatus('Completed');
    await page.getByRole('button', { name: 'Run Query' }).click();
    await seeCode(`"pages": ${progress.pages}`);
    await screenshot('02-resync-progress-query.png');
    // The editor draws only the lines in view: unformatted, the whole answer is one line.
    await page.getByText('JSON Formatting', { exact: true }).click();
    await seeCode(`"order":{"synced":1,"unchanged":0,"skipped":0,"failed":1,"deleted":0,"paused":0},"cart":${JSON.stringify(progress.counts.cart)}},"done":true}`);
  });

  it('lists the failed order workflow when filtered by EntityType, ExecutionStatus and StoreId', async () => {
    const target = { storeId: store, taskQueue: h.config.taskQueue };
    const goodId = await notifyEntityChanged(h.client, target, 'order', String(good.id));
    // Not notified here: the full resync above could not send it, so it already is a failed workflow of its own.
    expect(await h.client.workflow.getHandle<() => Promise<SyncOutcome>>(goodId).result()).toMatchObject({ status: 'unchanged' });
    const failure = await h.client.workflow.getHandle(badWorkflowId).result().catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause?.message).toBe(`Order ${bad.number} was not sent: it is in EUR but the store's currency is USD`);

    const query = `EntityType="order" AND ExecutionStatus="Failed" AND StoreId="${store}"`;
    const rowLink = () => page.getByRole('link', { name: badWorkflowId, exact: true });
    await openUntil(`${ui}/namespaces/${ns}/workflows?query=${encodeURIComponent(query)}`, rowLink);
    await see('1 Workflow');
    await see(`StoreId = "${store}"`); // the query became the filter chips
    expect(await page.getByRole('link', { name: goodId, exact: true }).count()).toBe(0);
    await screenshot('03-failed-order-workflows.png');

    await rowLink().click();
    await page.waitForURL(/\/workflows\/[^/]+\/[0-9a-f-]{36}\//);
    await seeStatus('Failed');
    await seeCode(`Order ${bad.number} was not sent: it is in EUR but the store's currency is USD`);
    await seeCode('"type": "EntitySyncFailed"');
    await screenshot('04-failure-reason.png');

    await page.getByRole('tab', { name: 'Memo' }).click();
    await seeCode(`"entity": "order ${bad.id}"`);
    await seeCode(`"store": "${store}"`);
    await screenshot('05-memo.png');
  });

  it('retries the fixed order with "Start Workflow Like This One": same id, input and search attributes', async () => {
    await h.t.db('orders').where({ id: bad.id }).update({ currency: 'USD' });
    await openWorkflow(badWorkflowId);
    await seeStatus('Failed');
    await page.getByRole('button', { name: 'More Actions' }).click();
    await page.getByRole('menuitem', { name: 'Start Workflow Like This One' }).click();
    await see('Single JSON payload supported.');
    await seeCode(`"entityId": "${bad.id}"`);
    expect(await page.locator('#workflowId').inputValue()).toBe(badWorkflowId);
    expect(await page.locator('#workflowType').inputValue()).toBe('entitySyncWorkflow');
    const attributes = page.getByTestId('custom-search-attribute-value');
    await attributes.first().waitFor();
    expect((await Promise.all((await attributes.all()).map((input) => input.inputValue()))).sort()).toEqual([String(bad.id), 'order', store].sort());
    await screenshot('06-retry-start-like-this-one.png');
    await page.getByTestId('start-workflow-button').click();
    await see('Workflow started successfully');

    const outcome = await h.client.workflow.getHandle<() => Promise<SyncOutcome>>(badWorkflowId).result();
    expect(outcome).toMatchObject({ status: 'synced' });
    expect(await remote(h, `/ecommerce/stores/${store}/orders/${bad.number}`)).toMatchObject({ id: bad.number, currency_code: 'USD' });
    // Visibility follows the run's end a moment later: wait until the list shows it closed.
    const runs = await waitFor('both runs listed as closed', async () => {
      const listed: string[] = [];
      for await (const wf of h.client.workflow.list({ query: `WorkflowId="${badWorkflowId}" AND EntityType="order" AND StoreId="${store}"` })) listed.push(wf.status.name);
      return listed.includes('RUNNING') ? null : listed;
    });
    expect(runs.sort()).toEqual(['COMPLETED', 'FAILED']);
  });

  it('lists the five schedules of the store and pauses one with a reason', async () => {
    const ids = SCAN_SCOPES.map((scope) => scheduleId(store, scope));
    expect(ids).toEqual([`${store}-sync-products`, `${store}-sync-promotions`, `${store}-sync-customers`, `${store}-sync-orders`, `${store}-sync-carts`]);
    await openUntil(
      `${ui}/namespaces/${ns}/schedules?query=${encodeURIComponent(`ScheduleId STARTS_WITH "${store}"`)}`,
      () => page.getByText(ids[3], { exact: true }).first(),
    );
    for (const id of ids) await see(id);
    expect(await page.getByText('changeScanWorkflow', { exact: true }).count()).toBe(ids.length);
    await screenshot('07-schedules.png');

    await page.getByText(ids[3], { exact: true }).first().click();
    await page.waitForURL(`**/schedules/${ids[3]}`);
    await see('Finds orders changed in the shop database and syncs them to Mailchimp.');
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    const dialog = page.getByRole('dialog').filter({ hasText: 'Pause Schedule?' });
    await dialog.getByRole('textbox').fill('Mailchimp outage, see status page');
    await dialog.getByRole('button', { name: 'Pause', exact: true }).click();
    await see('Paused', { exact: true });
    await page.getByRole('button', { name: 'Unpause', exact: true }).waitFor();
    await screenshot('08-schedule-paused.png');

    const paused = await h.client.schedule.getHandle(ids[3]).describe();
    expect(paused.state).toMatchObject({ paused: true, note: 'Mailchimp outage, see status page' });
    const others = await Promise.all(ids.slice(0, 3).map((id) => h.client.schedule.getHandle(id).describe()));
    expect(others.map((d) => d.state.paused)).toEqual([false, false, false]);
  });

  it('during a Mailchimp outage an entity workflow stays Running with the last failure in Pending Activities, then drains', async () => {
    const book = await shop.product(h.t.db, { title: 'Outage book' }, [{ price: '10.00' }]);
    const late = await shop.order(h.t.db, { guest_email: 'cy@example.org', guest_first_name: 'Cy' }, [{ product_id: book.id }]);
    await h.http.post('/_emulator/config', { faults: { outage: true } });
    let workflowId = '';
    try {
      workflowId = await notifyEntityChanged(h.client, { storeId: store, taskQueue: h.config.taskQueue }, 'order', String(late.id));
      const handle = h.client.workflow.getHandle(workflowId);
      const deadline = Date.now() + 30_000;
      for (;;) {
        const pending = (await handle.describe()).raw.pendingActivities ?? [];
        if ((pending[0]?.attempt ?? 0) >= 3) break;
        if (Date.now() > deadline) throw new Error(`the activity never retried during the outage: ${JSON.stringify(pending)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      await openWorkflow(workflowId, 'Pending Activities');
      await seeStatus('Running');
      await see('syncEntityNow');
      await see(/503/);
      await screenshot('09-outage-pending-activity.png');
      expect((await handle.describe()).status.name).toBe('RUNNING');
    } finally {
      await h.http.post('/_emulator/config', { faults: { outage: false } });
    }
    // Nothing lost: the next retry (backoff at most 30 s; here a few seconds) sends the order.
    const outcome = await h.client.workflow.getHandle<() => Promise<SyncOutcome>>(workflowId).result();
    expect(outcome).toMatchObject({ status: 'synced' });
    expect(await remote(h, `/ecommerce/stores/${store}/orders/${late.number}`)).toMatchObject({ id: late.number });
  });
});
