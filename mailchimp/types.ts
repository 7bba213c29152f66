import type {
  CartLinePayload,
  CartPayload,
  CustomerPayload,
  ListWebhookPayload,
  OrderLinePayload,
  OrderPayload,
  ProductPayload,
  PromoCodePayload,
  PromoRulePayload,
  StorePayload,
  VariantPayload,
} from './schemas';

/** A resource as Mailchimp returns it: the fields we send, plus the ones it adds (read them as unknown). */
export type Resource<T> = T & { readonly [field: string]: unknown };

export type StoreResource = Resource<StorePayload & { list_is_active?: boolean; created_at?: string; updated_at?: string }>;
export type ProductResource = Resource<ProductPayload & { currency_code?: string }>;
export type VariantResource = Resource<VariantPayload>;
export type CustomerResource = Resource<CustomerPayload & { orders_count?: number; total_spent?: number }>;
export type OrderResource = Resource<OrderPayload>;
export type OrderLineResource = Resource<OrderLinePayload>;
export type CartResource = Resource<CartPayload>;
export type CartLineResource = Resource<CartLinePayload>;
export type PromoRuleResource = Resource<PromoRulePayload>;
export type PromoCodeResource = Resource<PromoCodePayload>;

export type MemberStatus = 'subscribed' | 'unsubscribed' | 'cleaned' | 'pending' | 'transactional' | 'archived';

export type MemberResource = Resource<{
  /** The subscriber hash. */
  id: string;
  email_address: string;
  status: MemberStatus;
  merge_fields?: Record<string, unknown>;
  tags?: Array<{ id: number; name: string }>;
  last_changed?: string;
}>;

export type ListResource = Resource<{ id: string; name: string }>;
export type ListWebhookResource = Resource<ListWebhookPayload & { id: string; list_id?: string }>;

export type BatchStatus = 'pending' | 'preprocessing' | 'started' | 'finalizing' | 'finished';

export type BatchResource = Resource<{
  id: string;
  status: BatchStatus;
  total_operations: number;
  finished_operations: number;
  /** Errored operations also count as finished. */
  errored_operations: number;
  submitted_at?: string;
  completed_at?: string;
  /** Empty until the batch is finished. */
  response_body_url?: string;
}>;

/** One page of a collection. `total_items` counts the whole collection. */
export interface Page<T> {
  items: T[];
  total_items: number;
}

export interface PageOptions {
  /** 1..1000; Mailchimp's default is 10. */
  count?: number;
  offset?: number;
  /** Comma-separated or a list; sub-objects with dot notation, e.g. `members.email_address`. */
  fields?: string | readonly string[];
}
