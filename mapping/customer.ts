/**
 * Customers. The Mailchimp customer id is md5(trim(lower(email))) for registered users and guests alike, so a guest
 * who registers later stays the same customer. `opt_in_status` is not decided here: see consent.ts.
 */
import type { CustomerPayload, MemberPutPayload } from '../mailchimp/schemas';
import type { AddressColumns } from './address-columns';
import type { CustomerRecord, OrderWithContext } from './shop-rows';
import { CLEARED_CUSTOMER_ADDRESS, mapCustomerAddress, type CustomerAddress } from './address';
import { customerIdForEmail, emailProblem, normaliseEmail } from './ids';
import { invalid, ok, type Mapped } from './result';
import { cleanText, quote, shorten } from './text';

/** Mailchimp's maxLength of a customer id (an md5 is 32, so this only guards against a future id scheme). */
export const CUSTOMER_ID_MAX_LENGTH = 50;

export interface CustomerInput {
  email: string;
  firstName: string | null;
  lastName: string | null;
  /** Guests send only a first name. */
  isGuest: boolean;
  /** A registered user's address columns (guests have none: their addresses are on their orders). */
  address?: AddressColumns;
}

/** The mapping's input for a customer the source read (the one conversion the syncs and reconcile share). */
export function customerInputOf(record: CustomerRecord): CustomerInput {
  const input: CustomerInput = { email: record.email, firstName: record.firstName, lastName: record.lastName, isGuest: record.isGuest };
  if (record.address !== undefined && !record.isGuest) input.address = record.address;
  return input;
}

/** What the customer is sent without, and why (an address whose country code is not ISO 3166-1 alpha-2). */
export function customerWarnings(input: CustomerInput): string[] {
  if (input.isGuest) return [];
  const { warning } = mapCustomerAddress(input.address, 'The customer\'s address');
  return warning === undefined ? [] : [warning];
}

/** A customer body without `opt_in_status`, which the consent policy adds. */
export interface MappedCustomer {
  id: string;
  email_address: string;
  first_name?: string;
  last_name?: string;
  address?: CustomerAddress;
}

/** The buyer of an order and whether they gave marketing consent in the shop (guests cannot: there is no column). */
export interface OrderBuyer {
  input: CustomerInput;
  shopOptIn: boolean;
}

/**
 * Maps a person to a customer. `subject` starts the reason sentence ("Customer", "Order 10023").
 * - the e-mail is trimmed and lowercased, and must pass isValidEmail;
 * - registered users send first_name and last_name; guests send only first_name;
 * - names are trimmed, control characters removed, empty names left out; unicode and emoji are kept;
 * - a registered user's address (mapping/address.ts) when it has one: an invalid country code leaves the address out
 *   (customerWarnings says so), the customer is still sent.
 */
export function mapCustomer(input: CustomerInput, subject = 'Customer'): Mapped<MappedCustomer> {
  const raw = input.email ?? '';
  const problem = emailProblem(raw);
  if (problem !== undefined) {
    return invalid(`${subject} was not sent: the email ${quote(raw)} is not a valid address (${problem})`, 'email_address');
  }
  const email = normaliseEmail(raw);
  const id = customerIdForEmail(email);
  if (id.length > CUSTOMER_ID_MAX_LENGTH) {
    return invalid(`${subject} was not sent: the customer id is longer than ${CUSTOMER_ID_MAX_LENGTH} characters`, 'id');
  }
  const payload: MappedCustomer = { id, email_address: email };
  const firstName = cleanText(input.firstName);
  if (firstName !== undefined) payload.first_name = firstName;
  if (!input.isGuest) {
    const lastName = cleanText(input.lastName);
    if (lastName !== undefined) payload.last_name = lastName;
    const { address } = mapCustomerAddress(input.address);
    if (address !== undefined) payload.address = address;
  }
  return ok(payload);
}

/**
 * The buyer of an order: the registered user when the order has one, else the guest fields.
 * An order whose user row is missing (deleted account) falls back to its guest e-mail when it has one.
 * Returns undefined when the order names nobody (no user, no guest e-mail).
 */
export function orderBuyer(ctx: OrderWithContext): OrderBuyer | undefined {
  const { order, user } = ctx;
  if (order.user_id !== null && user !== null) {
    return {
      input: { email: user.email, firstName: user.first_name, lastName: user.last_name, isGuest: false },
      shopOptIn: user.marketing_opt_in,
    };
  }
  if (order.guest_email !== null && order.guest_email.trim() !== '') {
    return {
      input: { email: order.guest_email, firstName: order.guest_first_name, lastName: order.guest_last_name, isGuest: true },
      shopOptIn: false,
    };
  }
  return undefined;
}

/** The customer of an order (user or guest), with reasons that name the order. */
export function customerFromOrder(ctx: OrderWithContext): Mapped<MappedCustomer> {
  const subject = `Order ${shorten(ctx.order.order_number)}`;
  const buyer = orderBuyer(ctx);
  if (buyer === undefined) {
    return invalid(`${subject} was not sent: it has neither a registered customer nor a guest email`, 'customer');
  }
  return mapCustomer(buyer.input, subject);
}

/**
 * The customer body to PUT, with the opt_in_status the consent policy decided (decideConsent().customerOptIn). A name
 * the person no longer has is sent as "" (a registered user who is a guest again has no last name), and an address
 * they no longer have with every part "": an update changes only what it is sent (docs/emulator.md, "Clearing a field").
 */
export function customerPayload(customer: MappedCustomer, optInStatus: boolean): CustomerPayload {
  return { first_name: '', last_name: '', address: { ...CLEARED_CUSTOMER_ADDRESS }, ...customer, opt_in_status: optInStatus };
}

/**
 * The member PUT of the consent policy's `create_pending` action: `status_if_new` only, so an address already in
 * the audience is never changed; a new one is created pending and Mailchimp e-mails the confirmation. No merge
 * fields: FNAME/LNAME may have been renamed or removed in the audience.
 */
export function pendingMemberPut(customer: MappedCustomer): MemberPutPayload {
  return { email_address: customer.email_address, status_if_new: 'pending' };
}
