import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { parseBackfillMode, type SyncConfig, type SyncDeps, type SyncHooks } from '../activities/context';
import { env, envInt } from '../config/env';
import { connectTemporalClient, temporalTarget, type TemporalTarget } from '../config/temporal';
import { createEntityLocks } from '../db/entity-lock';
import { createScanState } from '../db/scan-state';
import { createAudienceKnowledge, createSyncState } from '../db/sync-state';
import { createMailchimpClient, type MailchimpClient, type RequestEvent } from '../mailchimp';
import { createShopDbSource, shopDbOptionsFromEnv } from '../source/shop-db';
import type { ShopSource } from '../source/shop-source';
import { createStripeSourceFromEnv } from '../source/stripe';

export function syncConfigFromEnv(): SyncConfig {
  return {
    storeId: env('MAILCHIMP_STORE_ID'),
    listId: env('MAILCHIMP_LIST_ID'),
    redemptionUrlTemplate: env('PROMO_REDEMPTION_URL'),
    taskQueue: env('TEMPORAL_TASK_QUEUE'),
    optInTimeout: env('OPT_IN_TIMEOUT'),
    backfillMode: parseBackfillMode(env('BACKFILL_MODE')),
    changeLookback: env('CHANGE_LOOKBACK'),
    cartUrlTemplate: env('CART_URL_TEMPLATE'),
    cartMaxAge: env('CART_MAX_AGE'),
  };
}

/** `onRequest` receives every request's method, path, status and duration (for metrics). */
export function mailchimpFromEnv(options: { onRequest?: (event: RequestEvent) => void } = {}): MailchimpClient {
  return createMailchimpClient({
    onRequest: options.onRequest,
    apiKey: env('MAILCHIMP_API_KEY'),
    baseUrl: env('MAILCHIMP_API_URL') || undefined,
    maxConnections: envInt('MAILCHIMP_MAX_CONNECTIONS'),
    timeoutMs: envInt('MAILCHIMP_TIMEOUT_MS'),
  });
}

/** A Temporal client (config/temporal.ts) created on first use and reused. */
export function lazyTemporalClient(target: TemporalTarget = temporalTarget()): () => Promise<Client> {
  let client: Promise<Client> | undefined;
  return () => {
    client ??= connectTemporalClient(target);
    return client;
  };
}

/**
 * The source SYNC_SOURCE names (or `name`, the CLI's configured one): the shop database (default) or a Stripe account
 * (docs/stripe.md). The worker and the CLI build theirs here.
 */
export function sourceFromEnv(db: Knex, name: string = env('SYNC_SOURCE')): ShopSource {
  if (name === 'shop-db') return createShopDbSource(db, shopDbOptionsFromEnv());
  if (name === 'stripe') return createStripeSourceFromEnv(db);
  throw new Error(`SYNC_SOURCE must be shop-db or stripe, got "${name}"`);
}

/**
 * Wires the activities' dependencies from a database, a Mailchimp client and a config (the source: SYNC_SOURCE's
 * unless given). `hooks` are for tests only.
 */
export function createSyncDeps(
  db: Knex, mailchimp: MailchimpClient, config: SyncConfig, temporal: () => Promise<Client>, source: ShopSource = sourceFromEnv(db),
  hooks?: SyncHooks,
): SyncDeps {
  const locks = createEntityLocks(db, config.storeId, { onWait: hooks?.lockWait && ((key) => hooks.lockWait?.(key.type, key.id)) });
  return {
    source,
    mailchimp,
    state: createSyncState(db, config.storeId, locks.tokenOf),
    audience: createAudienceKnowledge(db, config.listId),
    scan: createScanState(db, config.storeId),
    config,
    temporal,
    locks,
    ...(hooks ? { hooks } : {}),
  };
}
