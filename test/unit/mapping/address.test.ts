import { customerSchema, orderPatchSchema, orderSchema } from '../../../mailchimp/schemas';
import { CLEARED_CUSTOMER_ADDRESS, CLEARED_ORDER_ADDRESS, isCountryCode, mapCustomerAddress, mapOrderAddress } from '../../../mapping/address';
import { COUNTRY_NAMES } from '../../../mapping/countries';
import { customerInputOf, customerPayload, customerWarnings, mapCustomer } from '../../../mapping/customer';
import { mapOrder, orderPatchFrom, orderUrl, orderWarnings, sendsStatus, unsentStatuses } from '../../../mapping/order';
import { addressColumnsOf, OPTIONAL_ORDER_COLUMNS, OPTIONAL_USER_COLUMNS } from '../../../mapping/address-columns';
import type { ShopSettings } from '../../../mapping/shop-rows';
import { expectSchemaAccepts, orderCtx, payloadOf, settings } from './fixtures';

const berlin = { address1: ' Unter den Linden 1 ', address2: null, city: 'Berlin', province: 'Berlin', province_code: 'BE', postal_code: '10117', country_code: 'de', phone: '+49 30 1234' };

describe('the country list', () => {
  it('has the 249 officially assigned ISO 3166-1 alpha-2 codes, each with a name', () => {
    const codes = Object.keys(COUNTRY_NAMES);
    expect(codes).toHaveLength(249);
    expect(codes.every((c) => /^[A-Z]{2}$/.test(c))).toBe(true);
    expect(Object.values(COUNTRY_NAMES).every((n) => n.trim() !== '')).toBe(true);
  });

  it('accepts assigned codes only (not reserved, user-assigned or three-letter ones, nor lowercase)', () => {
    for (const code of ['US', 'DE', 'GB', 'AX', 'SS', 'CW']) expect(isCountryCode(code)).toBe(true);
    for (const code of ['UK', 'EU', 'XK', 'ZZ', 'AA', 'USA', 'us', '', '1A', 'constructor', 'toString']) expect(isCountryCode(code)).toBe(false);
  });
});

describe('mapCustomerAddress', () => {
  it('maps the parts, trimmed, the code uppercased with its country name; no phone (a customer address has none)', () => {
    expect(mapCustomerAddress(berlin)).toEqual({
      address: {
        address1: 'Unter den Linden 1', address2: '', city: 'Berlin', province: 'Berlin', province_code: 'BE', postal_code: '10117',
        country: 'Germany', country_code: 'DE',
      },
    });
  });

  it('sends nothing when every part is empty or missing (a view without the columns)', () => {
    expect(mapCustomerAddress({ address1: ' ', city: null, country_code: '' })).toEqual({});
    expect(mapCustomerAddress({})).toEqual({});
    expect(mapCustomerAddress(undefined)).toEqual({});
    expect(mapCustomerAddress({ phone: '+1 555' })).toEqual({});
  });

  it('an address without a country is sent without one', () => {
    expect(mapCustomerAddress({ city: 'Springfield' }).address).toMatchObject({ city: 'Springfield', country: '', country_code: '' });
  });

  it('an invalid country code leaves the whole address out, with a warning naming the code', () => {
    const r = mapCustomerAddress({ ...berlin, country_code: 'Deutschland' }, 'The customer\'s address');
    expect(r.address).toBeUndefined();
    expect(r.warning).toBe('The customer\'s address was sent without it: the country code "Deutschland" is not an ISO 3166-1 alpha-2 code');
    expect(mapCustomerAddress({ country_code: 'UK' }).warning).toContain('"UK"');
  });

  it('control characters are removed from the parts', () => {
    expect(mapCustomerAddress({ city: 'Mal\u0000mö', country_code: 'SE' }).address).toMatchObject({ city: 'Malmö', country: 'Sweden' });
  });
});

describe('mapOrderAddress', () => {
  it('adds the name and phone', () => {
    const r = mapOrderAddress({ ...berlin, name: ' Zoë Fake ' });
    expect(r.address).toMatchObject({ name: 'Zoë Fake', phone: '+49 30 1234', country_code: 'DE', city: 'Berlin' });
  });

  it('a name alone is an address', () => {
    expect(mapOrderAddress({ name: 'Zoë' }).address).toEqual({ ...CLEARED_ORDER_ADDRESS, name: 'Zoë' });
  });

  it('nothing when every part is empty', () => {
    expect(mapOrderAddress({ name: '', phone: null })).toEqual({});
  });
});

