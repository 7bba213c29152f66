import { format } from 'node:util';
import { generateShop } from '../../../db/seed/generate';
import { writeShop } from '../../../db/seed/write';
import { customerIdForEmail } from '../../../mapping/ids';
import { registerAudienceWebhook } from '../../../webhooks/register';
import type { WebhookServer } from '../../../webhooks/server';
import { startSyncHarness, TEST_API_KEY, type SyncHarness } from '../../support/sync-harness';
import { notify, resync, waitFor } from '../../support/sync-steps';
import { capturedLogger, eventForm, post, startReceiver, storedEvents } from '../webhooks/support';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * A history as searchable text: its JSON, followed by every payload decoded (fetchHistory gives payload bytes as
 * base64 strings, or byte arrays), so a secret inside a workflow input, result, signal or failure is found.
 */
function historyText(history: unknown): string {
  const decoded: string[] = [];
  const raw = JSON.stringify(history, (_key, value: unknown) => {
    if (value instanceof Uint8Array) {
      decoded.push(Buffer.from(value).toString('utf8'));
      return '[bytes]';
    }
    if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)) {
      decoded.push(Buffer.from((value as { data: number[] }).data).toString('utf8'));
      return '[bytes]';
    }
    if (typeof value === 'string' && value.length >= 4 && BASE64.test(value)) decoded.push(Buffer.from(value, 'base64').toString('utf8'));
    return value;
  });
  return `${raw}\n${decoded.join('\n')}`;
}

/**
 * Neither the Mailchimp API key nor the webhook secret may reach Temporal (workflow inputs, results, signals and
 * failures are stored in histories, readable by anyone with UI access) or the logs.
 */
describe('secrets stay out of workflow histories and logs', () => {
  const SECRET = 'sec-6Yq2+Zp/8w-history';
  let h: SyncHarness;
  let server: WebhookServer;
  const logs = capturedLogger([TEST_API_KEY, SECRET]);
  const consoleText: string[] = [];
  const spies: jest.SpyInstance[] = [];

  beforeAll(async () => {
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      const original = console[method].bind(console);
      spies.push(jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        consoleText.push(format(...args));
        original(...args);
      }));
    }
    h = await startSyncHarness();
    await writeShop(h.t.db, generateShop({ seed: 11, products: 6, customers: 12, orders: 15, promotions: 2 }));
    server = await startReceiver(h, SECRET, logs.logger);
  });
  afterAll(async () => {
    await server?.close();
    await h?.stop();
    for (const spy of spies) spy.mockRestore();
  });

  it('after a full sync, webhook registration and events, no history and no log line holds either secret', async () => {
    const users = (await h.t.db('users').orderBy('id').limit(3)) as Array<{ id: string; email: string }>;
    expect(users).toHaveLength(3);
    await h.t.db('users').whereIn('id', users.map((u) => u.id)).update({ marketing_opt_in: 1 });
    await registerAudienceWebhook(h.mailchimp, h.config.listId, server.baseUrl, SECRET);
    await resync(h);

    // Contacts act in Mailchimp: events delivered by the emulator to the receiver.
    const actions: Array<[string, string, Record<string, unknown>]> = [
      ['unsubscribe', 'unsubscribe', {}],
      ['profile', 'profile', { merge_fields: { FNAME: 'Renamed' } }],
      ['clean', 'cleaned', {}],
    ];
    for (const [i, [action]] of actions.entries()) {
      const res = await h.http.post(`/_emulator/lists/${h.config.listId}/members/${customerIdForEmail(users[i].email)}/${action}`, actions[i][2]);
      expect(res.status).toBe(200);
    }
    await h.http.post('/_emulator/webhooks/flush');
    await waitFor('the three events processed', async () => {
      const types = (await storedEvents(h)).filter((e) => e.processed_at !== null).map((e) => e.event_type);
      return actions.every(([, type]) => types.includes(type));
    });
    // A refused call and a replay, so those paths log too.
    expect((await post(server, 'guess', eventForm('unsubscribe', { email: users[0].email }))).status).toBe(401);
    const form = eventForm('profile', { email: users[1].email, list_id: h.config.listId, 'merges][FNAME': 'Again' });
    await post(server, SECRET, form);
    expect(JSON.parse((await post(server, SECRET, form)).body)).toMatchObject({ status: 'replayed' });

    // The unsubscribe and the clean withdrew consent, so their customer workflows run: let them finish.
    const customerIds = [users[0], users[2]].map((u) => `${h.config.storeId}:customer:${customerIdForEmail(u.email)}`);
    for (const id of customerIds) {
      await waitFor(`${id} closed`, async () => (await h.client.workflow.getHandle(id).describe()).status.name === 'COMPLETED');
    }

    // Entity workflows of the immediate path too.
    const product = (await h.t.db('products').orderBy('id').first()) as { id: string };
    const order = (await h.t.db('orders').orderBy('id').first()) as { id: string };
    const entityIds = [await notify(h, 'product', product.id), await notify(h, 'order', order.id)];
    for (const id of entityIds) await h.client.workflow.getHandle(id).result();

    // Every workflow on this test's task queue (visibility is eventually consistent: wait for the known ones).
    const listAll = async () => {
      const ids: Array<{ workflowId: string; runId: string }> = [];
      for await (const wf of h.client.workflow.list({ query: `TaskQueue="${h.config.taskQueue}"` })) ids.push({ workflowId: wf.workflowId, runId: wf.runId });
      return ids;
    };
    const runs = await waitFor('the workflows to be listed', async () => {
      const found = await listAll();
      const names = new Set(found.map((r) => r.workflowId));
      const resyncListed = found.some((r) => r.workflowId.startsWith(`${h.config.storeId}:full-resync:test-`));
      return resyncListed && [...customerIds, ...entityIds].every((id) => names.has(id)) ? found : null;
    });

    let all = '';
    for (const run of runs) {
      const history = await h.client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
      expect(history.events?.length ?? 0).toBeGreaterThan(0);
      all += historyText(history);
    }
    // The decoding works: workflow inputs (payload bytes) are readable as text.
    // Booleans, not toContain: a failure must not print the histories (or the secret) in the test output.
    expect(all.includes('"pageSize":')).toBe(true);
    expect(all.includes('"entityType":"customer"')).toBe(true);
    expect([TEST_API_KEY, SECRET, encodeURIComponent(SECRET)].filter((secret) => all.includes(secret))).toEqual([]);

    const logged = `${logs.text()}\n${consoleText.join('\n')}`;
    expect(logs.text()).toContain('/webhooks/mailchimp/[REDACTED]');
    expect(logs.text()).toContain('webhook event');
    expect([TEST_API_KEY, SECRET, encodeURIComponent(SECRET)].filter((secret) => logged.includes(secret)).length).toBe(0);
  });
});
