/**
 * The Stripe webhook endpoint: verifies the Stripe-Signature header with the endpoint secret, stores each event once
 * in mc_webhook_events (source 'stripe', event_key = event id, unique: a retried delivery is recognised), and hands
 * what changed to the entity workflows. The event only says *which* object changed: its current state is read from
 * Stripe when the workflow syncs (Stripe retries and reorders deliveries, so event payloads may be stale).
 */
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { Knex } from 'knex';
import Stripe from 'stripe';
import { notifyEntityChanged, type EntityTarget } from '../../workflows/start';
import { insertWebhookEvent, markWebhookEventProcessed, webhookEventProcessedAt } from '../../db/webhook-events';
import { customerIdForEmail, type EntityType } from '../../mapping/ids';
import type { StripeCustomerLike } from '../../source/stripe/convert';
import type { StripeSource } from '../../source/stripe/source';
import { createRateLimiter, DELIVERY_LIMIT, REFUSED_LIMIT, type RateLimit, type RateLimiter } from '../rate-limit';

export const STRIPE_WEBHOOK_PATH = '/stripe/webhook';

export interface StripeWebhookDeps {
  db: Knex;
  source: StripeSource;
  /** The endpoint's signing secret (whsec_...). */
  secret: string;
  temporal: () => Promise<Client>;
  target: EntityTarget;
}

export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
}

type Target = { type: EntityType; id: string };

const PURCHASE_EVENTS = /^(invoice\.|checkout\.session\.)/;
const REFUND_EVENTS = /^(charge\.refund|charge\.refunded|refund\.)/;

/** What an event's object is about, as entities to re-sync (read fresh from Stripe by the source). */
export async function targetsOf(event: Stripe.Event, source: StripeSource): Promise<Target[]> {
  const object = event.data.object as unknown as Record<string, unknown>;
  const id = String(object.id ?? '');
  const type = event.type as string;
  if (type.startsWith('product.')) return [{ type: 'product', id }];
  if (type.startsWith('price.') || type.startsWith('plan.')) {
    const product = object.product as string | { id: string } | null;
    const productId = typeof product === 'string' ? product : product?.id;
    return productId ? [{ type: 'product', id: productId }] : [];
  }
  if (type.startsWith('customer.') && object.object === 'customer') {
    const targets: Target[] = [];
    const current = await source.reader.customer(id);
    if (current) source.rememberCustomer(current);
    // The e-mail Stripe has now, and the one the event saw (or had before a change): both customers are re-read.
    const emails = new Set<string>();
    for (const c of [current, object as unknown as StripeCustomerLike]) if (c?.email) emails.add(c.email);
    const previous = (event.data.previous_attributes as { email?: string } | undefined)?.email;
    if (previous) emails.add(previous);
    for (const email of emails) targets.push({ type: 'customer', id: customerIdForEmail(email) });
    return targets;
  }
  if (PURCHASE_EVENTS.test(type) && (id.startsWith('in_') || id.startsWith('cs_'))) return [{ type: 'order', id }];
  if (REFUND_EVENTS.test(type)) {
    const chargeId = object.object === 'charge' ? id : (object.charge as string | undefined);
    const purchase = chargeId ? await source.reader.purchaseOfCharge(chargeId) : null;
    return purchase ? [{ type: 'order', id: purchase }] : [];
  }
  return [];
}

export function createStripeWebhookHandler(deps: StripeWebhookDeps) {
  // constructEvent only needs the SDK's crypto, not an API key.
  const verifier = new Stripe('sk_unused_for_verification');

  async function process(event: Stripe.Event): Promise<string> {
    const targets = await targetsOf(event, deps.source);
    if (targets.length === 0) return 'ignored';
    const client = await deps.temporal();
    const workflows: string[] = [];
    for (const t of targets) workflows.push(await notifyEntityChanged(client, deps.target, t.type, t.id));
    return `notified ${workflows.join(', ')}`;
  }

  return async function handle(rawBody: Buffer | string, signature: string | undefined): Promise<WebhookAnswer> {
    let event: Stripe.Event;
    try {
      if (!signature) throw new Error('no Stripe-Signature header');
      event = verifier.webhooks.constructEvent(rawBody, signature, deps.secret);
    } catch (err) {
      return { status: 400, body: { error: `Webhook refused: ${err instanceof Error ? err.message : String(err)}` } };
    }
    const key = { source: 'stripe', event_key: event.id };
    const stored = await insertWebhookEvent(deps.db, key, event.type, Buffer.isBuffer(rawBody) ? rawBody.toString('utf8') : rawBody);
    // Processed already: a retry of a delivery we answered (or answered too late). Not processed: go on.
    if (!stored && (await webhookEventProcessedAt(deps.db, key))) return { status: 200, body: { received: true, duplicate: true } };
    const outcome = await process(event);
    await markWebhookEventProcessed(deps.db, key, outcome);
    return { status: 200, body: { received: true, outcome } };
  };
}

export type StripeWebhookHandler = ReturnType<typeof createStripeWebhookHandler>;

/** Stripe events are JSON documents of a few KiB; a larger body is refused (413) before it is verified or stored. */
export const STRIPE_BODY_LIMIT = 512 * 1024;

/** A small HTTP server for the endpoint (its own port, STRIPE_WEBHOOK_PORT). A processing error answers 500: Stripe retries. */
export async function startStripeWebhookServer(handler: StripeWebhookHandler, options: { port: number; host?: string; rateLimits?: { delivery?: RateLimit; refused?: RateLimit } }): Promise<{ url: string; app: FastifyInstance; close(): Promise<void> }> {
  const app = Fastify({ logger: false, bodyLimit: STRIPE_BODY_LIMIT });
  const deliveries = createRateLimiter(options.rateLimits?.delivery ?? DELIVERY_LIMIT);
  const refusals = createRateLimiter(options.rateLimits?.refused ?? REFUSED_LIMIT);
  const tooMany = (reply: FastifyReply, limiter: RateLimiter, ip: string) =>
    reply.code(429).header('retry-after', String(limiter.retryAfterSeconds(ip))).send({ error: 'Too many requests' });
  app.addHook('onRequest', async (request, reply) => {
    if (!deliveries.take(request.ip)) return tooMany(reply, deliveries, request.ip);
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.post(STRIPE_WEBHOOK_PATH, async (request, reply) => {
    const signature = request.headers['stripe-signature'];
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.from('');
    const answer = await handler(raw, Array.isArray(signature) ? signature[0] : signature);
    // A refused signature counts against the sender: a few, then it waits (no brute force).
    if (answer.status === 400 && !refusals.take(request.ip)) return tooMany(reply, refusals, request.ip);
    return reply.code(answer.status).send(answer.body);
  });
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { url: `http://${host}:${port}${STRIPE_WEBHOOK_PATH}`, app, close: () => app.close() };
}
