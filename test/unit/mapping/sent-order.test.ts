import { isSentOrder, keepsRetiredProduct, productIdsLeft } from '../../../mapping/sent-order';
import { guestOrderCtx, orderCtx, settings } from './fixtures';

/** The one predicate for what an order keeps in Mailchimp (a guest's customer, a gone product's stand-in). */
describe('isSentOrder', () => {
  it('is true for an order the mapping accepts', () => {
    expect(isSentOrder(orderCtx(), settings)).toBe(true);
    expect(isSentOrder(guestOrderCtx({ status: 'cancelled' }), settings)).toBe(true);
  });
  it('is false for a pending order (not sent) and for one the mapping refuses (property test, seed 9001 path 51)', () => {
    expect(isSentOrder(orderCtx({ status: 'pending' }), settings)).toBe(false);
    expect(isSentOrder(guestOrderCtx({ status: 'cancelled', guest_email: 'not valid@example' }), settings)).toBe(false);
    expect(isSentOrder(orderCtx({}, { lines: [] }), settings)).toBe(false);
  });
});

/** A product id no product is sent under any more stays while an order Mailchimp holds names it (issue 10). */
describe('keepsRetiredProduct', () => {
  const held = (...ids: string[]) => ({ lines: ids.map((product_id) => ({ product_id })) });
  it('keeps the old code while a held order names it, and only then', () => {
    expect(keepsRetiredProduct('OLD', [held('NEW'), held('OLD', 'OTHER')])).toBe(true);
    expect(keepsRetiredProduct('OLD', [held('NEW'), held('OTHER')])).toBe(false);
    expect(keepsRetiredProduct('OLD', [])).toBe(false);
    expect(keepsRetiredProduct('OLD', [{}])).toBe(false);
  });
});

describe('productIdsLeft', () => {
  it('lists each product id the lines named before and name no more; every one for an order that left', () => {
    const before = [{ lines: [{ product_id: 'OLD' }, { product_id: 'KEPT' }, { product_id: 'OLD' }] }];
    expect(productIdsLeft(before, [{ product_id: 'NEW' }, { product_id: 'KEPT' }])).toEqual(['OLD']);
    expect(productIdsLeft(before)).toEqual(['OLD', 'KEPT']);
    expect(productIdsLeft([{ lines: [{ product_id: 7 }] }, {}])).toEqual([]);
  });
});
