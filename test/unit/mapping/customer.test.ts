import { z } from 'zod';
import { customerSchema, memberPutSchema } from '../../../mailchimp/schemas';
import { decideConsent } from '../../../mapping/consent';
import { CLEARED_CUSTOMER_ADDRESS } from '../../../mapping/address';
import { customerFromOrder, customerPayload, mapCustomer, orderBuyer, pendingMemberPut } from '../../../mapping/customer';
import { md5 } from '../../../mapping/ids';
import { expectSchemaAccepts, guestOrderCtx, orderCtx, payloadOf, userRow } from './fixtures';

describe('mapCustomer', () => {
  it('registered user: id = md5(trimmed lowercased email), email, first and last name', () => {
    const c = payloadOf(mapCustomer({ email: '  Zoe.Fake@Example.COM ', firstName: 'Zoë', lastName: 'Ŝmith-O’Connor', isGuest: false }));
    expect(c).toEqual({
      id: md5('zoe.fake@example.com'),
      email_address: 'zoe.fake@example.com',
      first_name: 'Zoë',
      last_name: 'Ŝmith-O’Connor',
    });
    expectSchemaAccepts(customerSchema, customerPayload(c, false), 'customer');
  });

  it('guest: sends only the first name', () => {
    const c = payloadOf(mapCustomer({ email: 'ana@mail.example.es', firstName: 'Ana María', lastName: 'López', isGuest: true }));
    expect(c).toEqual({ id: md5('ana@mail.example.es'), email_address: 'ana@mail.example.es', first_name: 'Ana María' });
    expect(c).not.toHaveProperty('last_name');
    expectSchemaAccepts(customerSchema, customerPayload(c, true), 'customer');
  });

  it('guest and registered user with the same email are the same customer', () => {
    const guest = payloadOf(mapCustomer({ email: 'SAME@example.com', firstName: null, lastName: null, isGuest: true }));
    const user = payloadOf(mapCustomer({ email: ' same@example.com', firstName: 'S', lastName: 'A', isGuest: false }));
    expect(guest.id).toBe(user.id);
  });

  it('keeps emoji and unicode in names, trims them and removes control characters', () => {
    const c = payloadOf(mapCustomer({ email: 'kim@example.kr', firstName: ' 김 🌟\u0007 ', lastName: '\u0000Ñúñez ', isGuest: false }));
    expect(c.first_name).toBe('김 🌟');
    expect(c.last_name).toBe('Ñúñez');
  });

  it('leaves out empty or missing names', () => {
    const c = payloadOf(mapCustomer({ email: 'x@example.com', firstName: '   ', lastName: null, isGuest: false }));
    expect(c).toEqual({ id: md5('x@example.com'), email_address: 'x@example.com' });
  });

  it.each([
    ['bob@@x', 'Customer was not sent: the email "bob@@x" is not a valid address (it must contain exactly one "@")'],
    ['', 'Customer was not sent: the email "" is not a valid address (it is empty)'],
    ['bob smith@example.com', 'Customer was not sent: the email "bob smith@example.com" is not a valid address (it contains a space or a control character)'],
    ['bob@localhost', 'Customer was not sent: the email "bob@localhost" is not a valid address (the domain has no dot)'],
  ])('refuses the invalid email %j with a reason', (email, reason) => {
    expect(mapCustomer({ email, firstName: 'Bob', lastName: null, isGuest: false })).toEqual({
      kind: 'invalid',
      reason,
      field: 'email_address',
    });
  });

  it('every address isValidEmail accepts, the payload schema accepts too', () => {
    const emails = ['a@b.co', "o'brien@example.ie", 'x_y+z@sub.example.co.uk', `${'a'.repeat(64)}@example.com`, 'A.B-C@EXAMPLE.ORG'];
    for (const email of emails) {
      const c = payloadOf(mapCustomer({ email, firstName: null, lastName: null, isGuest: true }));
      expect(z.string().email().safeParse(c.email_address).success).toBe(true);
    }
  });
});

