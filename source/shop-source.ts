import type {
  CartWithContext, CustomerRecord, OrderWithContext, ProductWithVariants, PromoCodeRow, PromotionRow, ShopSettings, UserRow,
} from '../mapping/shop-rows';

import type { EntityType } from '../mapping/ids';
import type { PromoLookup, QueuedChange, TableChange, WatchedTable } from './watched-tables';

export type { CustomerRecord, EntityType };

/** A keyset position: rows strictly after (updatedAt, id). */
export interface Cursor {
  updatedAt: string; // ISO 8601 with milliseconds
  id: string;
}

export interface ChangedRow {
  /** The row's primary key: the cursor's tie-breaker. */
  id: string;
  updatedAt: string;
  /** The id the sync knows the entity by: the row id, or the email hash for customers. */
  entityId: string;
}

/**
 * Everything the sync reads from a shop. The shop database is one implementation;
 * another source (e.g. Stripe) implements the same interface.
 */
export interface ShopSource {
  settings(): Promise<ShopSettings>;
  setSyncEnabled(enabled: boolean): Promise<void>;
  product(id: string): Promise<ProductWithVariants | null>;
  productIdsReferencedByOrders(productIds: string[]): Promise<Set<string>>;
  /** Of these products, the ones some order line references without a variant. */
  productIdsOrderedWithoutVariant(productIds: string[]): Promise<Set<string>>;
  /** SKUs that lines of sent (not pending) orders name for this product; none when a source lacks it. */
  orderedVariantSkus?(productId: string): Promise<string[]>;
  /** Ids of the sent (not pending) orders with a line for this product; none when a source lacks it. */
  orderIdsNamingProduct?(productId: string): Promise<string[]>;
  promotion(id: string): Promise<PromotionRow | null>;
  promoCode(id: string): Promise<PromoCodeRow | null>;
  /** The ids of a promotion's codes (a source without promotions may leave it out). */
  promoCodeIdsOf?(promotionId: string): Promise<string[]>;
  /** The guest orders with this email that a sync sends (not pending, unless pending orders are sent): a guest's customer reaches Mailchimp only with a sent order. */
  guestOrderIdsToSend?(emailHash: string): Promise<string[]>;
  /** The orders of this registered user that a sync sends (not pending, unless pending orders are sent). */
  userOrderIdsToSend?(userId: string): Promise<string[]>;
  customer(emailHash: string): Promise<CustomerRecord | null>;
  order(id: string): Promise<OrderWithContext | null>;
  /**
   * Rows of a type changed after the cursor, oldest first. Customers page over users. `upTo` (optional to honour: a
   * source may read past it) ends the rows at that key, inclusive: a full resync's page of one key range.
   */
  changedAfter(type: EntityType, after: Cursor | null, limit: number, until?: string, upTo?: Cursor): Promise<ChangedRow[]>;
  /** The newest updated_at of a type (null when empty). */
  newestChange(type: EntityType): Promise<string | null>;
  count(type: EntityType): Promise<number>;
  /** Which of these entity ids still exist in the shop. */
  existing(type: EntityType, entityIds: string[]): Promise<Set<string>>;
  /** The source's clock (the database's), so watermarks never depend on the worker's clock. */
  now(): Promise<string>;
  userByEmailHash(emailHash: string): Promise<UserRow | null>;
  /** Optional (the CLI's `show` and `sync` by code): the id of the product with this code, null when none has it. */
  productIdByCode?(code: string): Promise<string | null>;
  /** Optional (the CLI's `show` and `sync` by order number): the id of the order with this number, null when none has it. */
  orderIdByNumber?(orderNumber: string): Promise<string | null>;
  /**
   * Optional change detection per table (the shop database; docs/shop-database.md): rows of a watched table changed
   * after the cursor, oldest first by (updated_at, id); shop_settings rows have their name as id. Without it the
   * change scan reads changedAfter of each type's main table.
   */
  tableChangesAfter?(table: WatchedTable, after: Cursor | null, limit: number): Promise<TableChange[]>;
  /** Optional: rows deleted (and previous e-mails) the triggers queued for these tables, oldest first (after a queue id). */
  queuedChanges?(tables: readonly WatchedTable[], limit: number, afterQueueId?: string | null): Promise<QueuedChange[]>;
  /** Optional: removes queued changes once they were dispatched. */
  forgetQueued?(queueIds: readonly string[]): Promise<void>;
  /** Optional: ids of the orders naming these promo codes or any code of these promotions, after `afterId`, by id. */
  orderIdsNamingPromos?(lookup: PromoLookup, afterId: string | null, limit: number): Promise<string[]>;
  /**
   * Optional bulk reads for the batch backfill (one query per table for a page instead of a few per row); each
   * answers exactly what the single read answers for every id it finds. activities/batch/page.ts (readMany) falls back to the
   * single reads when a source lacks them.
   */
  products?(ids: string[]): Promise<Map<string, ProductWithVariants>>;
  customers?(emailHashes: string[]): Promise<Map<string, CustomerRecord>>;
  orders?(ids: string[]): Promise<Map<string, OrderWithContext>>;
  promotions?(ids: string[]): Promise<Map<string, PromotionRow>>;
  promoCodes?(ids: string[]): Promise<Map<string, PromoCodeRow>>;
  /** Optional: one cart with its lines, buyer and the buyer's last order. A source without carts sends none. */
  cart?(id: string): Promise<CartWithContext | null>;
  /** Optional bulk read of carts for the batch backfill (the same answer as `cart` for every id found). */
  carts?(ids: string[]): Promise<Map<string, CartWithContext>>;
  /**
   * Optional: the carts these orders may have converted (the carts naming one of them in order_id, and the carts of the
   * same buyer's e-mail), so the change scan looks at them again when an order is placed or changed.
   */
  cartIdsForOrders?(orderIds: string[]): Promise<string[]>;
  /** Optional: of these carts, those neither they nor a line of theirs changed since `since` (ISO): they aged out. */
  cartIdsUnchangedSince?(cartIds: string[], since: string): Promise<string[]>;
  /**
   * Optional: the carts built from these products (a line names one) or these users (their buyer): a product that
   * stops being sent, or a buyer's e-mail changed or deleted, changes the cart.
   */
  cartIdsNaming?(refs: { productIds: readonly string[]; userIds: readonly string[] }): Promise<string[]>;
  /** Optional: the carts whose buyer has this e-mail hash (a registered user's or a guest's). */
  cartIdsOfEmail?(emailHash: string): Promise<string[]>;
}
