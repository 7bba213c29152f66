import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { env } from '../../config/env';
import { connectTemporalClient, temporalTarget } from '../../config/temporal';
import { createDb } from '../../db/knex';
import { createSyncState, type SyncState } from '../../db/sync-state';
import type { MailchimpClient } from '../../mailchimp';
import type { ShopSource } from '../../source/shop-source';
import { cliSettingsFromEnv, mailchimpFromEnv, sourceFromEnv, type CliSettings } from '../../wiring/env';
import { unreachable } from './errors';
import { createProgress, type Progress, type ProgressSink } from './progress';

/** Where the CLI sends its work: from the environment by default (wiring/env.ts), every part replaceable (tests inject a harness's). */
export type CliConfig = CliSettings;

export interface CliOptions {
  config?: Partial<CliConfig>;
  /** Environment to read defaults from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Injected services are used as they are and never closed by the CLI. */
  db?: Knex;
  temporal?: Client;
  mailchimp?: MailchimpClient;
  stdout?: ProgressSink;
  stderr?: ProgressSink & { isTTY?: boolean };
  /** Poll interval while following workflows (default 1000 ms). */
  pollMs?: number;
}

export interface CliContext {
  config: CliConfig;
  json: boolean;
  pollMs: number;
  db(): Knex;
  source(): ShopSource;
  state(): SyncState;
  temporal(): Promise<Client>;
  mailchimp(): MailchimpClient;
  /** Human output (suppressed with --json). */
  say(text: string): void;
  /** The --json document. */
  emit(value: unknown): void;
  /** Notes on stderr (always). */
  note(text: string): void;
  progress(): Progress;
  close(): Promise<void>;
}

export function createCliContext(options: CliOptions, json: boolean): CliContext {
  const config: CliConfig = { ...cliSettingsFromEnv(options.env), ...options.config };
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const isTTY = Boolean(stderr.isTTY);
  let db: Knex | undefined = options.db;
  let ownDb = false;
  let mailchimp: MailchimpClient | undefined = options.mailchimp;
  let ownMailchimp = false;
  let temporal: Promise<Client> | undefined = options.temporal ? Promise.resolve(options.temporal) : undefined;
  let ownTemporal = false;
  let source: ShopSource | undefined;
  let state: SyncState | undefined;

  const ctx: CliContext = {
    config,
    json,
    pollMs: options.pollMs ?? 1000,
    db() {
      if (!db) {
        db = createDb(env('DATABASE_URL', options.env), { min: 0, max: 8, acquireTimeoutMillis: 10_000 } as Knex.PoolConfig);
        ownDb = true;
      }
      return db;
    },
    source() {
      source ??= sourceFromEnv(ctx.db(), config.sourceName, options.env);
      return source;
    },
    state() {
      state ??= createSyncState(ctx.db(), config.storeId);
      return state;
    },
    temporal() {
      if (!temporal) {
        ownTemporal = true;
        // The connection's security (API key, TLS) from the environment; address and namespace as configured.
        const target = temporalTarget(options.env ?? process.env);
        const connectTo = { namespace: config.namespace, connectionOptions: { ...target.connectionOptions, address: config.temporalAddress } };
        temporal = connectTemporalClient(connectTo, { connectTimeout: '5s' })
          .catch((err: unknown) => {
            throw unreachable(`Temporal at ${config.temporalAddress} (TEMPORAL_ADDRESS)`, err instanceof Error ? err.message : String(err));
          });
      }
      return temporal;
    },
    mailchimp() {
      if (!mailchimp) {
        mailchimp = mailchimpFromEnv({}, options.env);
        ownMailchimp = true;
      }
      return mailchimp;
    },
    say(text) {
      if (!json) stdout.write(`${text}\n`);
    },
    emit(value) {
      if (json) stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    note(text) {
      stderr.write(`${text}\n`);
    },
    progress: () => createProgress(stderr, isTTY),
    async close() {
      if (ownTemporal && temporal) await temporal.then((c) => c.connection.close()).catch(() => undefined);
      if (ownDb && db) await db.destroy().catch(() => undefined);
      if (ownMailchimp && mailchimp) mailchimp.close();
    },
  };
  return ctx;
}
