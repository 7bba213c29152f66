/** Helpers shared by the e-commerce routes. */
import type { Services } from '../context';
import { ApiError, badRequest, notFound } from '../problem';
import type { Json, ListRecord, Stamped, StoreRecord } from '../state';
import { mailchimpTime } from '../util';

export const STORES = '/ecommerce/stores';

export function findStore(services: Services, storeId: string): StoreRecord {
  const store = services.state.stores.get(storeId);
  if (!store) throw notFound();
  return store;
}

export function storeList(services: Services, store: StoreRecord): ListRecord {
  const list = services.state.lists.get(String(store.data.list_id));
  if (!list) throw new ApiError(500, 'Internal Server Error', 'The store names an audience that no longer exists.');
  return list;
}

export function found<T>(value: T | undefined): T {
  if (value === undefined) throw notFound();
  return value;
}

export const duplicate = (what: string): ApiError => badRequest(`${what} with the provided ID already exists in the account.`);

export function stamp(data: Json): Stamped {
  const now = mailchimpTime();
  return { data, created_at: now, updated_at: now };
}

export function touch(record: Stamped, changes: Json): void {
  Object.assign(record.data, withoutUndefined(changes));
  record.updated_at = mailchimpTime();
}

/**
 * The changes of a PATCH (or a merging write) with each address it sends merged part by part into the stored one:
 * a part the body leaves out is kept, a part sent as "" is emptied (docs/emulator.md, "Clearing a field").
 */
export function mergeAddresses(stored: Json, changes: Json, fields: readonly string[]): Json {
  const out: Json = { ...changes };
  for (const field of fields) {
    const sent = changes[field];
    const had = stored[field];
    if (sent && typeof sent === 'object' && had && typeof had === 'object') out[field] = { ...(had as Json), ...withoutUndefined(sent as Json) };
  }
  return out;
}

export function withoutUndefined(object: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(object)) if (value !== undefined) out[key] = value;
  return out;
}

/** A collection answer: the page under Mailchimp's key, plus total_items. */
export function collection(key: string, items: unknown[], total: number, extra: Json = {}): Json {
  return { [key]: items, ...extra, total_items: total, _links: [] };
}
