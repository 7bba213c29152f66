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

/** The settings the worker and the CLI read alike (the same variables, read here once). */
function sharedSettings(vars: NodeJS.ProcessEnv) {
  return {
    storeId: env('MAILCHIMP_STORE_ID', vars),
    listId: env('MAILCHIMP_LIST_ID', vars),
    redemptionUrlTemplate: env('PROMO_REDEMPTION_URL', vars),
    taskQueue: env('TEMPORAL_TASK_QUEUE', vars),
    optInTimeout: env('OPT_IN_TIMEOUT', vars),
    cartUrlTemplate: env('CART_URL_TEMPLATE', vars),
    cartMaxAge: env('CART_MAX_AGE', vars),
  };
}

/** `vars`: the environment to read (default process.env); the CLI passes its own. */
export function syncConfigFromEnv(vars: NodeJS.ProcessEnv = process.env): SyncConfig {
  return {
    ...sharedSettings(vars),
    backfillMode: parseBackfillMode(env('BACKFILL_MODE', vars)),
    changeLookback: env('CHANGE_LOOKBACK', vars),
  };
}

/** What the `mcsync` CLI works with (client/cli/context.ts), each part replaceable by its caller. */
export interface CliSettings {
  storeId: string;
  listId: string;
  taskQueue: string;
  namespace: string;
  temporalAddress: string;
  uiPort: number;
  /** TEMPORAL_UI_URL: the Web UI's base URL for links; empty: http://127.0.0.1:<uiPort>. */
  uiUrl?: string;
  /** SYNC_SOURCE: where the shop data comes from (shop-db, stripe). */
  sourceName?: string;
  syncInterval: string;
  optInTimeout: string;
  redemptionUrlTemplate: string;
  /** CART_URL_TEMPLATE and CART_MAX_AGE, which reconcile reads as the cart sync does. */
  cartUrlTemplate?: string;
  cartMaxAge?: string;
}

export function cliSettingsFromEnv(vars: NodeJS.ProcessEnv = process.env): CliSettings {
  const temporal = temporalTarget(vars);
  return {
    ...sharedSettings(vars),
    namespace: temporal.namespace,
    temporalAddress: temporal.connectionOptions.address,
    uiPort: envInt('TEMPORAL_UI_PORT', vars),
    uiUrl: env('TEMPORAL_UI_URL', vars),
    sourceName: env('SYNC_SOURCE', vars),
    syncInterval: env('SYNC_INTERVAL', vars),
  };
}

/** `onRequest` receives every request's method, path, status and duration (for metrics). */
export function mailchimpFromEnv(options: { onRequest?: (event: RequestEvent) => void } = {}, vars: NodeJS.ProcessEnv = process.env): MailchimpClient {
  return createMailchimpClient({
    onRequest: options.onRequest,
    apiKey: env('MAILCHIMP_API_KEY', vars),
    baseUrl: env('MAILCHIMP_API_URL', vars) || undefined,
    maxConnections: envInt('MAILCHIMP_MAX_CONNECTIONS', vars),
    timeoutMs: envInt('MAILCHIMP_TIMEOUT_MS', vars),
    rejectUnknownFields: env('MAILCHIMP_REJECT_UNKNOWN_FIELDS', vars) === 'true',
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
 * (docs/stripe.md), with its settings from `vars` (default process.env). The worker and the CLI build theirs here.
 */
export function sourceFromEnv(db: Knex, name?: string, vars: NodeJS.ProcessEnv = process.env): ShopSource {
  const chosen = name ?? env('SYNC_SOURCE', vars);
  if (chosen === 'shop-db') return createShopDbSource(db, shopDbOptionsFromEnv(vars));
  if (chosen === 'stripe') return createStripeSourceFromEnv(db, {}, vars);
  throw new Error(`SYNC_SOURCE must be shop-db or stripe, got "${chosen}"`);
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
