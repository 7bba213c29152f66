import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { MailchimpClient } from '../mailchimp/client';
import { stableStringify } from '../mapping/hash';
import type { ScanState } from '../db/scan-state';
import type { AudienceKnowledge, SyncState } from '../db/sync-state';
import type { EntityLocks } from '../db/entity-lock';
import type { EntityType, ShopSource } from '../source/shop-source';
import type { BackfillMode, EntityOutcome } from '../workflows/activity-contract';
import type { ShopSettings } from '../mapping/shop-rows';

export interface SyncConfig {
  storeId: string;
  listId: string;
  redemptionUrlTemplate: string;
  taskQueue: string;
  optInTimeout: string;
  /** How a full resync sends rows (BACKFILL_MODE): one call per write, Mailchimp batch operations, or both at once. */
  backfillMode: BackfillMode;
  /** CHANGE_LOOKBACK: how long after its updated_at a row may commit and still be found by the change scan (default 5m). */
  changeLookback?: string;
  /** How long a Mailchimp batch may make no progress before it is stopped and its rows go direct (default 10 min). */
  batchStallMs?: number;
  /** CART_URL_TEMPLATE: a cart's checkout_url when its row has none (default https://{domain}/cart/{id}). */
  cartUrlTemplate?: string;
  /** CART_MAX_AGE: older carts are not sent (default 30 days). */
  cartMaxAge?: string;
}

export type { BackfillMode, EntityOutcome };

/** Reads BACKFILL_MODE's value; anything else is refused. */
export function parseBackfillMode(value: string): BackfillMode {
  if (value === 'direct' || value === 'batch' || value === 'auto') return value;
  throw new Error(`BACKFILL_MODE must be direct, batch or auto, got "${value}"`);
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
  /** The change scan's cursors and the rows it dispatched inside the look-back (db/scan-state.ts). */
  scan: ScanState;
  /** One writer per entity at a time, from its read to its record (db/entity-lock.ts). */
  locks: EntityLocks;
  /** Test builds only: production wiring leaves it undefined. */
  hooks?: SyncHooks;
}

/**
 * Where tests pause a sync to force an interleaving. `afterRead` runs after the shop read of an entity (single or
 * bulk), before anything is written for it; `lockWait` when the entity's lock is held by another writer.
 */
export interface SyncHooks {
  afterRead?: (type: EntityType, id: string) => Promise<void>;
  lockWait?: (type: EntityType, id: string) => void;
}

/** Per-call view of the shop and audience settings, read once per activity run instead of once per entity. */
export interface SyncContext {
  deps: SyncDeps;
  settings: ShopSettings;
  doubleOptIn: () => Promise<boolean>;
}

export async function createContext(base: SyncDeps): Promise<SyncContext> {
  const afterRead = base.hooks?.afterRead;
  const deps = afterRead ? { ...base, source: pausingAfterReads(base.source, afterRead) } : base;
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

/** The source with the test hook after each entity read (the reads the entity syncs and the batch pages make). */
function pausingAfterReads(source: ShopSource, afterRead: (type: EntityType, id: string) => Promise<void>): ShopSource {
  const single = <T>(type: EntityType, read: (id: string) => Promise<T>) => async (id: string) => {
    const found = await read(id);
    await afterRead(type, id);
    return found;
  };
  const bulk = <T>(type: EntityType, read: (ids: string[]) => Promise<Map<string, T>>) => async (ids: string[]) => {
    const found = await read(ids);
    for (const id of ids) await afterRead(type, id);
    return found;
  };
  const { products, customers, orders, carts, promotions, promoCodes } = source;
  return Object.assign(Object.create(source) as ShopSource, {
    product: single('product', (id) => source.product(id)),
    customer: single('customer', (id) => source.customer(id)),
    order: single('order', (id) => source.order(id)),
    promotion: single('promo_rule', (id) => source.promotion(id)),
    promoCode: single('promo_code', (id) => source.promoCode(id)),
    ...(source.cart ? { cart: single('cart', (id) => source.cart?.(id) ?? Promise.resolve(null)) } : {}),
    ...(products ? { products: bulk('product', (ids) => products.call(source, ids)) } : {}),
    ...(customers ? { customers: bulk('customer', (ids) => customers.call(source, ids)) } : {}),
    ...(orders ? { orders: bulk('order', (ids) => orders.call(source, ids)) } : {}),
    ...(carts ? { carts: bulk('cart', (ids) => carts.call(source, ids)) } : {}),
    ...(promotions ? { promotions: bulk('promo_rule', (ids) => promotions.call(source, ids)) } : {}),
    ...(promoCodes ? { promoCodes: bulk('promo_code', (ids) => promoCodes.call(source, ids)) } : {}),
  });
}
