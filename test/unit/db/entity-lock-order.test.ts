import { lockOrder } from '../../../db/entity-lock';

describe('the one lock order', () => {
  it('puts orders and promo codes before what they sync on the way (customers, promo rules, products), each once, ids sorted', () => {
    const keys = lockOrder([
      { type: 'product', id: '2' }, { type: 'customer', id: 'b' }, { type: 'order', id: '9' }, { type: 'product', id: '10' },
      { type: 'promo_rule', id: '1' }, { type: 'promo_code', id: '4' }, { type: 'order', id: '9' }, { type: 'customer', id: 'a' },
    ]);
    expect(keys).toEqual([
      { type: 'order', id: '9' }, { type: 'promo_code', id: '4' }, { type: 'customer', id: 'a' }, { type: 'customer', id: 'b' },
      { type: 'promo_rule', id: '1' }, { type: 'product', id: '10' }, { type: 'product', id: '2' },
    ]);
  });
});
