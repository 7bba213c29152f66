import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { SyncConfig } from '../activities/context';
import { env, envInt } from '../config/env';
import type { MailchimpClient } from '../mailchimp';
import { registerAudienceWebhook } from './register';
import { startWebhookServer, type WebhookServer } from './server';

/**
 * The receiver as the worker runs it: only when WEBHOOK_SECRET is set. Listens on WEBHOOK_PORT, then registers
 * `<WEBHOOK_PUBLIC_URL>/webhooks/mailchimp/<secret>` on the audience (idempotent). A failed registration is logged,
 * not fatal: the receiver still serves a webhook registered by hand or by `npm run webhooks:register`.
 */
export async function startWebhookReceiverFromEnv(options: {
  db: Knex;
  mailchimp: MailchimpClient;
  temporalClient: Client;
  config: SyncConfig;
  logger: Logger;
}): Promise<WebhookServer | null> {
  const secret = env('WEBHOOK_SECRET');
  const { logger, config } = options;
  if (!secret) {
    logger.info('WEBHOOK_SECRET is not set: the audience webhook receiver is off.');
    return null;
  }
  const server = await startWebhookServer({
    port: envInt('WEBHOOK_PORT'), secret, db: options.db, listId: config.listId, temporalClient: options.temporalClient,
    storeId: config.storeId, taskQueue: config.taskQueue, optInTimeout: config.optInTimeout, logger,
  });
  logger.info({ port: server.port }, 'audience webhook receiver listening');
  try {
    const result = await registerAudienceWebhook(options.mailchimp, config.listId, env('WEBHOOK_PUBLIC_URL'), secret);
    logger.info({ listId: config.listId, url: result.url, webhookId: result.id, created: result.created }, result.created ? 'audience webhook registered' : 'audience webhook already registered');
  } catch (err) {
    logger.error({ err: (err as Error).message }, 'audience webhook registration failed');
  }
  return server;
}
