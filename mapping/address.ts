/**
 * Addresses: the contract's address columns (address-columns.ts) to a Mailchimp customer's `address` and an
 * order's `shipping_address` / `billing_address`. Pure.
 * - every part is trimmed, control characters removed; a part the row lacks or leaves empty is "";
 * - an address whose parts are all empty is not sent (undefined);
 * - `country_code` is uppercased and must be ISO 3166-1 alpha-2 (mapping/countries.ts); `country` is its English name.
 *   Any other code leaves the whole address out, with a warning for the sync state: a wrong country would put the
 *   person in the wrong segment, and the rest of the resource is sent all the same;
 * - a customer address has no name or phone (Mailchimp's customer address has neither): users.phone is not sent;
 * - the address is always complete (every part, "" when empty), and CLEARED_* is what empties it: whether Mailchimp
 *   replaces or merges an address it is sent, nothing of an older address survives.
 */
import type { AddressColumns } from './address-columns';
import { COUNTRY_NAMES } from './countries';
import { cleanText, quote, shorten } from './text';

export interface CustomerAddress {
  address1: string;
  address2: string;
  city: string;
  province: string;
  province_code: string;
  postal_code: string;
  country: string;
  country_code: string;
}

export interface OrderAddress extends CustomerAddress {
  name: string;
  phone: string;
}

export const CLEARED_CUSTOMER_ADDRESS: Readonly<CustomerAddress> = Object.freeze({
  address1: '', address2: '', city: '', province: '', province_code: '', postal_code: '', country: '', country_code: '',
});

export const CLEARED_ORDER_ADDRESS: Readonly<OrderAddress> = Object.freeze({ ...CLEARED_CUSTOMER_ADDRESS, name: '', phone: '' });

/** An address to send (absent when the row has none or it was left out) and why it was left out, if it was. */
export interface AddressResult<T> {
  address?: T;
  warning?: string;
}

/** Whether a code is an officially assigned ISO 3166-1 alpha-2 code (exactly two uppercase letters, in the list). */
export function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && Object.prototype.hasOwnProperty.call(COUNTRY_NAMES, code);
}

function part(value: string | null | undefined): string {
  return cleanText(value) ?? '';
}

function mapParts(columns: AddressColumns, what: string | (() => string)): AddressResult<CustomerAddress> & { empty: boolean } {
  const code = part(columns.country_code).toUpperCase();
  const address: CustomerAddress = {
    address1: part(columns.address1),
    address2: part(columns.address2),
    city: part(columns.city),
    province: part(columns.province),
    province_code: part(columns.province_code),
    postal_code: part(columns.postal_code),
    country: '',
    country_code: '',
  };
  const empty = code === '' && Object.values(address).every((v) => v === '');
  if (code === '') return { address, empty };
  if (!isCountryCode(code)) {
    return { empty: false, warning: `${typeof what === 'string' ? what : what()} was sent without it: the country code ${quote(shorten(part(columns.country_code), 12))} is not an ISO 3166-1 alpha-2 code` };
  }
  return { address: { ...address, country_code: code, country: COUNTRY_NAMES[code] }, empty: false };
}

/** A registered user's address (users.address1 … country_code), for the Mailchimp customer. `what` names it. */
export function mapCustomerAddress(columns: AddressColumns | undefined, what = 'The address'): AddressResult<CustomerAddress> {
  const mapped = mapParts(columns ?? {}, what);
  if (mapped.warning !== undefined) return { warning: mapped.warning };
  return mapped.empty ? {} : { address: mapped.address };
}

/** An order's shipping or billing address (its prefixed columns, with `name` and `phone`). `what` names it (written only for a warning). */
export function mapOrderAddress(columns: (AddressColumns & { name?: string | null }) | undefined, what: string | (() => string) = 'The address'): AddressResult<OrderAddress> {
  const mapped = mapParts(columns ?? {}, what);
  if (mapped.warning !== undefined) return { warning: mapped.warning };
  const name = part(columns?.name);
  const phone = part(columns?.phone);
  if (mapped.empty && name === '' && phone === '') return {};
  return { address: { ...(mapped.address as CustomerAddress), name, phone } };
}