describe('addressColumnsOf', () => {
  it('reads the prefixed columns; a column the row lacks reads as null', () => {
    expect(addressColumnsOf({ shipping_city: 'Oslo', billing_city: 'Bergen', shipping_postal_code: 150 }, 'shipping_')).toEqual({
      name: null, address1: null, address2: null, city: 'Oslo', province: null, province_code: null, postal_code: '150', country_code: null, phone: null,
    });
  });

  it('the contract lists 8 user columns and 2 × 9 + 3 order columns', () => {
    expect(OPTIONAL_USER_COLUMNS.map((c) => c.name)).toEqual(['address1', 'address2', 'city', 'province', 'province_code', 'postal_code', 'country_code', 'phone']);
    expect(OPTIONAL_ORDER_COLUMNS).toHaveLength(21);
    expect(OPTIONAL_ORDER_COLUMNS.map((c) => c.name)).toEqual(expect.arrayContaining(['shipping_name', 'billing_country_code', 'tracking_url']));
  });
});

describe('customer with an address', () => {
  const record = { emailHash: 'h', email: 'zoe@example.com', firstName: 'Zoë', lastName: 'Fake', isGuest: false, shopOptIn: false, address: berlin };

  it('a registered user sends the address; the PUT carries it', () => {
    const c = payloadOf(mapCustomer(customerInputOf(record)));
    expect(c.address).toMatchObject({ city: 'Berlin', country_code: 'DE' });
    expect(customerPayload(c, false).address).toMatchObject({ city: 'Berlin' });
    expect(customerWarnings(customerInputOf(record))).toEqual([]);
    expectSchemaAccepts(customerSchema, customerPayload(c, false), 'customer');
  });

  it('an emptied address is sent with every part "", which clears it whether Mailchimp replaces or merges', () => {
    const c = payloadOf(mapCustomer(customerInputOf({ ...record, address: {} })));
    expect(c).not.toHaveProperty('address');
    expect(customerPayload(c, false).address).toEqual(CLEARED_CUSTOMER_ADDRESS);
    expectSchemaAccepts(customerSchema, customerPayload(c, false), 'customer');
  });

  it('a guest sends no address (their addresses are on their orders)', () => {
    const input = customerInputOf({ ...record, isGuest: true });
    expect(input.address).toBeUndefined();
    expect(payloadOf(mapCustomer({ ...input, address: berlin }))).not.toHaveProperty('address');
  });

  it('an invalid country: the customer is sent without the address, with a warning', () => {
    const input = customerInputOf({ ...record, address: { ...berlin, country_code: 'XX' } });
    expect(payloadOf(mapCustomer(input))).not.toHaveProperty('address');
    expect(customerWarnings(input)).toEqual(['The customer\'s address was sent without it: the country code "XX" is not an ISO 3166-1 alpha-2 code']);
  });
});

