import { ENTITY_TYPES, type EntityType } from '../../mapping/ids';
import type { ResyncScope } from '../../workflows/full-resync';
import { usageError } from './errors';

/** Argument parsing shared by the commands. Pure: unit-tested in test/unit/cli/args.test.ts. */

export const SCOPES = ['products', 'customers', 'orders', 'promotions', 'all'] as const;
export type Scope = (typeof SCOPES)[number];

const SCOPE_TYPES: Record<Scope, EntityType[]> = {
  products: ['product'],
  customers: ['customer'],
  orders: ['order'],
  promotions: ['promo_rule', 'promo_code'],
  all: ['product', 'promo_rule', 'promo_code', 'customer', 'order'],
};

/** Every spelling an operator may use for one entity type. */
const ENTITY_ALIASES: Record<string, EntityType> = {
  product: 'product', products: 'product',
  customer: 'customer', customers: 'customer',
  order: 'order', orders: 'order',
  promo_rule: 'promo_rule', 'promo-rule': 'promo_rule', promotion: 'promo_rule', rule: 'promo_rule',
  promo_code: 'promo_code', 'promo-code': 'promo_code', code: 'promo_code',
};

/** A --type value: a scope (products, customers, orders, promotions, all) or one entity type (promo_code...). */
export function parseScope(raw: string | undefined, fallback: Scope = 'all'): { scope: Scope | null; types: EntityType[] } {
  if (raw === undefined) return { scope: fallback, types: SCOPE_TYPES[fallback] };
  const value = raw.trim().toLowerCase();
  if ((SCOPES as readonly string[]).includes(value)) return { scope: value as Scope, types: SCOPE_TYPES[value as Scope] };
  const one = ENTITY_ALIASES[value];
  if (one) return { scope: null, types: [one] };
  throw usageError(`Unknown type "${raw}": use ${SCOPES.join(', ')} (or one of ${ENTITY_TYPES.join(', ')})`);
}

/** The scope of a full resync: the workflow knows only the scopes. */
export function parseResyncScope(raw: string | undefined): ResyncScope {
  const parsed = parseScope(raw);
  if (parsed.scope) return parsed.scope;
  const type = parsed.types[0];
  if (type === 'promo_rule' || type === 'promo_code') return 'promotions';
  return `${type}s` as ResyncScope;
}

/** The type argument of `sync <type> <id>`: exactly one entity type. */
export function parseEntityType(raw: string): EntityType {
  const one = ENTITY_ALIASES[raw.trim().toLowerCase()];
  if (!one) throw usageError(`Unknown entity type "${raw}": use product, customer, order, promo_rule or promo_code`);
  return one;
}

export function parsePositiveInt(raw: string, what: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw usageError(`${what} must be a whole number of 1 or more, got "${raw}"`);
  }
  return value;
}

const MD5 = /^[0-9a-f]{32}$/i;

/** A customer is named by e-mail or by the md5 hash Mailchimp knows it by; the hash is returned lowercased. */
export function customerIdArg(raw: string, hashEmail: (email: string) => string): string {
  const value = raw.trim();
  if (MD5.test(value)) return value.toLowerCase();
  if (value.includes('@')) return hashEmail(value);
  throw usageError(`"${raw}" is neither an e-mail address nor an md5 customer id`);
}
