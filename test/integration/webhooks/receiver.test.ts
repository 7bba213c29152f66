import { customerIdForEmail } from '../../../mapping/ids';
import { WEBHOOK_PATH, type WebhookServer } from '../../../webhooks/server';
import * as shop from '../../support/shop';
import { startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { resync } from '../../support/sync-steps';
import { audienceRow, capturedLogger, eventForm, optIn, post, startReceiver, storedEvents } from './support';

/** The receiver on its own: events posted as Mailchimp posts them, applied to the sync's state and the shop. */
describe('audience webhook receiver', () => {
  const SECRET = 'receiver-test-secret-7f3a';
  let h: SyncHarness;
  let server: WebhookServer;
  const logs = capturedLogger([SECRET]);
  const url = (secret: string) => `${server.baseUrl}${WEBHOOK_PATH}/${encodeURIComponent(secret)}`;

  beforeAll(async () => {
    h = await startSyncHarness();
    await resync(h); // creates the Mailchimp store, which customer syncs need
    server = await startReceiver(h, SECRET, logs.logger);
  });
  afterAll(async () => {
    await server?.close();
    await h?.stop();
  });

  it("answers Mailchimp's GET validation with 200", async () => {
    const res = await fetch(url(SECRET), { headers: { 'user-agent': 'MailChimp.com WebHook Validator' } });
    expect(res.status).toBe(200);
  });

  it('refuses a wrong or missing secret with 401 and stores nothing', async () => {
    const u = await shop.user(h.t.db, { email: 'refused@example.com', marketing_opt_in: true });
    const before = (await storedEvents(h)).length;
    const form = eventForm('unsubscribe', { email: u.email, list_id: h.config.listId });
    expect((await post(server, 'wrong-secret', form)).status).toBe(401);
    expect((await post(server, `${SECRET}x`, form)).status).toBe(401);
    expect((await post(server, SECRET.slice(0, -1), form)).status).toBe(401);
    expect((await post(server, null, form)).status).toBe(401);
    expect((await fetch(url('wrong-secret'))).status).toBe(401);
    expect((await fetch(`${server.baseUrl}${WEBHOOK_PATH}`)).status).toBe(401);
    expect(await storedEvents(h)).toHaveLength(before);
    expect(await optIn(h, u.id)).toBe(1);
    expect(await audienceRow(h, customerIdForEmail(u.email))).toBeUndefined();
    expect(logs.text()).toContain('webhook request refused');
    expect(logs.text()).not.toContain(SECRET.slice(0, -1));
  });

  it('refuses a POST that is not an audience event, storing nothing', async () => {
    const before = (await storedEvents(h)).length;
    const res = await post(server, SECRET, new URLSearchParams({ hello: 'world' }));
    expect(res.status).toBe(400);
    expect(await storedEvents(h)).toHaveLength(before);
  });

  it('subscribe: stores the event with its nested data and records the member as subscribed', async () => {
    const email = 'New.Fan@Example.com';
    const form = eventForm('subscribe', {
      id: customerIdForEmail(email), email, email_type: 'html', list_id: h.config.listId, ip_opt: '10.0.0.1', web_id: '123',
      'merges][EMAIL': email, 'merges][FNAME': 'Grace', 'merges][LNAME': 'Hopper', 'merges][INTERESTS': 'a,b',
    });
    const res = await post(server, SECRET, form);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'processed' });

    const [event] = (await storedEvents(h)).filter((e) => e.event_type === 'subscribe');
    expect(event.processed_at).toBeInstanceOf(Date);
    expect(event.event_key).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(event.payload)).toEqual({
      type: 'subscribe', fired_at: form.get('fired_at'),
      data: {
        id: customerIdForEmail(email), email, email_type: 'html', list_id: h.config.listId, ip_opt: '10.0.0.1', web_id: '123',
        merges: { EMAIL: email, FNAME: 'Grace', LNAME: 'Hopper', INTERESTS: 'a,b' },
      },
    });
    expect(event.outcome).toMatch(/^subscribed; no customer workflow waiting/);
    expect(await audienceRow(h, customerIdForEmail(email))).toMatchObject({ status: 'subscribed', email: 'new.fan@example.com', first_name: 'Grace', last_name: 'Hopper', source: 'webhook' });
  });

  it("unsubscribe: the member is unsubscribed and the shop's consent withdrawn", async () => {
    const u = await shop.user(h.t.db, { email: 'Leaving@Example.com', marketing_opt_in: true });
    const res = await post(server, SECRET, eventForm('unsubscribe', { action: 'unsub', reason: 'manual', id: customerIdForEmail(u.email), email: u.email, list_id: h.config.listId }));
    expect(res.status).toBe(200);
    expect(await optIn(h, u.id)).toBe(0);
    expect(await audienceRow(h, customerIdForEmail(u.email))).toMatchObject({ status: 'unsubscribed' });
    const event = (await storedEvents(h)).find((e) => e.event_type === 'unsubscribe');
    expect(event).toMatchObject({ outcome: 'unsubscribed; marketing_opt_in cleared on 1 user(s)' });
    expect(event?.processed_at).toBeInstanceOf(Date);
  });

  it('unsubscribe: a shop e-mail wrapped in a tab and a no-break space (the customer id\'s normalisation, not SQL TRIM) loses its consent too', async () => {
    const u = await shop.user(h.t.db, { email: '\tWrapped@Example.com\u00a0', marketing_opt_in: true });
    const clean = 'wrapped@example.com';
    expect(customerIdForEmail(u.email)).toBe(customerIdForEmail(clean));
    const res = await post(server, SECRET, eventForm('unsubscribe', { action: 'unsub', reason: 'manual', id: customerIdForEmail(clean), email: clean, list_id: h.config.listId }));
    expect(res.status).toBe(200);
    expect(await optIn(h, u.id)).toBe(0);
  });

  it("cleaned: the member is cleaned and the shop's consent withdrawn", async () => {
    const u = await shop.user(h.t.db, { email: 'bounces@example.com', marketing_opt_in: true });
    const other = await shop.user(h.t.db, { email: 'stays@example.com', marketing_opt_in: true });
    // Mailchimp's cleaned event has no data[id]: only the address.
    const res = await post(server, SECRET, eventForm('cleaned', { list_id: h.config.listId, campaign_id: '', reason: 'hard', email: u.email }));
    expect(res.status).toBe(200);
    expect(await optIn(h, u.id)).toBe(0);
    expect(await optIn(h, other.id)).toBe(1);
    expect(await audienceRow(h, customerIdForEmail(u.email))).toMatchObject({ status: 'cleaned' });
  });

  it("upemail: the member moves to the new address's hash, the old address is recorded, the shop's email is left alone", async () => {
    const u = await shop.user(h.t.db, { email: 'old.address@example.com', marketing_opt_in: true });
    await post(server, SECRET, eventForm('subscribe', { id: customerIdForEmail(u.email), email: u.email, list_id: h.config.listId, 'merges][FNAME': 'Olga' }));
    const newEmail = 'new.address@example.com';
    const res = await post(server, SECRET, eventForm('upemail', { list_id: h.config.listId, new_id: customerIdForEmail(newEmail), new_email: newEmail, old_email: u.email }));
    expect(res.status).toBe(200);
    expect(await audienceRow(h, customerIdForEmail(u.email))).toBeUndefined();
    expect(await audienceRow(h, customerIdForEmail(newEmail))).toMatchObject({
      email: newEmail, status: 'subscribed', first_name: 'Olga', previous_email: u.email,
    });
    expect(await h.t.db('users').where({ id: u.id }).first()).toMatchObject({ email: u.email });
  });

  it('profile: records the names in the audience knowledge, without writing the shop', async () => {
    const u = await shop.user(h.t.db, { email: 'profile.edit@example.com', first_name: 'Ada', last_name: 'Lovelace' });
    const res = await post(server, SECRET, eventForm('profile', {
      id: customerIdForEmail(u.email), email: u.email, list_id: h.config.listId, 'merges][FNAME': 'Augusta', 'merges][LNAME': 'King',
    }));
    expect(res.status).toBe(200);
    expect(await audienceRow(h, customerIdForEmail(u.email))).toMatchObject({ first_name: 'Augusta', last_name: 'King', status: 'unknown' });
    expect(await h.t.db('users').where({ id: u.id }).first()).toMatchObject({ first_name: 'Ada', last_name: 'Lovelace' });
  });

  it('a replayed event is answered 200 and not processed again', async () => {
    const u = await shop.user(h.t.db, { email: 'replay@example.com', marketing_opt_in: true });
    const form = eventForm('unsubscribe', { email: u.email, list_id: h.config.listId });
    expect(JSON.parse((await post(server, SECRET, form)).body)).toMatchObject({ status: 'processed' });
    expect(await optIn(h, u.id)).toBe(0);

    // The user opts in again in the shop; a redelivery of the old event must not undo it.
    await h.t.db('users').where({ id: u.id }).update({ marketing_opt_in: 1 });
    const replay = await post(server, SECRET, form);
    expect(replay.status).toBe(200);
    expect(JSON.parse(replay.body)).toMatchObject({ status: 'replayed' });
    expect(await optIn(h, u.id)).toBe(1);
    const mine = (await storedEvents(h)).filter((e) => JSON.parse(e.payload).data?.email === u.email);
    expect(mine).toHaveLength(1);
  });

  it('concurrent deliveries of the same event are stored once and processed once', async () => {
    const u = await shop.user(h.t.db, { email: 'burst@example.com', marketing_opt_in: true });
    const form = eventForm('cleaned', { email: u.email, list_id: h.config.listId, reason: 'hard' });
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(server, SECRET, form)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const results = answers.map((a) => (JSON.parse(a.body) as { status: string }).status).sort();
    expect(results).toEqual(['processed', 'replayed', 'replayed', 'replayed', 'replayed', 'replayed']);
    const mine = (await storedEvents(h)).filter((e) => JSON.parse(e.payload).data?.email === u.email);
    expect(mine).toHaveLength(1);
  });

  it('ignores events caused by API writes and events of another audience (stored, not applied)', async () => {
    const u = await shop.user(h.t.db, { email: 'api.write@example.com', marketing_opt_in: true });
    await post(server, SECRET, eventForm('unsubscribe', { email: u.email, list_id: h.config.listId, source: 'api' }));
    await post(server, SECRET, eventForm('unsubscribe', { email: u.email, list_id: 'otherlist1' }));
    expect(await optIn(h, u.id)).toBe(1);
    expect(await audienceRow(h, customerIdForEmail(u.email))).toBeUndefined();
    const mine = (await storedEvents(h)).filter((e) => JSON.parse(e.payload).data?.email === u.email);
    expect(mine.map((e) => e.outcome)).toEqual(['ignored: caused by an API write', 'ignored: event of another audience (otherlist1)']);
    expect(mine.every((e) => e.processed_at instanceof Date)).toBe(true);
  });

  it('stores and ignores event types it does not use', async () => {
    const res = await post(server, SECRET, eventForm('campaign', { id: 'c1', subject: 'Hello', status: 'sent', reason: '', list_id: h.config.listId }));
    expect(res.status).toBe(200);
    expect((await storedEvents(h)).find((e) => e.event_type === 'campaign')).toMatchObject({ outcome: 'ignored: campaign events are not used' });
  });
});
