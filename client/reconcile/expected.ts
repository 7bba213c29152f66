/**
 * What Mailchimp SHOULD hold, computed from shop rows with the sync's own pure mappers (mapping/), following the
 * same decisions the entity syncs make (activities/entities). Pure: the rows are loaded by load.ts.
 */
import type { CustomerRecord } from '../../source/shop-source';
import type { OrderWithContext, ProductWithVariants, PromoCodeRow, PromotionRow, ShopSettings } from '../../mapping/shop-rows';
import { consentFor, type MemberStatus } from '../../mapping/consent';
import { customerInputOf, mapCustomer } from '../../mapping/customer';
import { mapOrder } from '../../mapping/order';
import { isSentOrder } from '../../mapping/sent-order';
import { mapPromoCode, mapPromoRule, promoCodeRemoteId } from '../../mapping/promo';
import { mapStore } from '../../mapping/store';
import type { ExpectedSet, ReconcileType } from './compare';
import { cartOnlyCustomers, type CartSnapshot } from './expected-carts';

export interface ShopSnapshot {
  settings: ShopSettings;
  storeId: string;
  listId: string;
  redemptionUrlTemplate: string;
  products: ProductWithVariants[];
  /** Product ids some order line references (any order): a dead product stays as a placeholder. */
  referencedProductIds: Set<string>;
  /** Product ids some order line references without a variant: they keep the variant named after the code. */
  orderedWithoutVariant: Set<string>;
  /** Product id → the SKUs sent orders name (source.orderedVariantSkus): each stays, without stock if not sold. */
  orderedSkus: Map<string, string[]>;
  orders: OrderWithContext[];
  customers: CustomerRecord[];
  promotions: PromotionRow[];
  promoCodes: PromoCodeRow[];
  /** The audience as it is now (load.ts loadAudience), which the consent policy reads: customers only. */
  audience?: Audience;
  /** Carts, when carts or customers are reconciled (expected-carts.ts). */
  cart?: CartSnapshot;
}

export interface Audience {
  /** Subscriber hash (= customer id) → the member's status. */
  statuses: ReadonlyMap<string, MemberStatus>;
  doubleOptIn: boolean;
}

type Json = Record<string, unknown>;

export { expectedProducts } from './expected-products';

export function emptySet(type: ReconcileType): ExpectedSet {
  return { type, present: [], absent: new Map(), unsendable: [], leftOut: [] };
}

export function expectedStore(s: ShopSnapshot): ExpectedSet {
  const set = emptySet('store');
  const mapped = mapStore(s.settings, { storeId: s.storeId, listId: s.listId });
  if (mapped.kind === 'ok') set.present.push({ id: s.storeId, entityId: s.storeId, payload: mapped.payload as unknown as Json });
  else set.unsendable.push({ id: s.storeId, entityId: s.storeId, reason: mapped.reason });
  return set;
}

/** Orders the sync sends (not pending, mappable). */
export function sentOrders(s: ShopSnapshot): OrderWithContext[] {
  return s.orders.filter((o) => isSentOrder(o, s.settings));
}

export function expectedOrders(s: ShopSnapshot): ExpectedSet {
  const set = emptySet('order');
  for (const order of s.orders) {
    const mapped = mapOrder(order, s.settings);
    if (mapped.kind === 'ok') set.present.push({ id: mapped.payload.id, entityId: order.order.id, payload: mapped.payload as unknown as Json });
    else if (mapped.kind === 'skip') set.absent.set(order.order.order_number.trim(), order.order.id);
    else set.unsendable.push({ id: order.order.order_number.trim(), entityId: order.order.id, reason: mapped.reason });
  }
  return set;
}

/** The customer ids (email hashes) the sent orders' buyers have: they must be customers too. */
export function buyerIds(s: Pick<ShopSnapshot, 'orders' | 'settings'>): string[] {
  const ids = new Set<string>();
  for (const order of s.orders) {
    const mapped = mapOrder(order, s.settings);
    if (mapped.kind === 'ok') ids.add(mapped.payload.customer.id);
  }
  return [...ids];
}

export function expectedCustomers(s: ShopSnapshot): ExpectedSet {
  const set = emptySet('customer');
  for (const record of s.customers) {
    const mapped = mapCustomer(customerInputOf(record));
    if (mapped.kind !== 'ok') {
      set.unsendable.push({ id: record.emailHash, entityId: record.emailHash, reason: mapped.reason });
      continue;
    }
    const payload: Json = { ...mapped.payload };
    // What the consent policy would send now, given the member's status in the audience (a fresh sync reads the same).
    if (s.audience) {
      payload.opt_in_status = consentFor(record, s.audience.statuses.get(mapped.payload.id) ?? null, s.settings, s.audience.doubleOptIn).customerOptIn;
    }
    set.present.push({ id: mapped.payload.id, entityId: record.emailHash, payload });
  }
  for (const [id, payload] of cartOnlyCustomers(s)) set.present.push({ id, entityId: id, payload });
  return set;
}

export function expectedPromoRules(s: ShopSnapshot): ExpectedSet {
  const set = emptySet('promo_rule');
  for (const row of s.promotions) {
    const mapped = mapPromoRule(row);
    if (mapped.kind === 'ok') set.present.push({ id: mapped.payload.id, entityId: row.id, payload: mapped.payload as unknown as Json });
    else set.unsendable.push({ id: row.id.trim(), entityId: row.id, reason: mapped.reason });
  }
  return set;
}

export function expectedPromoCodes(s: ShopSnapshot): ExpectedSet {
  const set = emptySet('promo_code');
  const promotions = new Map(s.promotions.map((p) => [p.id, p]));
  for (const row of s.promoCodes) {
    const promotion = promotions.get(row.promotion_id);
    if (!promotion) continue; // its promotion is gone: the code is deleted with it
    const rule = mapPromoRule(promotion);
    const mapped = mapPromoCode(row, promotion, s.settings, s.redemptionUrlTemplate);
    if (rule.kind !== 'ok') {
      set.unsendable.push({ id: promoCodeRemoteId(promotion.id.trim(), row.id.trim()), entityId: row.id, reason: `Promo code ${row.id.trim()} waits for its promotion: ${rule.reason}` });
      continue;
    }
    if (mapped.kind !== 'ok') {
      set.unsendable.push({ id: promoCodeRemoteId(rule.payload.id, row.id.trim()), entityId: row.id, reason: mapped.reason });
      continue;
    }
    set.present.push({ id: promoCodeRemoteId(rule.payload.id, mapped.payload.id), entityId: row.id, payload: mapped.payload as unknown as Json });
  }
  return set;
}

/**
 * The customers Mailchimp keeps though no shop row names them: the customer of each order Mailchimp holds that the
 * shop still sends (an order keeps the customer it was sent with). Customer id → the order that keeps it.
 */
export function keptCustomers(orders: ExpectedSet, remoteOrders: ReadonlyArray<Record<string, unknown>>): Map<string, string> {
  const sent = new Set(orders.present.map((o) => o.id));
  const kept = new Map<string, string>();
  for (const order of remoteOrders) {
    const customerId = (order.customer as Record<string, unknown> | undefined)?.id;
    if (typeof customerId === 'string' && sent.has(String(order.id)) && !kept.has(customerId)) kept.set(customerId, `kept by order ${String(order.id)}`);
  }
  return kept;
}
