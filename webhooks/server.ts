import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import formbody from '@fastify/formbody';
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import {
  lockWebhookEvent, markWebhookEventProcessed, noteWebhookEventError, storeWebhookEvent, type WebhookEventKey,
} from '../db/webhook-events';
import { createLogger } from '../observability/logger';
import { eventKey, toEvent, WEBHOOK_EVENT_SOURCE, type AudienceWebhookEvent } from './events';
import { parseForm } from './form';
import { applyAudienceEvent } from './process';
import { createRateLimiter, DELIVERY_LIMIT, REFUSED_LIMIT, type RateLimit } from './rate-limit';

/**
 * The audience webhook receiver. Mailchimp calls `<WEBHOOK_PUBLIC_URL>/webhooks/mailchimp/<WEBHOOK_SECRET>`:
 * GET (its URL validator) answers 200; POST (application/x-www-form-urlencoded) is one event. A missing or wrong
 * secret is refused with 401 before the body is read, and nothing is stored. Each event is stored in
 * mc_webhook_events first, then applied once: a redelivery is recognised by its key and answered 200.
 */

export const WEBHOOK_PATH = '/webhooks/mailchimp';

export interface WebhookServerOptions {
  port: number;
  /** Default 0.0.0.0 (Mailchimp must reach it; put it behind HTTPS in production). */
  host?: string;
  secret: string;
  db: Knex;
  listId: string;
  temporalClient: Client;
  storeId: string;
  taskQueue: string;
  /** OPT_IN_TIMEOUT, handed to customer workflows an event starts. */
  optInTimeout?: string;
  logger?: Logger;
  /** Per-address limits (defaults in webhooks/rate-limit.ts). */
  rateLimits?: { delivery?: RateLimit; refused?: RateLimit };
}

/** Audience events are small forms; anything bigger is refused (413) before it is parsed or stored. */
export const AUDIENCE_BODY_LIMIT = 64 * 1024;

export interface WebhookServer {
  readonly app: FastifyInstance;
  /** http://127.0.0.1:<port> (no path, no secret). */
  readonly baseUrl: string;
  readonly port: number;
  close(): Promise<void>;
}

export type ReceiveResult =
  | { status: 'processed'; outcome: string }
  | { status: 'replayed'; outcome: string | null };

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Constant-time comparison (of fixed-length digests, so the secret's length does not leak either). */
export function secretMatches(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || expected.length === 0) return false;
  return timingSafeEqual(digest(given), digest(expected));
}

/** Stores the event (idempotently), then applies it once under a row lock. */
export async function receiveAudienceEvent(
  options: Pick<WebhookServerOptions, 'db' | 'listId' | 'temporalClient' | 'storeId' | 'taskQueue' | 'optInTimeout'>,
  event: AudienceWebhookEvent,
  logger?: Logger,
): Promise<ReceiveResult> {
  const { db } = options;
  const key: WebhookEventKey = { source: WEBHOOK_EVENT_SOURCE, event_key: eventKey(event) };
  await storeWebhookEvent(db, key, event.type.slice(0, 64), JSON.stringify(event.form));

  let afterCommit: (() => Promise<unknown>) | undefined;
  let result: ReceiveResult;
  try {
    result = await db.transaction(async (trx) => {
      const row = await lockWebhookEvent(trx, key);
      if (row.processed_at) return { status: 'replayed', outcome: row.outcome } as const;
      const applied = await applyAudienceEvent(trx, options, event);
      afterCommit = applied.afterCommit;
      await markWebhookEventProcessed(trx, { id: row.id }, applied.outcome);
      return { status: 'processed', outcome: applied.outcome } as const;
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await noteWebhookEventError(db, key, message).catch(() => undefined);
    throw err;
  }
  if (afterCommit) {
    await afterCommit().catch((err: unknown) => logger?.warn({ err: (err as Error).message, type: event.type }, 'webhook follow-up failed; the change scan will catch up'));
  }
  return result;
}

export function buildWebhookApp(options: Omit<WebhookServerOptions, 'port' | 'host'>): FastifyInstance {
  const logger = (options.logger ?? createLogger({ secrets: [options.secret] })).child({ component: 'webhooks' });
  const redactedPath = `${WEBHOOK_PATH}/[REDACTED]`;
  // Fastify's own logger stays off: it would log request URLs, which hold the secret.
  const app = Fastify({ logger: false, bodyLimit: AUDIENCE_BODY_LIMIT });
  // Mailchimp posts forms only: any other body (JSON included) is answered 415 and never processed.
  app.removeAllContentTypeParsers();
  void app.register(formbody, { parser: parseForm });
  const deliveries = createRateLimiter(options.rateLimits?.delivery ?? DELIVERY_LIMIT);
  const refusals = createRateLimiter(options.rateLimits?.refused ?? REFUSED_LIMIT);

  const tooMany = (reply: FastifyReply, seconds: number) =>
    reply.code(429).header('retry-after', String(seconds)).type('text/plain').send('Too many requests');
  app.addHook('onRequest', async (request, reply) => {
    if (!deliveries.take(request.ip)) {
      logger.warn({ method: request.method, path: redactedPath, ip: request.ip }, 'webhook request refused: rate limit');
      return tooMany(reply, deliveries.retryAfterSeconds(request.ip));
    }
  });

  const refuse = (request: FastifyRequest, reply: FastifyReply) => {
    if (!refusals.take(request.ip)) return tooMany(reply, refusals.retryAfterSeconds(request.ip));
    logger.warn({ method: request.method, path: redactedPath, ip: request.ip }, 'webhook request refused: missing or wrong secret');
    return reply.code(401).type('text/plain').send('Unauthorized');
  };
  const authorise = async (request: FastifyRequest<{ Params: { secret?: string } }>, reply: FastifyReply) => {
    if (!secretMatches(request.params.secret, options.secret)) return refuse(request, reply);
  };

  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    logger.error({ method: request.method, path: redactedPath, status, err: error.message }, 'webhook request failed');
    return reply.code(status).type('text/plain').send(status === 500 ? 'Internal error' : error.message);
  });

  app.get(WEBHOOK_PATH, refuse);
  app.post(WEBHOOK_PATH, refuse);

  app.get<{ Params: { secret: string } }>(`${WEBHOOK_PATH}/:secret`, { onRequest: authorise }, async (request, reply) => {
    logger.info({ path: redactedPath, userAgent: request.headers['user-agent'] }, 'webhook URL validated');
    return reply.code(200).type('text/plain').send('OK');
  });

  app.post<{ Params: { secret: string }; Body: unknown }>(`${WEBHOOK_PATH}/:secret`, { onRequest: authorise }, async (request, reply) => {
    const form = typeof request.body === 'object' && request.body !== null ? (request.body as Parameters<typeof toEvent>[0]) : {};
    const event = toEvent(form);
    if (!event) {
      logger.warn({ path: redactedPath }, 'webhook POST without a type refused');
      return reply.code(400).type('text/plain').send('Expected an audience event (type, fired_at, data[...])');
    }
    const result = await receiveAudienceEvent(options, event, logger);
    logger.info({ type: event.type, firedAt: event.firedAt, result: result.status, outcome: result.outcome }, 'webhook event');
    return reply.code(200).send(result);
  });
  return app;
}

export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  if (!options.secret) throw new Error('The webhook receiver needs a secret (WEBHOOK_SECRET).');
  const app = buildWebhookApp(options);
  await app.listen({ port: options.port, host: options.host ?? '0.0.0.0' });
  const port = (app.server.address() as AddressInfo).port;
  return { app, baseUrl: `http://127.0.0.1:${port}`, port, close: () => app.close() };
}
