import { distinctEntities, entitiesOf, MAIN_TABLE, promoLookup, TABLES_FEEDING, type QueuedChange, type RowRef } from '../../../source/watched-tables';

const row = (r: Partial<RowRef> = {}): RowRef => ({ id: '7', parentId: null, emailHash: null, ...r });

describe('which entities a changed or deleted row feeds', () => {
  it('a variant or a line re-syncs its parent; products, promotions and codes themselves', () => {
    expect(entitiesOf('product_variants', row({ parentId: '3' }))).toEqual([{ type: 'product', id: '3' }]);
    expect(entitiesOf('order_lines', row({ parentId: '9' }))).toEqual([{ type: 'order', id: '9' }]);
    expect(entitiesOf('products', row())).toEqual([{ type: 'product', id: '7' }]);
    expect(entitiesOf('promotions', row())).toEqual([{ type: 'promo_rule', id: '7' }]);
    expect(entitiesOf('promo_codes', row({ parentId: '2' }))).toEqual([{ type: 'promo_code', id: '7' }]);
  });

  it('a deleted or moved order line also reaches the product it named (kept in Mailchimp only for orders, maybe)', () => {
    expect(entitiesOf('order_lines', { ...row({ parentId: '9' }), productId: '4' }, 'delete')).toEqual([{ type: 'order', id: '9' }, { type: 'product', id: '4' }]);
    expect(entitiesOf('order_lines', { ...row({ parentId: '9' }), productId: '4' }, 'product_unlinked')).toEqual([{ type: 'product', id: '4' }]);
  });

  it('a user is its customer; a guest order also reaches its guest customer', () => {
    expect(entitiesOf('users', row({ emailHash: 'h1' }))).toEqual([{ type: 'customer', id: 'h1' }]);
    expect(entitiesOf('orders', row({ emailHash: 'h2' }))).toEqual([{ type: 'order', id: '7' }, { type: 'customer', id: 'h2' }]);
    expect(entitiesOf('orders', row())).toEqual([{ type: 'order', id: '7' }]);
  });

  it('an e-mail change reaches only the customer of the previous address', () => {
    expect(entitiesOf('users', row({ emailHash: 'old' }), 'email_changed')).toEqual([{ type: 'customer', id: 'old' }]);
    expect(entitiesOf('orders', row({ emailHash: 'old' }), 'email_changed')).toEqual([{ type: 'customer', id: 'old' }]);
  });

  it('a row without its parent or address names nothing, and settings rows name no entity', () => {
    expect(entitiesOf('product_variants', row())).toEqual([]);
    expect(entitiesOf('users', row())).toEqual([]);
    expect(entitiesOf('shop_settings', row({ id: 'store_domain' }))).toEqual([]);
  });

  it('every watched table is scanned for some entity type, and each main table is its type\'s', () => {
    const scanned = [...new Set(Object.values(TABLES_FEEDING).flat())].sort();
    expect(scanned).toEqual(['cart_lines', 'carts', 'order_lines', 'orders', 'product_variants', 'products', 'promo_codes', 'promotions', 'shop_settings', 'users']);
    for (const [table, type] of Object.entries(MAIN_TABLE)) expect(TABLES_FEEDING[type]).toContain(table);
  });

  it('a promo change names no entity itself: the orders naming the code are looked up', () => {
    const q = (r: Partial<QueuedChange>): QueuedChange => ({ queueId: '1', table: 'promo_codes', event: 'promo_changed', promoCode: null, productId: null, ...row(), ...r });
    expect(entitiesOf('promo_codes', row(), 'promo_changed')).toEqual([]);
    expect(entitiesOf('promotions', row(), 'promo_changed')).toEqual([]);
    expect(promoLookup([
      q({ promoCode: 'SPRING' }), q({ promoCode: 'SPRING', event: 'delete' }), q({ promoCode: 'FALL ' }),
      q({ table: 'promotions', id: '5', event: 'promo_changed' }), q({ table: 'promotions', id: '6', event: 'delete' }),
      q({ table: 'users', emailHash: 'h', event: 'email_changed' }), q({ table: 'promo_codes', promoCode: null, event: 'delete' }),
    ])).toEqual({ codes: ['SPRING', 'FALL '], promotionIds: ['5', '6'] });
    expect(promoLookup([q({ table: 'order_lines', parentId: '3', event: 'delete' })])).toEqual({ codes: [], promotionIds: [] });
  });

  it('dispatches each entity once', () => {
    expect(distinctEntities([
      { type: 'product', id: '1' }, { type: 'order', id: '1' }, { type: 'product', id: '1' }, { type: 'product', id: '2' },
    ])).toEqual([{ type: 'product', id: '1' }, { type: 'order', id: '1' }, { type: 'product', id: '2' }]);
  });
});