describe('order addresses, tracking and url', () => {
  const shipped = {
    status: 'shipped' as const,
    shipping_name: 'Zoë Fake', shipping_address1: 'Unter den Linden 1', shipping_city: 'Berlin', shipping_postal_code: '10117', shipping_country_code: 'DE',
    billing_name: 'Zoë Fake', billing_address1: '1 Main St', billing_city: 'Springfield', billing_province_code: 'IL', billing_country_code: 'us', billing_phone: '555-0100',
    tracking_number: ' 1Z999AA10123456784 ', tracking_carrier: 'UPS', tracking_url: 'https://ups.example/track/1Z999AA10123456784',
  };

  it('sends both addresses and the tracking fields', () => {
    const o = payloadOf(mapOrder(orderCtx(shipped), settings));
    expect(o.shipping_address).toMatchObject({ name: 'Zoë Fake', address1: 'Unter den Linden 1', city: 'Berlin', country: 'Germany', country_code: 'DE', phone: '' });
    expect(o.billing_address).toMatchObject({ city: 'Springfield', province_code: 'IL', country: 'United States', country_code: 'US', phone: '555-0100' });
    expect(o).toMatchObject({ tracking_number: '1Z999AA10123456784', tracking_carrier: 'UPS', tracking_url: 'https://ups.example/track/1Z999AA10123456784' });
    expect(orderWarnings(orderCtx(shipped))).toEqual([]);
    expectSchemaAccepts(orderSchema, o, 'order');
  });

  it('sends none of them when the columns are empty or missing', () => {
    const o = payloadOf(mapOrder(orderCtx({ shipping_city: ' ', tracking_number: '' }), settings));
    for (const field of ['shipping_address', 'billing_address', 'tracking_number', 'tracking_carrier', 'tracking_url', 'order_url']) expect(o).not.toHaveProperty(field);
  });

  it('the update clears what the order no longer has: every address part and tracking field as ""', () => {
    const patch = orderPatchFrom(payloadOf(mapOrder(orderCtx(), settings)));
    expect(patch).toMatchObject({ shipping_address: CLEARED_ORDER_ADDRESS, billing_address: CLEARED_ORDER_ADDRESS, tracking_number: '', tracking_carrier: '', tracking_url: '', order_url: '' });
    expectSchemaAccepts(orderPatchSchema, patch, 'order patch');
    const full = orderPatchFrom(payloadOf(mapOrder(orderCtx(shipped), settings)));
    expect(full.shipping_address).toMatchObject({ city: 'Berlin', address2: '' });
    expect(full.tracking_carrier).toBe('UPS');
  });

  it('an invalid country code leaves that address out with a warning; the order and its other address are sent', () => {
    const ctx = orderCtx({ ...shipped, shipping_country_code: 'Germany' });
    const o = payloadOf(mapOrder(ctx, settings));
    expect(o).not.toHaveProperty('shipping_address');
    expect(o.billing_address).toMatchObject({ country_code: 'US' });
    expect(orderWarnings(ctx)).toEqual(['Order 10023\'s shipping address was sent without it: the country code "Germany" is not an ISO 3166-1 alpha-2 code']);
  });

  it('order_url fills {domain}, {id} and {number}; an empty template (the default) sends none', () => {
    const order = { id: '900', order_number: 'A/10 23' };
    expect(orderUrl('https://{domain}/account/orders/{id}?n={number}', 'https://shop.example.com/', order)).toBe('https://shop.example.com/account/orders/900?n=A%2F10%2023');
    expect(orderUrl('', 'shop.example.com', order)).toBeUndefined();
    expect(orderUrl('https://{domain}/o/{id}', '', order)).toBeUndefined();
    const withUrl: ShopSettings = { ...settings, orders: { sendPending: false, urlTemplate: 'https://{domain}/o/{id}' } };
    expect(payloadOf(mapOrder(orderCtx(), withUrl)).order_url).toBe(`https://${settings.storeDomain}/o/900`);
    expect(payloadOf(mapOrder(orderCtx(), settings))).not.toHaveProperty('order_url');
  });
});

describe('pending orders (SEND_PENDING_ORDERS)', () => {
  const on: ShopSettings = { ...settings, orders: { sendPending: true, urlTemplate: '' } };

  it('off (the default): a pending order is skipped, and its status is the one not sent', () => {
    expect(mapOrder(orderCtx({ status: 'pending' }), settings).kind).toBe('skip');
    expect(sendsStatus('pending', settings)).toBe(false);
    expect(unsentStatuses(settings)).toEqual(['pending']);
  });

  it('on: a pending order is sent with financial_status pending, under the id it keeps once paid', () => {
    const pending = payloadOf(mapOrder(orderCtx({ status: 'pending' }), on));
    expect(pending.financial_status).toBe('pending');
    expect(pending).not.toHaveProperty('fulfillment_status');
    const paid = payloadOf(mapOrder(orderCtx({ status: 'paid' }), on));
    expect(paid.id).toBe(pending.id);
    expect(orderPatchFrom(paid).financial_status).toBe('paid');
    expect(unsentStatuses(on)).toEqual([]);
    expectSchemaAccepts(orderSchema, pending, 'order');
  });
});
