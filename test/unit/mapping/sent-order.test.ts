import { isSentOrder } from '../../../mapping/sent-order';
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
