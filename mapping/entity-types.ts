/**
 * The one description of the synced entity types. Everything that lists the types (the full resync's phases and
 * pruned set, the change-scan scopes and their schedules, the CLI aliases, the shop tables read, the reconcile
 * loaders) is derived from ENTITY_TYPE_INFO. Pure: workflows import it.
 */

export type EntityType = 'product' | 'customer' | 'order' | 'promo_rule' | 'promo_code';

/** A change-scan scope: one Temporal Schedule each; also a full resync scope and a CLI --type value. */
export type ScanScope = 'products' | 'promotions' | 'customers' | 'orders';

/** The shop tables whose rows feed synced entities. */
export type ShopTable =
  | 'shop_settings' | 'products' | 'product_variants' | 'promotions' | 'promo_codes' | 'users' | 'orders' | 'order_lines';

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
  readonly remoteCollection: 'products' | 'customers' | 'orders' | 'promo-rules' | 'promo-codes';
}

/** In dependency order (the full resync's phase order): what an order references is there before the order. */
export const ENTITY_TYPE_INFO: readonly EntityTypeInfo[] = [
  {
    type: 'product', table: 'products', feeds: ['shop_settings', 'products', 'product_variants'], pruned: true,
    scope: 'products', aliases: ['product', 'products'], remoteCollection: 'products',
  },
  {
    type: 'promo_rule', table: 'promotions', feeds: ['promotions'], pruned: true,
    scope: 'promotions', aliases: ['promo_rule', 'promo-rule', 'promotion', 'rule'], remoteCollection: 'promo-rules',
  },
  {
    type: 'promo_code', table: 'promo_codes', feeds: ['shop_settings', 'promo_codes'], pruned: true,
    scope: 'promotions', aliases: ['promo_code', 'promo-code', 'code'], remoteCollection: 'promo-codes',
  },
  {
    type: 'customer', table: 'users', feeds: ['users'], pruned: false,
    scope: 'customers', aliases: ['customer', 'customers'], remoteCollection: 'customers',
  },
  {
    type: 'order', table: 'orders', feeds: ['orders', 'order_lines'], pruned: false,
    scope: 'orders', aliases: ['order', 'orders'], remoteCollection: 'orders',
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

export const TYPES_OF_SCOPE: Readonly<Record<ScanScope, readonly EntityType[]>> = {
  products: typesOfScope('products'),
  promotions: typesOfScope('promotions'),
  customers: typesOfScope('customers'),
  orders: typesOfScope('orders'),
};

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
