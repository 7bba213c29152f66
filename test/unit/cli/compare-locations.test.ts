import { compareEntity } from '../../../client/reconcile/compare';
import { CLEARED_ORDER_ADDRESS } from '../../../mapping/address';
import { mapOrder } from '../../../mapping/order';
import { orderCtx, payloadOf, settings } from '../mapping/fixtures';

type Json = Record<string, unknown>;

/** Reconcile compares an order's addresses part by part and its tracking fields; empty is "" or absent alike. */
const view = (o: Json): Json => ({
  order_url: '', tracking_number: '', tracking_carrier: '', tracking_url: '', shipping_address: { ...CLEARED_ORDER_ADDRESS, company: '' }, billing_address: { ...CLEARED_ORDER_ADDRESS, company: '' },
  ...o, customer: { id: 'x' },
});
const fields = (expected: Json, actual: Json) => compareEntity('order', expected, actual).map((d) => d.field).sort();

describe('reconcile: order addresses and tracking', () => {
  const plain = payloadOf(mapOrder(orderCtx(), settings)) as unknown as Json;
  const located = payloadOf(mapOrder(orderCtx({
    shipping_city: 'Oslo', shipping_country_code: 'NO', billing_name: 'Kari', tracking_number: 'T-1', tracking_carrier: 'Posten',
  }), { ...settings, orders: { sendPending: false, urlTemplate: 'https://{domain}/o/{id}' } })) as unknown as Json;

  it('an order without them matches Mailchimp\'s empty addresses and tracking', () => {
    expect(fields(plain, view(plain))).toEqual([]);
  });

  it('a sent address and tracking match what Mailchimp answers (every part, "" for the rest)', () => {
    const answered = view({ ...located, shipping_address: { ...CLEARED_ORDER_ADDRESS, company: '', ...(located.shipping_address as Json) } });
    expect(fields(located, answered)).toEqual([]);
  });

  it('finds an address part, a tracking field or an order_url that differs, and one Mailchimp kept after the shop emptied it', () => {
    const answered = view({ ...located, shipping_address: { ...(located.shipping_address as Json), city: 'Bergen' }, tracking_carrier: 'DHL', order_url: 'https://old/o/1' });
    expect(fields(located, answered)).toEqual(['order_url', 'shipping_address', 'tracking_carrier']);
    expect(fields(plain, view({ ...plain, billing_address: { name: 'Kari' }, tracking_url: 'https://t.example/1' }))).toEqual(['billing_address', 'tracking_url']);
  });
});
