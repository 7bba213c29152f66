import { parseEntityType, parseResyncScope, parseScope, SCOPES } from '../../../client/cli/args';
import { SCAN_SCOPES as SCHEDULED_SCOPES } from '../../../client/schedules';
import {
  coversAllTypes, dependenciesOf, ENTITY_TYPE_INFO, ENTITY_TYPES, entityTypeOfAlias, type EntityType, PRUNED_TYPES, SCAN_SCOPES, TYPES_OF_SCOPE,
} from '../../../mapping/entity-types';
import { ENTITY_TYPES as IDS_ENTITY_TYPES } from '../../../mapping/ids';
import { entitiesOf, MAIN_TABLE, TABLES_FEEDING } from '../../../source/watched-tables';

// The compiler fails this object when a type is added to EntityType and not here; the tests below then fail when
// the description or anything derived from it lacks the type.
const EVERY_TYPE: Record<EntityType, true> = { product: true, customer: true, order: true, promo_rule: true, promo_code: true, cart: true };
const ALL = Object.keys(EVERY_TYPE) as EntityType[];

describe('the entity type description', () => {
  it('describes every entity type exactly once, in dependency order', () => {
    expect([...ENTITY_TYPES].sort()).toEqual([...ALL].sort());
    expect(new Set(ENTITY_TYPES).size).toBe(ENTITY_TYPES.length);
    expect(ENTITY_TYPES).toEqual(['product', 'promo_rule', 'promo_code', 'customer', 'order', 'cart']);
    expect(IDS_ENTITY_TYPES).toBe(ENTITY_TYPES);
  });

  it('puts every type in exactly one scan scope, and every scope is scheduled', () => {
    const scoped = SCAN_SCOPES.flatMap((scope) => TYPES_OF_SCOPE[scope]);
    expect([...scoped].sort()).toEqual([...ALL].sort());
    expect(scoped).toHaveLength(ALL.length);
    expect([...SCHEDULED_SCOPES].sort()).toEqual(Object.keys(TYPES_OF_SCOPE).sort());
  });

  it('prunes the types that orders reference but do not own, and carts (a cart gone from the shop leaves Mailchimp)', () => {
    expect([...PRUNED_TYPES].sort()).toEqual(['cart', 'product', 'promo_code', 'promo_rule']);
  });

  it.each(ALL)('%s: the CLI knows its name, its aliases and its scope', (type) => {
    const info = ENTITY_TYPE_INFO.find((t) => t.type === type);
    expect(info).toBeDefined();
    expect(info?.aliases).toContain(type);
    for (const alias of info?.aliases ?? []) {
      expect(entityTypeOfAlias(alias)).toBe(type);
      expect(parseEntityType(alias)).toBe(type);
    }
    expect(parseScope(type)).toEqual({ scope: null, types: [type] });
    expect(parseScope('all').types).toContain(type);
    expect(SCOPES).toContain(info?.scope);
    expect(parseResyncScope(type)).toBe(info?.scope);
  });

  it.each(ALL)('%s: the change scan watches its own table, and a change there is its entity', (type) => {
    const info = ENTITY_TYPE_INFO.find((t) => t.type === type);
    expect(TABLES_FEEDING[type]).toContain(info?.table);
    expect(info && MAIN_TABLE[info.table]).toBe(type);
    const row = { id: '7', parentId: null, emailHash: type === 'customer' ? 'h' : null };
    expect(info && entitiesOf(info.table, row).map((e) => e.type)).toContain(type);
  });

  it('aliases are unambiguous', () => {
    const aliases = ENTITY_TYPE_INFO.flatMap((t) => t.aliases);
    expect(new Set(aliases).size).toBe(aliases.length);
  });

  it('tells a run of every type from a partial one by set, not by count', () => {
    expect(coversAllTypes(ENTITY_TYPES)).toBe(true);
    expect(coversAllTypes([...ENTITY_TYPES].reverse())).toBe(true);
    expect(coversAllTypes(ENTITY_TYPES.slice(1))).toBe(false);
    expect(coversAllTypes([...ENTITY_TYPES.slice(1), 'order'])).toBe(false);
  });

  it('a type waits only for earlier types: promo codes for their rules, orders for what they name, carts for orders', () => {
    for (const info of ENTITY_TYPE_INFO) {
      for (const before of info.after) expect(ENTITY_TYPES.indexOf(before)).toBeLessThan(ENTITY_TYPES.indexOf(info.type));
    }
    expect(dependenciesOf('product')).toEqual([]);
    expect(dependenciesOf('promo_rule')).toEqual([]);
    expect(dependenciesOf('customer')).toEqual([]);
    expect(dependenciesOf('promo_code')).toEqual(['promo_rule']);
    expect(dependenciesOf('order')).toEqual(['product', 'promo_rule', 'promo_code', 'customer']);
    expect(dependenciesOf('cart')).toEqual(['product', 'promo_rule', 'promo_code', 'customer', 'order']);
  });
});