describe('customerPayload / pendingMemberPut', () => {
  const c = payloadOf(mapCustomer({ email: 'new@example.com', firstName: 'New', lastName: 'Person', isGuest: false }));

  it('adds the opt_in_status the consent policy decided', () => {
    const d = decideConsent({ memberStatus: null, shopOptIn: true, alwaysOptIn: true, doubleOptIn: false });
    expect(customerPayload(c, d.customerOptIn)).toEqual({ ...c, address: CLEARED_CUSTOMER_ADDRESS, opt_in_status: true });
  });

  it('sends a name the person does not have as "" (a registered user who is a guest again loses the last name)', () => {
    const guest = payloadOf(mapCustomer({ email: 'new@example.com', firstName: 'New', lastName: 'Person', isGuest: true }));
    expect(customerPayload(guest, false)).toEqual({ ...guest, last_name: '', address: CLEARED_CUSTOMER_ADDRESS, opt_in_status: false });
    const nameless = payloadOf(mapCustomer({ email: 'new@example.com', firstName: null, lastName: null, isGuest: false }));
    expect(customerPayload(nameless, false)).toMatchObject({ first_name: '', last_name: '' });
    expectSchemaAccepts(customerSchema, customerPayload(nameless, false), 'customer');
  });

  it('the pending member PUT carries status_if_new pending only (never a status that would change a member)', () => {
    const body = pendingMemberPut(c);
    expect(body).toEqual({ email_address: 'new@example.com', status_if_new: 'pending' });
    expect(body).not.toHaveProperty('status');
    expectSchemaAccepts(memberPutSchema, body, 'member');
  });
});

describe('customerFromOrder / orderBuyer', () => {
  it('picks the registered user with both names and their shop consent', () => {
    const ctx = orderCtx();
    expect(orderBuyer(ctx)).toEqual({
      input: { email: '  Zoe.Fake@Example.COM ', firstName: 'Zoë', lastName: 'Ŝmith-O’Connor', isGuest: false },
      shopOptIn: true,
    });
    expect(payloadOf(customerFromOrder(ctx))).toEqual({
      id: md5('zoe.fake@example.com'),
      email_address: 'zoe.fake@example.com',
      first_name: 'Zoë',
      last_name: 'Ŝmith-O’Connor',
    });
  });

  it('carries a registered user’s refusal of consent', () => {
    expect(orderBuyer(orderCtx({}, { user: userRow({ marketing_opt_in: false }) }))?.shopOptIn).toBe(false);
  });

  it('picks the guest, with first name only and no consent', () => {
    const ctx = guestOrderCtx();
    expect(orderBuyer(ctx)?.shopOptIn).toBe(false);
    expect(payloadOf(customerFromOrder(ctx))).toEqual({
      id: md5('ana.lopez+shop@mail.example.es'),
      email_address: 'ana.lopez+shop@mail.example.es',
      first_name: 'Ana María',
    });
  });

  it('falls back to the guest email when the user row is gone', () => {
    const ctx = orderCtx({ guest_email: 'left@example.com', guest_first_name: 'Lee' }, { user: null });
    expect(payloadOf(customerFromOrder(ctx))).toEqual({ id: md5('left@example.com'), email_address: 'left@example.com', first_name: 'Lee' });
  });

  it('fails, naming the order, when nobody can be found', () => {
    const ctx = orderCtx({ user_id: null, guest_email: '  ' }, { user: null });
    expect(orderBuyer(ctx)).toBeUndefined();
    expect(customerFromOrder(ctx)).toEqual({
      kind: 'invalid',
      reason: 'Order 10023 was not sent: it has neither a registered customer nor a guest email',
      field: 'customer',
    });
  });

  it('fails, naming the order, on an invalid buyer email', () => {
    expect(customerFromOrder(guestOrderCtx({ guest_email: 'bob@@x' }))).toEqual({
      kind: 'invalid',
      reason: 'Order 10023 was not sent: the email "bob@@x" is not a valid address (it must contain exactly one "@")',
      field: 'email_address',
    });
  });
});
