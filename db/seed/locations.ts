/**
 * Addresses and tracking for the demo shop (the contract's optional columns, mapping/address-columns.ts): most users
 * and orders have an address, some have none, some only part of one, a few a country code that is not ISO 3166-1
 * alpha-2 (the sync leaves such an address out, with a warning); shipped orders mostly carry a tracking number.
 * Pure: its own random stream, so the other tables are the same as without it.
 */
import type { OrderRow, UserRow } from '../../mapping/shop-rows';
import { ADDRESS_PARTS, type AddressColumns } from '../../mapping/address-columns';
import type { Random } from '../../util/random';

interface Place {
  city: string;
  province: string;
  province_code: string;
  postal: () => string;
  country_code: string;
}

const PLACES: readonly Place[] = [
  { city: 'Springfield', province: 'Illinois', province_code: 'IL', postal: () => '62701', country_code: 'US' },
  { city: 'Atlanta', province: 'Georgia', province_code: 'GA', postal: () => '30308', country_code: 'US' },
  { city: 'Toronto', province: 'Ontario', province_code: 'ON', postal: () => 'M5V 2T6', country_code: 'CA' },
  { city: 'München', province: 'Bayern', province_code: 'BY', postal: () => '80331', country_code: 'DE' },
  { city: 'Paris', province: 'Île-de-France', province_code: 'IDF', postal: () => '75004', country_code: 'FR' },
  { city: 'Kraków', province: 'Małopolskie', province_code: '12', postal: () => '31-042', country_code: 'PL' },
  { city: '東京', province: '東京都', province_code: '13', postal: () => '100-0001', country_code: 'JP' },
  { city: 'São Paulo', province: 'São Paulo', province_code: 'SP', postal: () => '01310-100', country_code: 'BR' },
  { city: 'London', province: 'England', province_code: 'ENG', postal: () => 'SW1A 1AA', country_code: 'GB' },
  { city: 'Αθήνα', province: 'Attica', province_code: 'I', postal: () => '105 57', country_code: 'GR' },
];

const STREETS = ['Main St', 'Rue de Rivoli', 'Hauptstraße', 'ul. Floriańska', 'Baker Street', 'Avenida Paulista', 'Ποσειδώνος'];

/** Country codes people type that are not ISO 3166-1 alpha-2. */
const INVALID_COUNTRY_CODES = ['UK', 'Germany', 'XX', 'USA', 'EU'];

const CARRIERS = [
  { name: 'UPS', url: (n: string) => `https://www.ups.com/track?tracknum=${n}` },
  { name: 'DHL', url: (n: string) => `https://www.dhl.com/track?id=${n}` },
  { name: 'La Poste', url: (n: string) => `https://www.laposte.fr/outils/suivre-vos-envois?code=${n}` },
];

const EMPTY: Readonly<AddressColumns> = Object.freeze(Object.fromEntries(ADDRESS_PARTS.map((part) => [part, null])) as AddressColumns);

function emptyAddress(): AddressColumns {
  return EMPTY;
}

/** One address: complete, partial, with an invalid country code, or with a lowercase one; null parts stay null. */
function address(rng: Random): AddressColumns {
  const place = rng.pick(PLACES);
  const out: AddressColumns = {
    address1: `${rng.int(1, 240)} ${rng.pick(STREETS)}`,
    address2: rng.chance(0.25) ? `Apt ${rng.int(1, 60)}` : null,
    city: place.city,
    province: rng.chance(0.8) ? place.province : null,
    province_code: rng.chance(0.7) ? place.province_code : null,
    postal_code: place.postal(),
    country_code: place.country_code,
    phone: rng.chance(0.5) ? `+${rng.int(1, 99)} ${rng.int(100, 999)} ${rng.int(1000, 9999)}` : null,
  };
  const mess = rng.weighted({ clean: 80, partial: 8, invalid: 5, lowercase: 4, blank: 3 });
  if (mess === 'partial') return { ...emptyAddress(), city: out.city, country_code: rng.chance(0.5) ? out.country_code : null };
  if (mess === 'invalid') out.country_code = rng.pick(INVALID_COUNTRY_CODES);
  if (mess === 'lowercase') out.country_code = (out.country_code ?? '').toLowerCase();
  if (mess === 'blank') return { ...emptyAddress(), address1: '  ', city: '' };
  return out;
}

/** An order with its optional columns, set one by one on the generator's own fresh row (spreading a 40-column row per order made 100k orders several times slower). */
function located(o: OrderRow, s: AddressColumns, shippingName: string | null, b: AddressColumns, billingName: string | null, tracking: [string | null, string | null, string | null]): OrderRow {
  o.shipping_name = shippingName;
  o.billing_name = billingName;
  for (const part of ADDRESS_PARTS) {
    o[`shipping_${part}`] = s[part] ?? null;
    o[`billing_${part}`] = b[part] ?? null;
  }
  [o.tracking_number, o.tracking_carrier, o.tracking_url] = tracking;
  return o;
}

/**
 * Users and orders with their optional columns set (every column present, NULL when not set).
 * - users: 75% an address;
 * - orders: 80% a shipping address (the user's own for half of the registered buyers), a billing address that is the
 *   same (60%), another (20%) or none; shipped orders have a tracking number, carrier and URL (85%), others none.
 */
export function withLocations(rng: Random, users: UserRow[], orders: OrderRow[]): { users: UserRow[]; orders: OrderRow[] } {
  const withAddress = users.map((u): UserRow => {
    const a = rng.chance(0.75) ? address(rng) : emptyAddress();
    return {
      ...u, address1: a.address1 ?? null, address2: a.address2 ?? null, city: a.city ?? null, province: a.province ?? null,
      province_code: a.province_code ?? null, postal_code: a.postal_code ?? null, country_code: a.country_code ?? null, phone: a.phone ?? null,
    };
  });
  const byId = new Map(withAddress.map((u) => [u.id, u]));
  const sent = orders.map((o): OrderRow => {
    const user = o.user_id === null ? undefined : byId.get(o.user_id);
    const name = user ? [user.first_name, user.last_name].filter(Boolean).join(' ') || null : o.guest_first_name;
    const hasShipping = rng.chance(0.8);
    const own: AddressColumns | undefined = user && rng.chance(0.5) ? user : undefined;
    const shipping = hasShipping ? (own ?? address(rng)) : emptyAddress();
    const billingKind = rng.weighted({ same: 60, other: 20, none: 20 });
    const billing = billingKind === 'same' ? shipping : billingKind === 'other' ? address(rng) : emptyAddress();
    const carrier = rng.pick(CARRIERS);
    const number = `${carrier.name.slice(0, 2).toUpperCase()}${rng.hex(12).toUpperCase()}`;
    const tracked = o.status === 'shipped' && rng.chance(0.85);
    const url = tracked && rng.chance(0.8) ? carrier.url(number) : null;
    return located(o, shipping, hasShipping ? name : null, billing, billingKind === 'none' ? null : name, tracked ? [number, carrier.name, url] : [null, null, null]);
  });
  return { users: withAddress, orders: sent };
}
