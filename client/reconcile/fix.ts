/**
 * What `mcsync reconcile --fix` does about each drift. Field drift and missing entities: the entity is synced again
 * (force), by its own sync. Extras (entities, variants, order lines, promo codes) are deleted through the Mailchimp
 * client, because no sync deletes what the shop never names; the sync state that points at a deleted item forgets
 * its content hash, so a later sync writes it again rather than trusting a hash of something no longer there.
 * The store's fields are PATCHed from the mapping; a missing store and duplicates are left to the operator.
 */
import type { MailchimpClient } from '../../mailchimp';
import type { EntityType } from '../../mapping/ids';
import { splitPromoCodeRemoteId } from '../../mapping/promo';
import { mapStore, storePatchFrom } from '../../mapping/store';
import type { ShopSettings } from '../../mapping/shop-rows';
import type { Drift, DriftPart } from './compare';

export interface ResyncTarget {
  type: EntityType;
  entityId: string;
}

/** An item to delete from Mailchimp: an entity by its Mailchimp id, or a variant / line of one. */
export interface Removal {
  type: EntityType;
  id: string;
  part?: DriftPart;
}

export interface FixPlan {
  resync: ResyncTarget[];
  remove: Removal[];
  /** The store's fields drifted: PATCH it. */
  patchStore: boolean;
  /** Drifts no repair applies to: duplicates, a missing store, an entity no shop id names. */
  unfixable: Drift[];
}

/** Deleted in this order: a cart or an order before its lines' products, codes before their rules, customers last. */
const REMOVAL_ORDER: EntityType[] = ['cart', 'order', 'promo_code', 'promo_rule', 'product', 'customer'];
const rank = (r: Removal): number => REMOVAL_ORDER.indexOf(r.type) * 2 + (r.part ? 0 : 1);

/**
 * The repairs for `drifts`, each once. `lookup` (`type:Mailchimp id` → shop id) names the entities a drift does not
 * (from the sync state's remote ids).
 */
export function planFix(drifts: readonly Drift[], lookup: ReadonlyMap<string, string> = new Map()): FixPlan {
  const plan: FixPlan = { resync: [], remove: [], patchStore: false, unfixable: [] };
  const seen = new Set<string>();
  for (const d of drifts) {
    if (d.type === 'store') {
      if (d.kind === 'field') plan.patchStore = true;
      else plan.unfixable.push(d);
      continue;
    }
    if (d.kind === 'duplicate') {
      plan.unfixable.push(d);
      continue;
    }
    if (d.kind === 'extra') {
      const key = `remove:${d.type}:${d.id}:${d.part ? `${d.part.kind}:${d.part.id}` : ''}`;
      if (!seen.has(key)) plan.remove.push({ type: d.type, id: d.id, ...(d.part ? { part: d.part } : {}) });
      seen.add(key);
      continue;
    }
    const entityId = d.entityId ?? lookup.get(`${d.type}:${d.id}`);
    if (!entityId) {
      plan.unfixable.push(d);
      continue;
    }
    const key = `sync:${d.type}:${entityId}`;
    if (!seen.has(key)) plan.resync.push({ type: d.type, entityId });
    seen.add(key);
  }
  // An extra variant or line of an entity deleted anyway needs no delete of its own.
  const whole = new Set(plan.remove.filter((r) => !r.part).map((r) => `${r.type}:${r.id}`));
  plan.remove = plan.remove.filter((r) => !r.part || !whole.has(`${r.type}:${r.id}`)).sort((a, b) => rank(a) - rank(b));
  return plan;
}

/** Deletes one extra item (already gone counts as done). */
export async function removeExtra(mailchimp: MailchimpClient, storeId: string, r: Removal): Promise<void> {
  if (r.part?.kind === 'variant') return mailchimp.deleteVariant(storeId, r.id, r.part.id);
  if (r.part?.kind === 'line') return mailchimp.deleteOrderLine(storeId, r.id, r.part.id);
  if (r.part?.kind === 'cart_line') return mailchimp.deleteCartLine(storeId, r.id, r.part.id);
  switch (r.type) {
    case 'product':
      return mailchimp.deleteProduct(storeId, r.id);
    case 'customer':
      return mailchimp.deleteCustomer(storeId, r.id);
    case 'order':
      return mailchimp.deleteOrder(storeId, r.id);
    case 'promo_rule':
      return mailchimp.deletePromoRule(storeId, r.id);
    case 'promo_code': {
      const { ruleId, codeId } = splitPromoCodeRemoteId(r.id);
      return mailchimp.deletePromoCode(storeId, ruleId, codeId);
    }
    case 'cart':
      return mailchimp.deleteCart(storeId, r.id);
  }
}

/**
 * PATCHes the store's fields from the shop settings, as the store sync would; `clearSyncing` also sets is_syncing
 * false (left true by a full resync that did not finish). Returns why the store cannot be mapped, if so.
 */
export async function patchStore(
  mailchimp: MailchimpClient, settings: ShopSettings, ids: { storeId: string; listId: string }, clearSyncing = false,
): Promise<string | undefined> {
  const mapped = mapStore(settings, ids);
  if (mapped.kind !== 'ok') return mapped.reason;
  await mailchimp.updateStore(ids.storeId, { ...storePatchFrom(mapped.payload), ...(clearSyncing ? { is_syncing: false } : {}) });
  return undefined;
}
