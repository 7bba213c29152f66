import { Client, Connection } from '@temporalio/client';
import type { Knex } from 'knex';
import type { SyncConfig, SyncDeps } from '../activities/context';
import { env, envInt } from '../config/env';
import { createAudienceKnowledge, createSyncState } from '../db/sync-state';
import { createMailchimpClient, type MailchimpClient } from '../mailchimp';
import { createShopDbSource } from '../source/shop-db';

export function syncConfigFromEnv(): SyncConfig {
  return {
    storeId: env('MAILCHIMP_STORE_ID'),
    listId: env('MAILCHIMP_LIST_ID'),
    redemptionUrlTemplate: env('PROMO_REDEMPTION_URL'),
    taskQueue: env('TEMPORAL_TASK_QUEUE'),
    optInTimeout: env('OPT_IN_TIMEOUT'),
  };
}

export function mailchimpFromEnv(): MailchimpClient {
  return createMailchimpClient({
    apiKey: env('MAILCHIMP_API_KEY'),
    baseUrl: env('MAILCHIMP_API_URL') || undefined,
    maxConnections: envInt('MAILCHIMP_MAX_CONNECTIONS'),
    timeoutMs: envInt('MAILCHIMP_TIMEOUT_MS'),
  });
}

/** A Temporal client created on first use and reused. */
export function lazyTemporalClient(address: string, namespace: string): () => Promise<Client> {
  let client: Promise<Client> | undefined;
  return () => {
    client ??= Connection.connect({ address }).then((connection) => new Client({ connection, namespace }));
    return client;
  };
}

/** Wires the activities' dependencies from a database, a Mailchimp client and a config. */
export function createSyncDeps(db: Knex, mailchimp: MailchimpClient, config: SyncConfig, temporal: () => Promise<Client>): SyncDeps {
  return {
    source: createShopDbSource(db),
    mailchimp,
    state: createSyncState(db, config.storeId),
    audience: createAudienceKnowledge(db, config.listId),
    config,
    temporal,
  };
}
