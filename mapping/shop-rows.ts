/**
 * Rows as the sync reads them from a source (the shop database's contract tables): what the mapping takes. They live
 * with the mapping, which source/ may import (source/shop-source.ts reads them), so no folder loop goes through them.
 * Ids and money are strings, exactly as stored (BIGINT and DECIMAL); dates are Date objects in UTC.
 */

import type { AddressColumns, OrderOptionalColumns, UserOptionalColumns } from './address-columns';

/** What a customer is, whether it comes from a registered user or only from guest orders. */
export interface CustomerRecord {
  emailHash: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  isGuest: boolean;
  shopOptIn: boolean;
  /** A registered user's address columns (absent for a guest, or a source without them). */
  address?: AddressColumns;
}

export interface ShopSettings {
  mailchimpSyncEnabled: boolean;
  alwaysOptIn: boolean;
  storeName: string;
  storeDomain: string;
  storeCurrency: string;
  /**
   * How orders are sent, from the configuration (SEND_PENDING_ORDERS, ORDER_URL_TEMPLATE), which the source that
   * reads the settings was given; absent: pending orders are not sent and no order_url.
   */
  orders?: OrderSendOptions;
}

export interface OrderSendOptions {
  /** SEND_PENDING_ORDERS: a pending order is sent with financial_status "pending" (Order Confirmation). */
  sendPending: boolean;
  /** ORDER_URL_TEMPLATE: `order_url` with {domain}, {id} and {number} filled in; "" sends none. */
  urlTemplate: string;
}

export interface ProductRow {
  id: string;
  code: string;
  title: string;
  description: string | null;
  category: string | null;
  vendor: string | null;
  seo_url: string | null;
  image_url: string | null;
  status: 'active' | 'inactive' | 'deleted';
  published_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface VariantRow {
  id: string;
  product_id: string;
  sku: string;
  title: string;
  price: string;
  currency: string;
  inventory_quantity: number | null;
  image_url: string | null;
  status: 'active' | 'deleted';
  created_at: Date;
  updated_at: Date;
}

/** A product with all its variants, active and deleted. */
export interface ProductWithVariants {
  product: ProductRow;
  variants: VariantRow[];
}

/** Its optional address columns (mapping/address-columns.ts) are read when the table has them. */
export interface UserRow extends UserOptionalColumns {
  id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  marketing_opt_in: boolean;
  marketing_opt_in_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export type OrderStatus = 'pending' | 'paid' | 'shipped' | 'cancelled' | 'refunded' | 'partially_refunded';

/** Its optional address and tracking columns (mapping/address-columns.ts) are read when the table has them. */
export interface OrderRow extends OrderOptionalColumns {
  id: string;
  order_number: string;
  user_id: string | null;
  guest_email: string | null;
  guest_first_name: string | null;
  guest_last_name: string | null;
  status: OrderStatus;
  currency: string;
  discount_total: string;
  tax_total: string;
  shipping_total: string;
  order_total: string;
  promo_code: string | null;
  campaign_id: string | null;
  landing_site: string | null;
  ordered_at: Date;
  updated_at: Date;
}

export interface OrderLineRow {
  id: string;
  order_id: string;
  product_id: string;
  variant_id: string | null;
  quantity: number;
  unit_price: string;
  discount: string;
}

/** An order with everything its Mailchimp payload needs: lines with their product code and sku, the buyer, the promotion of its code. */
export interface OrderWithContext {
  order: OrderRow;
  lines: Array<OrderLineRow & { product_code: string; variant_sku: string | null }>;
  user: UserRow | null;
  promotion: PromotionRow | null;
  /** Set by a source when the order cannot be sent as it is (e.g. a Stripe purchase billing no product): why not. */
  notSendable?: string;
  /**
   * Variants its lines name that the product's mapping leaves out, by product_variants.id, with the reason
   * (mapping/product.ts refusedVariantReasons): such an order is refused, naming the line.
   */
  refusedVariants?: Record<string, string>;
  /**
   * Products its lines name that cannot be sent at all, by products.id, with the reason (mapping/product.ts
   * productRefusal): such an order waits for the product, and is not sent.
   */
  refusedProducts?: Record<string, string>;
}

export interface PromotionRow {
  id: string;
  title: string;
  description: string | null;
  discount_type: 'percentage' | 'fixed';
  amount: string;
  target: 'per_item' | 'total' | 'shipping';
  starts_at: Date | null;
  ends_at: Date | null;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface PromoCodeRow {
  id: string;
  promotion_id: string;
  code: string;
  usage_count: number;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface CartRow {
  id: string;
  user_id: string | null;
  guest_email: string | null;
  guest_first_name: string | null;
  currency: string;
  order_total: string;
  tax_total: string | null;
  campaign_id: string | null;
  checkout_url: string | null;
  /** Set when the cart became this order. */
  order_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface CartLineRow {
  id: string;
  cart_id: string;
  product_id: string;
  variant_id: string | null;
  quantity: number;
  unit_price: string;
  updated_at: Date;
}

/** A cart with everything its Mailchimp payload and its conversion check need. */
export interface CartWithContext {
  cart: CartRow;
  /** Each line with the product it names (null: the product row is gone) and the SKU of its variant. */
  lines: Array<CartLineRow & { product: ProductWithVariants | null; variant_sku: string | null }>;
  /** The registered buyer (user_id), when the row exists. */
  user: UserRow | null;
  /** When the newest order of the same buyer (the same e-mail, registered or guest) was placed; null: none. */
  buyerLastOrderedAt: Date | null;
}
