import { customerIdForEmail } from '../../../mapping/ids';
import { registerAudienceWebhook, webhookUrl } from '../../../webhooks/register';
import type { WebhookServer } from '../../../webhooks/server';
import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { notify, resync, storePath, waitFor } from '../../support/sync-steps';
import { audienceRow, capturedLogger, optIn, startReceiver, storedEvents } from './support';

interface CustomerResult {
  outcome: { status: string } | null;
  consent: string;
}

/**
 * The whole loop: the receiver registered on the emulator's audience through the API, contacts changed in
 * "Mailchimp" (emulator control routes), the events delivered to the receiver, and the sync afterwards.
 */
describe('audience webhooks from the emulator', () => {
  const SECRET = 'flow-secret-0c9d1e';
  let h: SyncHarness;
  let server: WebhookServer;
  const logs = capturedLogger([SECRET]);

  beforeAll(async () => {
    h = await startSyncHarness();
    await resync(h);
    server = await startReceiver(h, SECRET, logs.logger);
  });
  afterAll(async () => {
    await server?.close();
    await h?.stop();
  });

  const hashOf = (email: string) => customerIdForEmail(email);
  const member = (email: string) => remote<{ status: string }>(h, `/lists/${h.config.listId}/members/${hashOf(email)}`);
  const customer = (email: string) => remote<{ opt_in_status: boolean }>(h, storePath(h, `/customers/${hashOf(email)}`));

  async function control(email: string, action: 'confirm' | 'unsubscribe' | 'clean' | 'change-email' | 'profile', body: Record<string, unknown> = {}): Promise<void> {
    const res = await h.http.post(`/_emulator/lists/${h.config.listId}/members/${hashOf(email)}/${action}`, body);
    if (res.status !== 200) throw new Error(`${action} → ${res.status} ${JSON.stringify(res.data)}`);
    const flushed = await h.http.post('/_emulator/webhooks/flush');
    if (flushed.status !== 200) throw new Error(`flush → ${flushed.status}`);
  }

  async function processed(type: string, email: string): Promise<void> {
    await waitFor(`a processed ${type} event for ${email}`, async () =>
      (await storedEvents(h)).some((e) => {
        const data = (JSON.parse(e.payload) as { data?: Record<string, unknown> }).data ?? {};
        const addresses = [data.email, data.old_email].map((a) => (typeof a === 'string' ? a.toLowerCase() : a));
        return e.event_type === type && e.processed_at !== null && addresses.includes(email.toLowerCase());
      }));
  }

  async function syncCustomer(email: string): Promise<CustomerResult> {
    const workflowId = await notify(h, 'customer', hashOf(email));
    return (await h.client.workflow.getHandle(workflowId).result()) as CustomerResult;
  }

  it('registers once, for user and admin changes only; a second registration finds it', async () => {
    const first = await registerAudienceWebhook(h.mailchimp, h.config.listId, server.baseUrl, SECRET);
    expect(first).toMatchObject({ created: true, url: `${server.baseUrl}/webhooks/mailchimp/[REDACTED]` });
    const second = await registerAudienceWebhook(h.mailchimp, h.config.listId, `${server.baseUrl}/`, SECRET);
    expect(second).toEqual({ ...first, created: false });

    const hooks = await h.mailchimp.listListWebhooks(h.config.listId);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({
      url: webhookUrl(server.baseUrl, SECRET),
      sources: { user: true, admin: true, api: false },
      events: { subscribe: true, unsubscribe: true, profile: true, cleaned: true, upemail: true, campaign: false },
    });
    expect(logs.text()).toContain('webhook URL validated');
  });

  it('a wrong secret cannot be registered (the validation GET is refused)', async () => {
    const wrong = await startReceiver(h, 'another-secret-entirely');
    try {
      await expect(registerAudienceWebhook(h.mailchimp, h.config.listId, wrong.baseUrl, 'not-the-receivers')).rejects.toThrow(/Could not register/);
    } finally {
      await wrong.close();
    }
    expect(await h.mailchimp.listListWebhooks(h.config.listId)).toHaveLength(1);
  });

  it("the sync's own API writes send no events to the receiver", async () => {
    const u = await shop.user(h.t.db, { email: 'api.only@example.com', marketing_opt_in: true });
    await syncCustomer(u.email);
    expect(await member(u.email)).toMatchObject({ status: 'subscribed' });
    const flushed = (await h.http.post('/_emulator/webhooks/flush')).data as { delivered: number; failed: number };
    expect(flushed.failed).toBe(0);
    expect(await storedEvents(h)).toEqual([]);
  });

  it('an unsubscribe in Mailchimp withdraws the consent in the shop; neither the customer sync nor a full resync resubscribes', async () => {
    const u = await shop.user(h.t.db, { email: 'Leaver@Example.com', marketing_opt_in: true });
    await syncCustomer(u.email);
    expect(await member(u.email)).toMatchObject({ status: 'subscribed' });

    await control(u.email, 'unsubscribe');
    await processed('unsubscribe', u.email);
    expect(await optIn(h, u.id)).toBe(0);
    expect(await audienceRow(h, hashOf(u.email))).toMatchObject({ status: 'unsubscribed' });

    await expect(syncCustomer(u.email)).resolves.toMatchObject({ outcome: { status: expect.stringMatching(/^(synced|unchanged)$/) } });
    expect(await member(u.email)).toMatchObject({ status: 'unsubscribed' });
    expect(await customer(u.email)).toMatchObject({ opt_in_status: false });

    await resync(h);
    expect(await member(u.email)).toMatchObject({ status: 'unsubscribed' });
    expect(await customer(u.email)).toMatchObject({ opt_in_status: false });
    expect(await optIn(h, u.id)).toBe(0);
  });

  it('cleaned, profile and change-email from the emulator are applied', async () => {
    const bounced = await shop.user(h.t.db, { email: 'bouncy@example.com', marketing_opt_in: true });
    const edited = await shop.user(h.t.db, { email: 'editor@example.com', marketing_opt_in: true });
    const mover = await shop.user(h.t.db, { email: 'mover@example.com', marketing_opt_in: true });
    for (const u of [bounced, edited, mover]) await syncCustomer(u.email);

    await control(bounced.email, 'clean');
    await control(edited.email, 'profile', { merge_fields: { FNAME: 'Edith', LNAME: 'Clarke' } });
    await control(mover.email, 'change-email', { new_email: 'moved@example.com' });
    await processed('cleaned', bounced.email);
    await processed('profile', edited.email);
    await processed('upemail', mover.email);

    expect(await audienceRow(h, hashOf(bounced.email))).toMatchObject({ status: 'cleaned' });
    expect(await optIn(h, bounced.id)).toBe(0);
    expect(await audienceRow(h, hashOf(edited.email))).toMatchObject({ first_name: 'Edith', last_name: 'Clarke' });
    expect(await optIn(h, edited.id)).toBe(1);
    expect(await audienceRow(h, hashOf(mover.email))).toBeUndefined();
    expect(await audienceRow(h, hashOf('moved@example.com'))).toMatchObject({ email: 'moved@example.com', previous_email: mover.email });
    expect(await h.t.db('users').where({ id: mover.id }).first()).toMatchObject({ email: mover.email });
  });

  describe('double opt-in audience', () => {
    beforeAll(async () => {
      const res = await h.http.post(`/_emulator/lists/${h.config.listId}/settings`, { double_optin: true });
      if (res.status !== 200) throw new Error(`double_optin → ${res.status}`);
    });
    afterAll(() => h.http.post(`/_emulator/lists/${h.config.listId}/settings`, { double_optin: false }));

    it("the confirmation in Mailchimp reaches the waiting customer workflow as a signal, and it completes 'subscribed'", async () => {
      const u = await shop.user(h.t.db, { email: 'double.hook@example.com', marketing_opt_in: true });
      const workflowId = await notify(h, 'customer', hashOf(u.email));
      await waitFor(`${u.email} pending`, async () => (await member(u.email))?.status === 'pending' && (await audienceRow(h, hashOf(u.email)))?.status === 'pending');
      const handle = h.client.workflow.getHandle(workflowId);
      expect((await handle.describe()).status.name).toBe('RUNNING');

      // The workflow polls only hourly: completing within the test's time means the webhook's signal woke it.
      await control(u.email, 'confirm');
      await processed('subscribe', u.email);
      await expect(handle.result()).resolves.toMatchObject({ consent: 'subscribed' });
      expect(await audienceRow(h, hashOf(u.email))).toMatchObject({ status: 'subscribed' });
      const event = (await storedEvents(h)).find((e) => e.event_type === 'subscribe' && e.payload.includes(u.email));
      expect(event?.outcome).toBe('subscribed; confirmation signalled');
    });
  });

  it('never logged the secret', () => {
    expect(logs.text()).not.toContain(SECRET);
    expect(logs.text()).toContain('webhook event');
  });
});
