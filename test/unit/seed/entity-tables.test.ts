import { generateShop, type ShopData } from '../../../db/seed/generate';
import { SHOP_TABLES } from '../../../db/seed/write';
import { ENTITY_TYPE_INFO } from '../../../mapping/entity-types';

/**
 * The demo seed covers every entity type of mapping/entity-types.ts: it writes the tables that feed the type and
 * generates rows of the type's own table. A sixth type the seed does not know fails here.
 */
describe('the demo seed and the entity types', () => {
  const shop = generateShop({ seed: 7, products: 20, customers: 20, orders: 40, promotions: 4, carts: 10 });
  const keyOf = new Map<string, keyof ShopData>(SHOP_TABLES.map((t) => [t.table, t.key]));

  it.each(ENTITY_TYPE_INFO.map((t) => [t.type, t] as const))('%s: its tables are written and its own table has rows', (_type, info) => {
    expect(info.feeds.filter((table) => !keyOf.has(table))).toEqual([]);
    const key = keyOf.get(info.table);
    expect(key).toBeDefined();
    expect(key && shop[key].length).toBeGreaterThan(0);
  });
});
