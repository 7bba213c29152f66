import type { Knex } from 'knex';
import type { ShopSource } from './shop-source';

/** The shop database's answers to the CLI's lookups by a merchant's own identifiers (product code, order number). */
export function createShopDbLookups(db: Knex): Required<Pick<ShopSource, 'productIdByCode' | 'orderIdByNumber'>> {
  return {
    async productIdByCode(code) {
      const row = (await db('products').where({ code }).first('id')) as { id: string } | undefined;
      return row ? String(row.id) : null;
    },
    async orderIdByNumber(orderNumber) {
      const row = (await db('orders').where({ order_number: orderNumber }).first('id')) as { id: string } | undefined;
      return row ? String(row.id) : null;
    },
  };
}
