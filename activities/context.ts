import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { MailchimpClient } from '../mailchimp/client';
import { stableStringify } from '../mapping/hash';
import type { AudienceKnowledge, SyncState } from '../db/sync-state';
import type { ShopSource } from '../source/shop-source';
import type { ShopSettings } from '../source/types';

export interface SyncConfig {
  storeId: string;
  listId: string;
  redemptionUrlTemplate: string;
  taskQueue: string;
  optInTimeout: string;
  /** How a full resync sends rows (BACKFILL_MODE): one call per write, or Mailchimp batch operations. */
  backfillMode: BackfillMode;
}

export type BackfillMode = 'direct' | 'batch';

/** Reads BACKFILL_MODE's value; anything else is refused. */
export function parseBackfillMode(value: string): BackfillMode {
  if (value === 'direct' || value === 'batch') return value;
  throw new Error(`BACKFILL_MODE must be direct or batch, got "${value}"`);
}

/** Everything an activity needs, wired once by the worker (tests wire a test database and the emulator). */
export interface SyncDeps {
  source: ShopSource;
  mailchimp: MailchimpClient;
  state: SyncState;
  audience: AudienceKnowledge;
  config: SyncConfig;
  /** Starts and signals entity workflows (the change scanner and the immediate path). */
  temporal: () => Promise<Client>;
}

/** Per-call view of the shop and audience settings, read once per activity run instead of once per entity. */
export interface SyncContext {
  deps: SyncDeps;
  settings: ShopSettings;
  doubleOptIn: () => Promise<boolean>;
}

export async function createContext(deps: SyncDeps): Promise<SyncContext> {
  const settings = await deps.source.settings();
  let doubleOptIn: Promise<boolean> | undefined;
  return {
    deps,
    settings,
    doubleOptIn: () => {
      doubleOptIn ??= deps.mailchimp.getList(deps.config.listId).then((list) => Boolean(list.double_optin));
      return doubleOptIn;
    },
  };
}

export function contentHash(value: unknown): string {
  return createHash('sha256').update(stableStringify(value)).digest('hex');
}

/** What one entity sync did. `failed` carries a reason a person understands. */
export type EntityOutcome =
  | { status: 'synced' | 'unchanged' | 'deleted' | 'paused'; entityId: string }
  | { status: 'skipped'; entityId: string; reason: string }
  | { status: 'failed'; entityId: string; reason: string; detail?: string };
