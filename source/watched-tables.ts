import { ENTITY_TYPE_INFO, type ShopTable } from '../mapping/entity-types';
import type { EntityType } from '../mapping/ids';

/**
 * Which shop tables feed which synced entities: the one rule the change scan follows for rows changed (by
 * updated_at) and rows deleted (the trigger-fed queue). Pure.
 */

export type WatchedTable = ShopTable;

/**
 * The tables each entity type's scan watches, in scan order: settings first, since a domain change restarts the
 * scan of what is built from it (products, promo codes); each type reads them with a cursor of its own.
 */
export const TABLES_FEEDING = Object.fromEntries(ENTITY_TYPE_INFO.map((t) => [t.type, t.feeds])) as Record<EntityType, readonly WatchedTable[]>;

/** The entity type a table's rows are (for the table scanned by a source without per-table reads). */
export const MAIN_TABLE: Partial<Record<WatchedTable, EntityType>> = Object.fromEntries(ENTITY_TYPE_INFO.map((t) => [t.table, t.type]));

/** A row of a watched table as the scan sees it: its key and what it points at. */
export interface RowRef {
  id: string;
  /** products.id of a variant, orders.id of a line, promotions.id of a code. */
  parentId: string | null;
  /** MD5 of the trimmed, lowercased e-mail of a user, or of a guest order's buyer. */
  emailHash: string | null;
}

/** A row changed after a cursor (its updated_at moved). */
export interface TableChange extends RowRef {
  updatedAt: string;
}

/**
 * What a trigger queued: a row deleted, the previous e-mail of a user or guest order, or a promo code added, renamed
 * or moved (and a promotion whose discount type changed), which the orders naming the code are built from.
 */
export interface QueuedChange extends RowRef {
  queueId: string;
  table: WatchedTable;
  event: 'delete' | 'email_changed' | 'promo_changed' | 'product_unlinked';
  /** The code text of a promo code row. */
  promoCode: string | null;
  /** The product an order line named (deleted, or moved to another product or variant). */
  productId: string | null;
}

/** Orders to look up by the promo code they name, or by any code of a promotion. */
export interface PromoLookup {
  codes: string[];
  promotionIds: string[];
}

export interface EntityRef {
  type: EntityType;
  id: string;
}

/** The entities to sync again because this row of `table` changed or was deleted. */
export function entitiesOf(
  table: WatchedTable, row: RowRef & { productId?: string | null }, event: 'changed' | QueuedChange['event'] = 'changed',
): EntityRef[] {
  const customer: EntityRef[] = row.emailHash ? [{ type: 'customer', id: row.emailHash }] : [];
  // A product kept in Mailchimp only for the orders naming it may no longer be needed.
  const linedProduct: EntityRef[] = row.productId ? [{ type: 'product', id: row.productId }] : [];
  if (event === 'product_unlinked') return linedProduct;
  // The row itself was only renamed: its own change is scanned by updated_at; the previous address needs a look.
  if (event === 'email_changed') return customer;
  // Only the orders naming the code change (promoLookup); the code or promotion itself is scanned by updated_at.
  if (event === 'promo_changed') return [];
  switch (table) {
    case 'shop_settings':
      return [];
    case 'products':
      return [{ type: 'product', id: row.id }];
    case 'product_variants':
      return row.parentId ? [{ type: 'product', id: row.parentId }] : [];
    case 'promotions':
      return [{ type: 'promo_rule', id: row.id }];
    case 'promo_codes':
      return [{ type: 'promo_code', id: row.id }];
    case 'users':
      return customer;
    case 'orders':
      return [{ type: 'order', id: row.id }, ...customer];
    case 'order_lines':
      return [...(row.parentId ? [{ type: 'order' as const, id: row.parentId }] : []), ...linedProduct];
    case 'carts':
      return [{ type: 'cart', id: row.id }];
    case 'cart_lines':
      return row.parentId ? [{ type: 'cart', id: row.parentId }] : [];
  }
}

/** The orders a queued promo change reaches: those naming the code, or any code of the promotion. */
export function promoLookup(queued: readonly QueuedChange[]): PromoLookup {
  const codes = new Set<string>();
  const promotionIds = new Set<string>();
  for (const q of queued) {
    if (q.table === 'promo_codes' && q.promoCode !== null && q.event !== 'email_changed') codes.add(q.promoCode);
    if (q.table === 'promotions' && q.event !== 'email_changed') promotionIds.add(q.id);
  }
  return { codes: [...codes], promotionIds: [...promotionIds] };
}

/** Each entity once, in first-seen order. */
export function distinctEntities(refs: readonly EntityRef[]): EntityRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const key = `${r.type}:${r.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The shop_settings rows the Mailchimp store is built from. */
export const STORE_SETTINGS: ReadonlySet<string> = new Set(['store_name', 'store_domain', 'store_currency']);

/** The shop_settings rows each type is built from too: URLs from the domain, prices checked against the currency. */
export const SETTINGS_FEEDING: Partial<Record<EntityType, ReadonlySet<string>>> = {
  product: new Set(['store_domain', 'store_currency']),
  promo_code: new Set(['store_domain']),
  cart: new Set(['store_domain', 'store_currency']),
};
