/** The Mailchimp store: one per shop, tied to one audience for ever. */
import type { StorePatchPayload, StorePayload } from '../mailchimp/schemas';
import type { ShopSettings } from './shop-rows';
import { isCurrencyCode, normaliseCurrency } from './money';
import { invalid, ok, type Mapped } from './result';
import { cleanText, quote } from './text';

/** The `platform` sent on the store. */
export const PLATFORM_NAME = 'Mailchimp E-commerce Sync';

export interface StoreIds {
  storeId: string;
  listId: string;
}

/**
 * The shop's bare host name: "https://Shop.example.com/" → "Shop.example.com". The settings may hold the domain
 * with or without a scheme or trailing slash; URLs are always built as "https://" + this.
 */
export function normaliseDomain(domain: string): string {
  return domain
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/\/+$/, '');
}

/** id = MAILCHIMP_STORE_ID, list_id = MAILCHIMP_LIST_ID, name, domain, currency_code (uppercased), a fixed platform. */
export function mapStore(settings: ShopSettings, ids: StoreIds): Mapped<StorePayload> {
  if (ids.storeId.trim() === '') return invalid('The store was not sent: MAILCHIMP_STORE_ID is empty', 'id');
  if (ids.listId.trim() === '') return invalid('The store was not sent: MAILCHIMP_LIST_ID is empty', 'list_id');
  const name = cleanText(settings.storeName);
  if (name === undefined) return invalid('The store was not sent: the shop setting store_name is empty', 'name');
  if (!isCurrencyCode(settings.storeCurrency)) {
    return invalid(
      `The store was not sent: the store currency ${quote(settings.storeCurrency)} is not a 3-letter ISO 4217 code`,
      'currency_code',
    );
  }
  const payload: StorePayload = {
    id: ids.storeId,
    list_id: ids.listId,
    name,
    platform: PLATFORM_NAME,
    currency_code: normaliseCurrency(settings.storeCurrency),
  };
  const domain = normaliseDomain(settings.storeDomain ?? '');
  if (domain !== '') payload.domain = domain;
  return ok(payload);
}

/**
 * The PATCH body for a store that exists: everything but `id` and `list_id` (a store cannot change audience). A PATCH
 * keeps what a body leaves out, so a domain the shop cleared is sent as "" to clear it in Mailchimp too.
 */
export function storePatchFrom(payload: StorePayload): StorePatchPayload {
  const { id: _id, list_id: _listId, ...rest } = payload;
  return { ...rest, domain: rest.domain ?? '' };
}
