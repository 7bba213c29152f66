/**
 * The one description of the synced entity types. Everything that lists the types (the full resync's phases and
 * pruned set, the change-scan scopes and their schedules, the CLI aliases, the shop tables read, the reconcile
 * loaders) is derived from ENTITY_TYPE_INFO. Pure: workflows import it.
 */

export type EntityType = 'product' | 'customer' | 'order' | 'promo_rule' | 'promo_code' | 'cart';

/** A change-scan scope: one Temporal Schedule each; also a full resync scope and a CLI --type value. */
export type ScanScope = 'products' | 'promotions' | 'customers' | 'orders' | 'carts';

/** The shop tables whose rows feed synced entities. */
export type ShopTable =
  | 'shop_settings' | 'products' | 'product_variants' | 'promotions' | 'promo_codes' | 'users' | 'orders' | 'order_lines'
  | 'carts' | 'cart_lines';

export interface EntityTypeInfo {
  readonly type: EntityType;
  /** The table whose rows are this type's entities (one row, one entity). */
  readonly table: ShopTable;
  /** Every table the change scan watches for it, in scan order (settings first: a domain change restarts the scan). */
  readonly feeds: readonly ShopTable[];
  /** Whether the full resync deletes from Mailchimp what the shop no longer has. */
  readonly pruned: boolean;
  readonly scope: ScanScope;
  /** Every spelling an operator may use for it on the command line. */
  readonly aliases: readonly string[];
  /** The Mailchimp collection reconcile lists it from, under the store (promo codes are listed rule by rule). */
  readonly remoteCollection: 'products' | 'customers' | 'orders' | 'promo-rules' | 'promo-codes' | 'carts';
  /**
   * Sent only once the store's `is_syncing` is false: Mailchimp's automations ignore what arrives while the store
   * syncs (an abandoned cart sent during the first full sync never triggers its e-mail). The full resync sends these
   * types after it lowered is_syncing, and their syncs hold them before the first full sync finished.
   */
  readonly afterSyncing: boolean;
  /**
   * The types a full resync finishes (pages and pruning) before it starts this one: what this type's entities
   * reference in Mailchimp. Types that need none of each other run at the same time (their pages share the
   * connections). Only earlier types of this list (the dependency order).
   */
  readonly after: readonly EntityType[];
}

/** In dependency order (the full resync's phase order): what an order references is there before the order. */
export const ENTITY_TYPE_INFO: readonly EntityTypeInfo[] = [
  {
    type: 'product', table: 'products', feeds: ['shop_settings', 'products', 'product_variants'], pruned: true,
    scope: 'products', aliases: ['product', 'products'], remoteCollection: 'products', afterSyncing: false, after: [],
  },
  {
    type: 'promo_rule', table: 'promotions', feeds: ['promotions'], pruned: true,
    scope: 'promotions', aliases: ['promo_rule', 'promo-rule', 'promotion', 'rule'], remoteCollection: 'promo-rules', afterSyncing: false, after: [],
  },
  {
    // A code is created under its rule.
    type: 'promo_code', table: 'promo_codes', feeds: ['shop_settings', 'promo_codes'], pruned: true,
    scope: 'promotions', aliases: ['promo_code', 'promo-code', 'code'], remoteCollection: 'promo-codes', afterSyncing: false, after: ['promo_rule'],
  },
  {
    type: 'customer', table: 'users', feeds: ['users'], pruned: false,
    scope: 'customers', aliases: ['customer', 'customers'], remoteCollection: 'customers', afterSyncing: false, after: [],
  },
  {
    // An order names its products' variants and its buyer (registered buyers are sent by the customer pages, with
    // their consent; guests travel inside their first order), and its promo code (kept after the codes, as before).
    type: 'order', table: 'orders', feeds: ['orders', 'order_lines'], pruned: false,
    scope: 'orders', aliases: ['order', 'orders'], remoteCollection: 'orders', afterSyncing: false, after: ['product', 'promo_code', 'customer'],
  },
  {
    // After orders: a cart is deleted when an order converted it. Its checkout URL is built from the domain.
    type: 'cart', table: 'carts', feeds: ['shop_settings', 'carts', 'cart_lines'], pruned: true,
    scope: 'carts', aliases: ['cart', 'carts'], remoteCollection: 'carts', afterSyncing: true, after: ['order'],
  },
];

/** Every entity type, in dependency order. */
export const ENTITY_TYPES: readonly EntityType[] = ENTITY_TYPE_INFO.map((t) => t.type);

/** The types the full resync prunes after their phase. */
export const PRUNED_TYPES: ReadonlySet<EntityType> = new Set(ENTITY_TYPE_INFO.filter((t) => t.pruned).map((t) => t.type));

/** The scan scopes, in dependency order of their first type. */
export const SCAN_SCOPES: readonly ScanScope[] = [...new Set(ENTITY_TYPE_INFO.map((t) => t.scope))];

/** The types of one scope, in dependency order. */
export function typesOfScope(scope: ScanScope): EntityType[] {
  return ENTITY_TYPE_INFO.filter((t) => t.scope === scope).map((t) => t.type);
}

export const TYPES_OF_SCOPE: Readonly<Record<ScanScope, readonly EntityType[]>> = SCAN_SCOPES.reduce(
  (all, scope) => ({ ...all, [scope]: typesOfScope(scope) }), {} as Record<ScanScope, readonly EntityType[]>,
);

/**
 * The types a full resync finishes before it starts `type`: its `after` types and theirs (transitively), in
 * dependency order.
 */
export function dependenciesOf(type: EntityType): EntityType[] {
  const needed = new Set<EntityType>();
  const visit = (t: EntityType) => {
    for (const before of infoOf(t).after) {
      if (!needed.has(before)) {
        needed.add(before);
        visit(before);
      }
    }
  };
  visit(type);
  return ENTITY_TYPES.filter((t) => needed.has(t));
}

/** The types sent only once is_syncing is false (afterSyncing), in dependency order. */
export const AFTER_SYNCING_TYPES: ReadonlySet<EntityType> = new Set(ENTITY_TYPE_INFO.filter((t) => t.afterSyncing).map((t) => t.type));

export function infoOf(type: EntityType): EntityTypeInfo {
  const info = ENTITY_TYPE_INFO.find((t) => t.type === type);
  if (!info) throw new Error(`Unknown entity type "${String(type)}"`);
  return info;
}

/** The entity type a CLI spelling names, if any. */
export function entityTypeOfAlias(alias: string): EntityType | undefined {
  return ENTITY_TYPE_INFO.find((t) => t.aliases.includes(alias))?.type;
}

/** Whether `types` holds every entity type (a set comparison: a run of all types, whatever their number). */
export function coversAllTypes(types: Iterable<EntityType>): boolean {
  const given = new Set(types);
  return ENTITY_TYPES.every((t) => given.has(t));
}
