import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { SyncConfig } from '../activities/context';
import { env, envInt } from '../config/env';
import { ensureLocalStripe, localStripePort, registerLocalStripeWebhook, stopLocalStripe } from '../services/stripe';
import { createStripeSourceFromEnv, type StripeSource } from '../source/stripe';
import { seedStripeDemo } from '../source/stripe/demo';
import { createStripeWebhookHandler, startStripeWebhookServer } from '../webhooks/stripe/receiver';
import { startFullResync } from '../workflows/start';

export interface RunningStripe {
  source: StripeSource;
  /** Starts the backfill (a full resync over Stripe's lists); webhooks carry the changes afterwards. */
  backfill(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `npm start` with SYNC_SOURCE=stripe: the fake Stripe when STRIPE_API_URL is local and silent (with demo data and the
 * webhook registered), the Stripe source, and the webhook receiver on STRIPE_WEBHOOK_PORT.
 */
export async function startStripe(options: { db: Knex; client: Client; config: SyncConfig; seed: boolean; log: (m: string) => void }): Promise<RunningStripe> {
  const apiUrl = env('STRIPE_API_URL');
  const local = localStripePort(apiUrl) !== null;
  const startedFake = local ? await ensureLocalStripe(apiUrl) : false;
  // The fake has no /v1/account to read the default currency from: USD unless STRIPE_CURRENCY says otherwise.
  const currency = env('STRIPE_CURRENCY') || (local ? 'usd' : undefined);
  const source = createStripeSourceFromEnv(options.db, { currency });
  const stripe = source.reader.raw;
  const handler = createStripeWebhookHandler({
    db: options.db, source, secret: env('STRIPE_WEBHOOK_SECRET'), temporal: async () => options.client,
    target: { storeId: options.config.storeId, taskQueue: options.config.taskQueue, optInTimeout: options.config.optInTimeout },
  });
  const server = await startStripeWebhookServer(handler, { port: envInt('STRIPE_WEBHOOK_PORT') });
  options.log(`Stripe webhook endpoint ${server.url} (Stripe ${apiUrl || 'api.stripe.com'}${startedFake ? ', fake started' : ''}).`);
  if (local) {
    await registerLocalStripeWebhook(apiUrl, 'mcsync', server.url, env('STRIPE_WEBHOOK_SECRET'));
    if (options.seed) {
      const seeded = await seedStripeDemo(stripe, currency);
      if (seeded.products) options.log(`Fake Stripe was empty: ${seeded.products} products, ${seeded.customers} customers, ${seeded.purchases} purchases created.`);
    }
  }
  return {
    source,
    async backfill() {
      await startFullResync(options.client, options.config, { types: 'all' }, 'Stripe backfill');
    },
    async close() {
      await server.close();
      if (startedFake) await stopLocalStripe();
    },
  };
}
