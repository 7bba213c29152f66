/**
 * The contract's optional columns (docs/shop-database.md, "Optional columns"): a table or view may lack any of them,
 * and a missing column reads as NULL. The sync reads them with the rest of the row (`SELECT *`), so nothing names them
 * in a query; the migration adds them to the reference base tables. Pure.
 */

/** The parts of an address, as the contract names them (after a prefix on orders). */
export const ADDRESS_PARTS = ['address1', 'address2', 'city', 'province', 'province_code', 'postal_code', 'country_code', 'phone'] as const;
export type AddressPart = (typeof ADDRESS_PARTS)[number];

/** The two addresses of an order: their columns start with the prefix and have a `name` too. */
export const ORDER_ADDRESS_PREFIXES = ['shipping_', 'billing_'] as const;
export type OrderAddressPrefix = (typeof ORDER_ADDRESS_PREFIXES)[number];

export const TRACKING_COLUMNS = ['tracking_number', 'tracking_carrier', 'tracking_url'] as const;
export type TrackingColumn = (typeof TRACKING_COLUMNS)[number];

export interface OptionalColumn {
  name: string;
  /** VARCHAR length in the reference schema. */
  length: number;
}

const PART_LENGTH: Record<AddressPart, number> = {
  address1: 255, address2: 255, city: 255, province: 255, province_code: 32, postal_code: 64, country_code: 16, phone: 64,
};

/** users: the person's own address (the Mailchimp customer's `address`) and phone. */
export const OPTIONAL_USER_COLUMNS: readonly OptionalColumn[] = ADDRESS_PARTS.map((part) => ({ name: part, length: PART_LENGTH[part] }));

/** orders: the shipping and billing address with a name each, and the parcel's tracking. */
export const OPTIONAL_ORDER_COLUMNS: readonly OptionalColumn[] = [
  ...ORDER_ADDRESS_PREFIXES.flatMap((prefix) => [
    { name: `${prefix}name`, length: 255 },
    ...ADDRESS_PARTS.map((part) => ({ name: `${prefix}${part}`, length: PART_LENGTH[part] })),
  ]),
  { name: 'tracking_number', length: 255 },
  { name: 'tracking_carrier', length: 255 },
  { name: 'tracking_url', length: 2000 },
];

/** Address columns as a row holds them (any may be missing from a view, or NULL). */
export type AddressColumns = Partial<Record<AddressPart, string | null>>;

/** The optional columns of a users row. */
export type UserOptionalColumns = AddressColumns;

/** The optional columns of an orders row. */
export type OrderOptionalColumns = Partial<Record<`${OrderAddressPrefix}${AddressPart | 'name'}` | TrackingColumn, string | null>>;

/** Each part and the column holding it, after each prefix (an order's addresses have a `name` first). */
const COLUMNS_AFTER: Record<'' | OrderAddressPrefix, ReadonlyArray<readonly [AddressPart | 'name', string]>> = {
  '': ADDRESS_PARTS.map((part) => [part, part] as const),
  shipping_: (['name', ...ADDRESS_PARTS] as const).map((part) => [part, `shipping_${part}`] as const),
  billing_: (['name', ...ADDRESS_PARTS] as const).map((part) => [part, `billing_${part}`] as const),
};

/** The address columns of a row after a prefix ('' for users), without the prefix. */
export function addressColumnsOf(row: object, prefix: '' | OrderAddressPrefix = ''): AddressColumns & { name?: string | null } {
  const columns = row as Readonly<Record<string, unknown>>;
  const out: AddressColumns & { name?: string | null } = {};
  for (const [part, column] of COLUMNS_AFTER[prefix]) {
    const value = columns[column];
    out[part] = typeof value === 'string' ? value : value === null || value === undefined ? null : String(value);
  }
  return out;
}
