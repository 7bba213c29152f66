/** Reconcile: loads both sides (load.ts), computes what Mailchimp should hold (expected.ts) and compares (compare.ts). */
import type { MailchimpClient } from '../../mailchimp';
import { ENTITY_TYPES, type EntityType } from '../../mapping/entity-types';
import type { ShopSource } from '../../source/shop-source';
import { compareCollection, type Drift, type ExpectedSet, type TypeSummary, type Unsent } from './compare';
import {
  expectedCustomers, expectedOrders, expectedProducts, expectedPromoCodes, expectedPromoRules, expectedStore, keptCustomers, type ShopSnapshot,
} from './expected';
import { expectedCarts } from './expected-carts';
import { loadAudience, loadRemote, loadShop, type Tick } from './load';

type Json = Record<string, unknown>;

export interface ReconcileReport {
  storeId: string;
  /** False when the Mailchimp store does not exist (everything is then missing). */
  storeExists: boolean;
  summaries: TypeSummary[];
  drifts: Drift[];
  /** Not drift: rows the mappers refuse, and missing entities the sync recorded as failed, each with its reason. */
  unsent: Unsent[];
}

export interface ReconcileIo {
  source: ShopSource;
  mailchimp: MailchimpClient;
  storeId: string;
  listId: string;
  redemptionUrlTemplate: string;
  /** CART_URL_TEMPLATE and CART_MAX_AGE (their defaults when left out). */
  cartUrlTemplate?: string;
  cartMaxAge?: string;
  /** The sync's recorded failures (load.ts loadFailures), `type:shop id` → reason: such a missing entity is not drift. */
  failures?: ReadonlyMap<string, string>;
}

const BUILDERS: Record<EntityType, (s: ShopSnapshot) => ExpectedSet> = {
  product: expectedProducts,
  promo_rule: expectedPromoRules,
  promo_code: expectedPromoCodes,
  customer: expectedCustomers,
  order: expectedOrders,
  cart: expectedCarts,
};

/** Dependency order, as the full resync runs. */
const ORDER = ENTITY_TYPES;

export async function reconcile(io: ReconcileIo, types: readonly EntityType[], tick: Tick = () => undefined): Promise<ReconcileReport> {
  const selected = new Set(types);
  const snapshot = await loadShop(io.source, selected, io, tick, io.mailchimp);
  if (selected.has('customer')) snapshot.audience = await loadAudience(io.mailchimp, io.listId, tick);
  const storeItems = await loadRemote(io.mailchimp, io.storeId, 'store', tick);
  const storeExists = storeItems.length > 0;
  const summaries: TypeSummary[] = [];
  const drifts: Drift[] = [];
  const unsent: Unsent[] = [];
  const store = compareCollection(expectedStore(snapshot), storeItems);
  summaries.push(store.summary);
  drifts.push(...store.drifts);
  unsent.push(...store.unsent);
  const loaded = new Map<EntityType, Promise<Json[]>>();
  const remoteOf = (type: EntityType): Promise<Json[]> => {
    if (!storeExists) return Promise.resolve([]);
    const cached = loaded.get(type) ?? loadRemote(io.mailchimp, io.storeId, type, tick);
    loaded.set(type, cached);
    return cached;
  };
  for (const type of ORDER.filter((t) => selected.has(t))) {
    const expected = BUILDERS[type](snapshot);
    if (type === 'customer') expected.kept = keptCustomers(expectedOrders(snapshot), await remoteOf('order'));
    const result = compareCollection(expected, await remoteOf(type), failuresOf(io.failures, type));
    summaries.push(result.summary);
    drifts.push(...result.drifts);
    unsent.push(...result.unsent);
  }
  return { storeId: io.storeId, storeExists, summaries, drifts, unsent };
}

/** One type's recorded failures, keyed by shop id. */
function failuresOf(failures: ReadonlyMap<string, string> | undefined, type: EntityType): Map<string, string> {
  const out = new Map<string, string>();
  const prefix = `${type}:`;
  for (const [key, reason] of failures ?? []) if (key.startsWith(prefix)) out.set(key.slice(prefix.length), reason);
  return out;
}
