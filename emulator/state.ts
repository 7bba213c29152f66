/**
 * The emulator's memory: one Map per collection, so every lookup is O(1).
 * `toSnapshot`/`fromSnapshot` turn it into plain JSON for the state file and `GET /_emulator/state`.
 */

export type Json = Record<string, unknown>;

export const MEMBER_STATUSES = ['subscribed', 'unsubscribed', 'cleaned', 'pending', 'transactional', 'archived'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

export const WEBHOOK_EVENTS = ['subscribe', 'unsubscribe', 'profile', 'cleaned', 'upemail', 'campaign'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const WEBHOOK_SOURCES = ['user', 'admin', 'api'] as const;
export type WebhookSource = (typeof WEBHOOK_SOURCES)[number];

/** Who created a member: the e-commerce API, the member API, or a simulated sign-up. */
export type MemberOrigin = 'api-ecommerce' | 'api-member' | 'user';

export interface MemberTag {
  id: number;
  name: string;
  date_added: string;
}

export interface MemberRecord {
  id: string;
  email_address: string;
  unique_email_id: string;
  web_id: number;
  email_type: string;
  status: MemberStatus;
  merge_fields: Record<string, unknown>;
  interests: Record<string, boolean>;
  language: string;
  vip: boolean;
  /** Other writable fields as last sent (location, marketing_permissions, ...). */
  extra: Json;
  ip_signup: string;
  timestamp_signup: string;
  ip_opt: string;
  timestamp_opt: string;
  last_changed: string;
  source: MemberOrigin;
  tags: MemberTag[];
  list_id: string;
  /** In Mailchimp's compliance state (unsubscribe, bounce or compliance review): the API cannot subscribe it. */
  compliance?: boolean;
}

export interface WebhookRecord {
  id: string;
  url: string;
  events: Record<WebhookEvent, boolean>;
  sources: Record<WebhookSource, boolean>;
  list_id: string;
}

export interface ListRecord {
  id: string;
  web_id: number;
  name: string;
  double_optin: boolean;
  date_created: string;
  members: Map<string, MemberRecord>;
  webhooks: Map<string, WebhookRecord>;
  /** Tag name → tag id. */
  tags: Map<string, number>;
  /** Hashes of permanently deleted ("forgotten") addresses: they cannot be added again through the API. */
  forgotten: Set<string>;
}

/** A resource as stored: the accepted body fields plus Mailchimp's timestamps. */
export interface Stamped {
  data: Json;
  created_at: string;
  updated_at: string;
}

export interface ProductRecord extends Stamped {
  variants: Map<string, Stamped>;
}

export interface OrderRecord extends Stamped {
  customerId: string;
  lines: Map<string, Json>;
}

/** A cart: its fields, its customer (required, as for orders) and its lines by id. */
export interface CartRecord extends Stamped {
  customerId: string;
  lines: Map<string, Json>;
}

export interface PromoRuleRecord extends Stamped {
  codes: Map<string, Stamped>;
}

export interface StoreRecord extends Stamped {
  customers: Map<string, Stamped>;
  products: Map<string, ProductRecord>;
  orders: Map<string, OrderRecord>;
  carts: Map<string, CartRecord>;
  promoRules: Map<string, PromoRuleRecord>;
  /** customer id → order ids, for `?customer_id=` and the customer's orders_count/total_spent. */
  ordersByCustomer: Map<string, Set<string>>;
}

export type BatchStatus = 'pending' | 'preprocessing' | 'started' | 'finalizing' | 'finished';

export interface BatchOperationRecord {
  method: string;
  path: string;
  params?: Record<string, string | number | boolean>;
  body?: string;
  operation_id?: string;
}

export interface BatchResult {
  status_code: number;
  operation_id: string | null;
  /** The response body as a JSON string, as Mailchimp writes it. */
  response: string;
}

export interface BatchRecord {
  id: string;
  status: BatchStatus;
  total_operations: number;
  finished_operations: number;
  errored_operations: number;
  submitted_at: string;
  completed_at: string;
  response_body_url: string;
  /** Operations in execution order (already shuffled). */
  operations: BatchOperationRecord[];
  next: number;
  results: BatchResult[];
  /** When all operations were done; finalisation ends `finalizeDelayMs` later. */
  processed_at?: string;
  /** While `preprocessing`: when the batch starts (ISO 8601). */
  preprocessed_at?: string;
}

export class EmulatorState {
  readonly lists = new Map<string, ListRecord>();
  readonly stores = new Map<string, StoreRecord>();
  readonly batches = new Map<string, BatchRecord>();
  /** The account's campaigns by id (only their existence is modelled: carts' campaign_id is checked against them). */
  readonly campaigns = new Map<string, { id: string; title: string; create_time: string }>();
  counters = { webId: 100000, tagId: 1000 };

  nextWebId(): number {
    this.counters.webId += 1;
    return this.counters.webId;
  }

  nextTagId(): number {
    this.counters.tagId += 1;
    return this.counters.tagId;
  }

  clear(): void {
    this.lists.clear();
    this.stores.clear();
    this.batches.clear();
    this.campaigns.clear();
    this.counters = { webId: 100000, tagId: 1000 };
  }

  addList(id: string, options: { name?: string; doubleOptIn?: boolean; now: string }): ListRecord {
    const list: ListRecord = {
      id,
      web_id: this.nextWebId(),
      name: options.name ?? 'Emulated audience',
      double_optin: options.doubleOptIn ?? false,
      date_created: options.now,
      members: new Map(),
      webhooks: new Map(),
      tags: new Map(),
      forgotten: new Set(),
    };
    this.lists.set(id, list);
    return list;
  }

  toSnapshot(): StateSnapshot {
    return {
      version: 1,
      counters: { ...this.counters },
      lists: [...this.lists.values()].map((l) => ({
        id: l.id,
        web_id: l.web_id,
        name: l.name,
        double_optin: l.double_optin,
        date_created: l.date_created,
        members: [...l.members.values()],
        webhooks: [...l.webhooks.values()],
        tags: [...l.tags.entries()],
        forgotten: [...l.forgotten],
      })),
      stores: [...this.stores.values()].map((s) => ({
        ...stamped(s),
        customers: [...s.customers.values()].map(stamped),
        products: [...s.products.values()].map((p) => ({ ...stamped(p), variants: [...p.variants.values()].map(stamped) })),
        orders: [...s.orders.values()].map((o) => ({ ...stamped(o), customerId: o.customerId, lines: [...o.lines.values()] })),
        carts: [...s.carts.values()].map((c) => ({ ...stamped(c), customerId: c.customerId, lines: [...c.lines.values()] })),
        promoRules: [...s.promoRules.values()].map((r) => ({ ...stamped(r), codes: [...r.codes.values()].map(stamped) })),
      })),
      batches: [...this.batches.values()],
      campaigns: [...this.campaigns.values()],
    };
  }

  loadSnapshot(snapshot: StateSnapshot): void {
    this.clear();
    this.counters = { ...snapshot.counters };
    for (const l of snapshot.lists) {
      this.lists.set(l.id, {
        id: l.id,
        web_id: l.web_id,
        name: l.name,
        double_optin: l.double_optin,
        date_created: l.date_created,
        members: new Map(l.members.map((m) => [m.id, m])),
        webhooks: new Map(l.webhooks.map((w) => [w.id, w])),
        tags: new Map(l.tags),
        forgotten: new Set(l.forgotten ?? []),
      });
    }
    for (const s of snapshot.stores) {
      const store: StoreRecord = {
        ...stamped(s),
        customers: new Map(s.customers.map((c) => [String(c.data.id), c])),
        products: new Map(
          s.products.map((p) => [String(p.data.id), { ...stamped(p), variants: new Map(p.variants.map((v) => [String(v.data.id), v])) }]),
        ),
        orders: new Map(),
        carts: new Map((s.carts ?? []).map((c) => [String(c.data.id), { ...stamped(c), customerId: c.customerId, lines: new Map(c.lines.map((l) => [String(l.id), l])) }])),
        promoRules: new Map(
          s.promoRules.map((r) => [String(r.data.id), { ...stamped(r), codes: new Map(r.codes.map((c) => [String(c.data.id), c])) }]),
        ),
        ordersByCustomer: new Map(),
      };
      for (const o of s.orders) {
        const order: OrderRecord = { ...stamped(o), customerId: o.customerId, lines: new Map(o.lines.map((line) => [String(line.id), line])) };
        store.orders.set(String(o.data.id), order);
        indexOrder(store, order);
      }
      this.stores.set(String(s.data.id), store);
    }
    for (const b of snapshot.batches) this.batches.set(b.id, b);
    for (const c of snapshot.campaigns ?? []) this.campaigns.set(c.id, c);
  }
}

export function indexOrder(store: StoreRecord, order: OrderRecord): void {
  let ids = store.ordersByCustomer.get(order.customerId);
  if (!ids) {
    ids = new Set();
    store.ordersByCustomer.set(order.customerId, ids);
  }
  ids.add(String(order.data.id));
}

export function unindexOrder(store: StoreRecord, order: OrderRecord): void {
  const ids = store.ordersByCustomer.get(order.customerId);
  if (!ids) return;
  ids.delete(String(order.data.id));
  if (ids.size === 0) store.ordersByCustomer.delete(order.customerId);
}

function stamped(s: Stamped): Stamped {
  return { data: s.data, created_at: s.created_at, updated_at: s.updated_at };
}

export interface StateSnapshot {
  version: 1;
  counters: { webId: number; tagId: number };
  lists: Array<{
    id: string;
    web_id: number;
    name: string;
    double_optin: boolean;
    date_created: string;
    members: MemberRecord[];
    forgotten?: string[];
    webhooks: WebhookRecord[];
    tags: Array<[string, number]>;
  }>;
  stores: Array<
    Stamped & {
      customers: Stamped[];
      products: Array<Stamped & { variants: Stamped[] }>;
      orders: Array<Stamped & { customerId: string; lines: Json[] }>;
      /** Absent in state files written before carts. */
      carts?: Array<Stamped & { customerId: string; lines: Json[] }>;
      promoRules: Array<Stamped & { codes: Stamped[] }>;
    }
  >;
  batches: BatchRecord[];
  campaigns?: Array<{ id: string; title: string; create_time: string }>;
}
