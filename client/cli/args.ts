import { ENTITY_TYPES, entityTypeOfAlias, infoOf, SCAN_SCOPES, type EntityType, type ScanScope, TYPES_OF_SCOPE } from '../../mapping/entity-types';
import type { ResyncScope } from '../../workflows/full-resync';
import { usageError } from './errors';

/** Argument parsing shared by the commands. Pure: unit-tested in test/unit/cli/args.test.ts. */

export type Scope = ScanScope | 'all';
export const SCOPES: readonly Scope[] = [...SCAN_SCOPES, 'all'];

const SCOPE_TYPES: Record<Scope, readonly EntityType[]> = { ...TYPES_OF_SCOPE, all: ENTITY_TYPES };

/** A --type value: a scope (products, customers, orders, promotions, all) or one entity type (promo_code...). */
export function parseScope(raw: string | undefined, fallback: Scope = 'all'): { scope: Scope | null; types: EntityType[] } {
  if (raw === undefined) return { scope: fallback, types: [...SCOPE_TYPES[fallback]] };
  const value = raw.trim().toLowerCase();
  if ((SCOPES as readonly string[]).includes(value)) return { scope: value as Scope, types: [...SCOPE_TYPES[value as Scope]] };
  const one = entityTypeOfAlias(value);
  if (one) return { scope: null, types: [one] };
  throw usageError(`Unknown type "${raw}": use ${SCOPES.join(', ')} (or one of ${ENTITY_TYPES.join(', ')})`);
}

/** The scope of a full resync: the workflow knows only the scopes. */
export function parseResyncScope(raw: string | undefined): ResyncScope {
  const parsed = parseScope(raw);
  if (parsed.scope) return parsed.scope;
  return infoOf(parsed.types[0]).scope;
}

/** The type argument of `sync <type> <id>`: exactly one entity type. */
export function parseEntityType(raw: string): EntityType {
  const one = entityTypeOfAlias(raw.trim().toLowerCase());
  if (!one) throw usageError(`Unknown entity type "${raw}": use ${ENTITY_TYPES.slice(0, -1).join(', ')} or ${ENTITY_TYPES[ENTITY_TYPES.length - 1]}`);
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
