import axios from 'axios';
import Stripe from 'stripe';
import { customerIdForEmail } from '../../../mapping/ids';
import type { StripeSource } from '../../../source/stripe/source';
import { AUDIENCE_BODY_LIMIT, startWebhookServer, WEBHOOK_PATH, type WebhookServer } from '../../../webhooks/server';
import { createStripeWebhookHandler, startStripeWebhookServer, STRIPE_BODY_LIMIT } from '../../../webhooks/stripe/receiver';
import * as shop from '../../support/shop';
import { startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { audienceRow, eventForm, optIn, post, storedEvents } from './support';

/** Hostile and messy deliveries: nothing stored twice, nothing processed unauthenticated, the receivers stay up. */
describe('webhook abuse', () => {
  const SECRET = 'abuse-test-secret-91c2';
  const STRIPE_SECRET = ['whsec', 'abuse', 'test'].join('_');
  let h: SyncHarness;
  let server: WebhookServer;
  let stripeHook: { url: string; close(): Promise<void> };
  const stripe = new Stripe('sk_unused_for_signing');

  beforeAll(async () => {
    h = await startSyncHarness();
    server = await startWebhookServer({
      port: 0, host: '127.0.0.1', secret: SECRET, db: h.t.db, listId: h.config.listId, temporalClient: h.client,
      storeId: h.config.storeId, taskQueue: h.config.taskQueue,
      rateLimits: { refused: { perSecond: 0.001, burst: 5 } },
    });
    // Only events that name no entity are sent here, so the source is never read.
    const handler = createStripeWebhookHandler({
      db: h.t.db, source: {} as StripeSource, secret: STRIPE_SECRET, temporal: async () => h.client,
      target: { storeId: h.config.storeId, taskQueue: h.config.taskQueue },
    });
    stripeHook = await startStripeWebhookServer(handler, { port: 0, rateLimits: { refused: { perSecond: 0.01, burst: 3 } } });
  });
  afterAll(async () => {
    await stripeHook?.close();
    await server?.close();
    await h?.stop();
  });

  const health = async () => (await fetch(`${server.baseUrl}${WEBHOOK_PATH}/${SECRET}`)).status;

  it('an oversized audience body is refused with 413 before it is parsed, and nothing is stored', async () => {
    const before = (await storedEvents(h)).length;
    const form = eventForm('profile', { email: 'big@example.com', list_id: h.config.listId, 'merges][FNAME': 'x'.repeat(AUDIENCE_BODY_LIMIT) });
    expect((await post(server, SECRET, form)).status).toBe(413);
    expect(await storedEvents(h)).toHaveLength(before);
    expect(await health()).toBe(200);
  });

  it('malformed forms (broken encoding, prototype keys, JSON, binary) store nothing and process nothing', async () => {
    const before = (await storedEvents(h)).length;
    const bodies: Array<[string, string]> = [
      ['%E0%A4%A&&&==', 'application/x-www-form-urlencoded'],
      ['__proto__[type]=subscribe&constructor[prototype][type]=x', 'application/x-www-form-urlencoded'],
      ['{"type":"subscribe","data":{"email":"json@example.com"}}', 'application/json'],
      ['\u0000\u0001\u00ff', 'application/octet-stream'],
      ['', 'application/x-www-form-urlencoded'],
    ];
    const refused: Array<[string, number]> = [];
    for (const [body, type] of bodies) refused.push([body, (await post(server, SECRET, body, type)).status]);
    expect(refused.filter(([, status]) => status !== 400 && status !== 415)).toEqual([]);
    expect(await storedEvents(h)).toHaveLength(before);
    expect(await health()).toBe(200);
  });

  it('a late, older event does not undo a newer one: an unsubscribe stays after a stale subscribe arrives', async () => {
    const u = await shop.user(h.t.db, { email: 'order@example.com', marketing_opt_in: true });
    const data = { email: u.email, list_id: h.config.listId };
    expect((await post(server, SECRET, eventForm('unsubscribe', data, '2026-06-01 12:00:05'))).status).toBe(200);
    const late = await post(server, SECRET, eventForm('subscribe', data, '2026-06-01 12:00:01'));
    expect(late.status).toBe(200);
    expect(JSON.parse(late.body).outcome).toMatch(/^ignored: fired at 2026-06-01 12:00:01, before the newest event/);
    expect((await audienceRow(h, customerIdForEmail(u.email)))?.status).toBe('unsubscribed');
    expect(await optIn(h, u.id)).toBe(0);
    // A newer subscribe (the contact re-subscribed in Mailchimp) is applied.
    expect((await post(server, SECRET, eventForm('subscribe', data, '2026-06-01 12:00:09'))).status).toBe(200);
    expect((await audienceRow(h, customerIdForEmail(u.email)))?.status).toBe('subscribed');
  });

  it('a replayed delivery is stored once and applied once', async () => {
    const form = eventForm('cleaned', { email: 'replay@example.com', list_id: h.config.listId });
    const before = (await storedEvents(h)).length;
    const answers = await Promise.all([1, 2, 3, 4].map(() => post(server, SECRET, form)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(answers.filter((a) => JSON.parse(a.body).status === 'processed')).toHaveLength(1);
    expect(await storedEvents(h)).toHaveLength(before + 1);
  });

  it('guessing the secret: a few 401s, then 429 for that address; the real secret still works', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i += 1) statuses.push((await post(server, `guess-${i}`, eventForm('subscribe', { email: 'g@example.com' }))).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    expect(await health()).toBe(200);
  });

  it('a flood from one address gets 429 with Retry-After once its burst is spent; nothing of it is stored; the receiver stays up', async () => {
    const flooded = await startWebhookServer({
      port: 0, host: '127.0.0.1', secret: SECRET, db: h.t.db, listId: h.config.listId, temporalClient: h.client,
      storeId: h.config.storeId, taskQueue: h.config.taskQueue, rateLimits: { delivery: { perSecond: 0.001, burst: 10 } },
    });
    try {
      const before = (await storedEvents(h)).length;
      const answers = await Promise.all(Array.from({ length: 40 }, (_v, i) =>
        post(flooded, SECRET, eventForm('profile', { email: `flood${i}@example.com`, list_id: h.config.listId }))));
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s !== 429 && s !== 200)).toEqual([]);
      expect(statuses.filter((s) => s === 200)).toHaveLength(10);
      expect(statuses.filter((s) => s === 429)).toHaveLength(30);
      expect(await storedEvents(h)).toHaveLength(before + 10);
      const refused = await fetch(`${flooded.baseUrl}${WEBHOOK_PATH}/${SECRET}`);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await health()).toBe(200);
    } finally {
      await flooded.close();
    }
  });

  describe('Stripe', () => {
    const event = (id: string) => JSON.stringify({ id, object: 'event', type: 'balance.available', data: { object: { id: 'bal', object: 'balance' } } });
    const send = (body: string, header: string | undefined) =>
      axios.post(stripeHook.url, body, { headers: { 'content-type': 'application/json', ...(header ? { 'stripe-signature': header } : {}) }, validateStatus: () => true });
    const stripeEvents = async () => (await storedEvents(h)).filter((e) => e.event_type === 'balance.available').length;

    it('a signature older than the tolerance (5 minutes) is refused and nothing is stored; a fresh one is accepted once', async () => {
      const body = event('evt_abuse_old');
      const old = stripe.webhooks.generateTestHeaderString({ payload: body, secret: STRIPE_SECRET, timestamp: Math.floor(Date.now() / 1000) - 600 });
      const refused = await send(body, old);
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.data)).toMatch(/tolerance/i);
      expect(await stripeEvents()).toBe(0);
      const fresh = stripe.webhooks.generateTestHeaderString({ payload: body, secret: STRIPE_SECRET });
      expect((await send(body, fresh)).status).toBe(200);
      const again = await send(body, fresh);
      expect(again.status).toBe(200);
      expect(again.data).toMatchObject({ duplicate: true });
      expect(await stripeEvents()).toBe(1);
    });

    it('an oversized body is refused with 413; forged signatures earn 429 after a few tries', async () => {
      const huge = JSON.stringify({ id: 'evt_huge', pad: 'x'.repeat(STRIPE_BODY_LIMIT) });
      expect((await send(huge, 't=1,v1=00')).status).toBe(413);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1) statuses.push((await send(event(`evt_forged_${i}`), `t=${Math.floor(Date.now() / 1000)},v1=${'ab'.repeat(32)}`)).status);
      expect(statuses).toEqual([400, 400, 429, 429, 429]);
      expect((await storedEvents(h)).some((e) => e.event_key.startsWith('evt_forged') || e.event_key === 'evt_huge')).toBe(false);
    });
  });
});
