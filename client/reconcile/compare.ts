/**
 * Reconcile, the pure part: what Mailchimp SHOULD hold (computed with the sync's own mappers, see expected.ts)
 * against what it DOES hold (pages of its collections). No I/O here; test/unit/cli/compare*.test.ts cover it.
 *
 * The rule: Mailchimp equals, field by field, what a fresh full sync of the current shop into an empty store
 * produces (Mailchimp's own fields aside: fields.ts SERVER_FIELDS).
 * - every field of each resource and of its variants, lines and promos is compared (fields.ts): one the expected
 *   state leaves out must be empty in Mailchimp;
 * - money with a 0.005 tolerance, fractions (percentages) with 1e-6, dates as instants, e-mails case-insensitively;
 * - extra items are drift: entities, variants, order lines, order promos (promo codes are entities `rule/code`);
 * - an item Mailchimp has twice, or two shop rows mapped to one Mailchimp id, is a duplicate;
 * - a row the mappers refuse (unsendable) is not compared: it is listed with the mapper's reason;
 * - an entity Mailchimp lacks that the sync recorded as failed (a permanent refusal: its own data, Mailchimp's
 *   answer, or a dependency that cannot be sent) is not drift either: it is listed with the recorded reason, as
 *   `mcsync errors` shows it, and syncing it again cannot help until the data changes.
 */
import type { EntityType } from '../../mapping/ids';
import { compareFields, sameValue, type FieldDiff, type FieldKind } from './fields';

export { MONEY_TOLERANCE, sameValue, type FieldKind } from './fields';

export type ReconcileType = EntityType | 'store';

export type DriftKind = 'missing' | 'extra' | 'field' | 'duplicate';

/** A variant of a product or a line of an order, as a drift names it. */
export interface DriftPart {
  kind: 'variant' | 'line' | 'cart_line';
  id: string;
}

export interface Drift {
  type: ReconcileType;
  kind: DriftKind;
  /** The id Mailchimp knows it by (product code, order number, customer hash, rule id, `rule/code`). */
  id: string;
  /** The shop's id of the entity, which its sync workflow is named after (when known). */
  entityId?: string;
  /** An extra variant or line of the entity (kind `extra`): the entity itself is expected. */
  part?: DriftPart;
  field?: string;
  expected?: unknown;
  actual?: unknown;
  note?: string;
}

type Json = Record<string, unknown>;

/** A shop row the mappers refuse, or one the sync recorded as failed: not drift, but reported with its reason. */
export interface Unsent {
  type: ReconcileType;
  /**
   * `refused`: the mappers refuse the shop row; `failed`: missing, and the sync recorded it as failed; `left_out`: a
   * variant the mapping leaves out of a product that is sent (its id is `product/sku`, its entity the product's).
   */
  cause: 'refused' | 'failed' | 'left_out';
  /** The id Mailchimp would know it by. */
  id: string;
  entityId: string;
  reason: string;
}

/** Recorded failures of one type: shop id → reason (mc_sync_state rows with status `failed`). */
export type RecordedFailures = ReadonlyMap<string, string>;

/** One entity Mailchimp should hold. */
export interface ExpectedItem {
  id: string;
  entityId: string;
  payload: Json;
}

/** What one entity type should look like in Mailchimp. */
export interface ExpectedSet {
  type: ReconcileType;
  present: ExpectedItem[];
  /** Mailchimp id → shop id of entities the shop has but Mailchimp must not (pending orders, deleted products...). */
  absent: Map<string, string>;
  /** Shop rows the mappers refuse (their reasons are in `mcsync errors` once synced): not compared. */
  unsendable: Array<Omit<Unsent, 'type' | 'cause'>>;
  /** Variants the mapping leaves out of products that are sent, with the reason. */
  leftOut?: Array<Omit<Unsent, 'type' | 'cause'>>;
  /**
   * Ids Mailchimp may hold that no shop row names, and how they are kept (the customers of orders already sent:
   * Mailchimp cannot move an order to another customer). Neither compared nor extra.
   */
  kept?: ReadonlyMap<string, string>;
}

export interface TypeSummary {
  type: ReconcileType;
  shop: number;
  mailchimp: number;
  missing: number;
  extra: number;
  differing: number;
  duplicates: number;
  unsendable: number;
  /** Missing from Mailchimp, but recorded as failed by the sync with a reason (not drift). */
  failed: number;
}

/** One field drift of an entity; `part` names an extra variant or line (deleted by `--fix`, the sync would not). */
export interface EntityDiff extends FieldDiff {
  part?: DriftPart;
}

type ChildKind = 'variant' | 'line' | 'order_promo' | 'cart_line';

/** Compares sub-items (variants, lines, promos) keyed by `key`: missing, extra and field differences. */
function compareChildren(
  kind: ChildKind, label: string, expected: Json[], actual: Json[], key: string,
): EntityDiff[] {
  const out: EntityDiff[] = [];
  const have = new Map(actual.map((a) => [String(a[key]), a]));
  const wanted = new Set<string>();
  for (const e of expected) {
    const id = String(e[key]);
    wanted.add(id);
    const a = have.get(id);
    if (!a) out.push({ field: `${label} ${id}`, expected: 'present', actual: 'missing' });
    else out.push(...compareFields(kind, e, a, `${label} ${id}.`));
  }
  for (const id of have.keys()) {
    if (wanted.has(id)) continue;
    const extra: EntityDiff = { field: `${label} ${id}`, expected: 'absent', actual: 'present' };
    // An extra promo goes with the order's next write (a PATCH replaces the promos); variants and lines do not.
    if (kind !== 'order_promo') extra.part = { kind, id };
    out.push(extra);
  }
  return out;
}

const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

/** Every field drift of one entity of `type`. */
export function compareEntity(type: ReconcileType, expected: Json, actual: Json): EntityDiff[] {
  switch (type) {
    case 'store':
      return compareFields('store', expected, actual);
    case 'product':
      return [
        ...compareFields('product', expected, actual),
        ...compareChildren('variant', 'variant', arr(expected.variants), arr(actual.variants), 'id'),
      ];
    case 'customer':
      return compareFields('customer', expected, actual);
    case 'order':
      return [
        ...compareFields('order', expected, actual),
        ...compareChildren('line', 'line', arr(expected.lines), arr(actual.lines), 'id'),
        // No promos in the shop means none in Mailchimp (the sync PATCHes `promos: []`).
        ...compareChildren('order_promo', 'promo', arr(expected.promos), arr(actual.promos), 'code'),
      ];
    case 'promo_rule': {
      const out: EntityDiff[] = compareFields('promo_rule', expected, actual);
      const kind: FieldKind = expected.type === 'percentage' ? 'fraction' : 'money';
      if (!sameValue(kind, expected.amount, actual.amount)) out.push({ field: 'amount', expected: expected.amount ?? null, actual: actual.amount ?? null });
      return out;
    }
    case 'promo_code':
      return compareFields('promo_code', expected, actual);
    case 'cart': {
      const out: EntityDiff[] = [
        ...compareFields('cart', expected, actual),
        ...compareChildren('cart_line', 'line', arr(expected.lines), arr(actual.lines), 'id'),
      ];
      const want = (expected.customer as Json | undefined)?.id;
      const have = (actual.customer as Json | undefined)?.id;
      if (want !== have) out.push({ field: 'customer.id', expected: want ?? null, actual: have ?? null });
      return out;
    }
  }
}

export interface CollectionResult {
  drifts: Drift[];
  summary: TypeSummary;
  /** Rows the mappers refuse, then missing entities the sync recorded as failed: each with its reason. */
  unsent: Unsent[];
}

/**
 * Compares one type's expected set with the items Mailchimp listed. `failures` (shop id → recorded reason) excuses
 * a missing entity, never a wrong or extra one. Returns the drifts, the summary line and what was not sent.
 */
export function compareCollection(expected: ExpectedSet, actual: Json[], failures: RecordedFailures = new Map()): CollectionResult {
  const { type } = expected;
  const drifts: Drift[] = [];
  const unsent: Unsent[] = [
    ...expected.unsendable.map((u): Unsent => ({ type, cause: 'refused', ...u })),
    ...(expected.leftOut ?? []).map((u): Unsent => ({ type, cause: 'left_out', ...u })),
  ];
  const summary: TypeSummary = {
    type, shop: 0, mailchimp: 0, missing: 0, extra: 0, differing: 0, duplicates: 0, unsendable: expected.unsendable.length, failed: 0,
  };

  const remote = new Map<string, Json>();
  const remoteCopies = new Map<string, number>();
  for (const item of actual) {
    const id = String(item.id);
    remoteCopies.set(id, (remoteCopies.get(id) ?? 0) + 1);
    if (!remote.has(id)) remote.set(id, item);
  }
  summary.mailchimp = remote.size;

  const wanted = new Map<string, ExpectedItem>();
  const shopCopies = new Map<string, string[]>();
  for (const item of expected.present) {
    shopCopies.set(item.id, [...(shopCopies.get(item.id) ?? []), item.entityId]);
    if (!wanted.has(item.id)) wanted.set(item.id, item);
  }
  summary.shop = wanted.size;

  for (const [id, copies] of remoteCopies) {
    if (copies > 1) {
      const entityId = wanted.get(id)?.entityId ?? expected.absent.get(id);
      drifts.push({ type, kind: 'duplicate', id, ...(entityId ? { entityId } : {}), actual: copies, note: `Mailchimp lists ${id} ${copies} times` });
      summary.duplicates += 1;
    }
  }
  for (const [id, entityIds] of shopCopies) {
    if (entityIds.length > 1) {
      drifts.push({ type, kind: 'duplicate', id, expected: entityIds.length, note: `${entityIds.length} shop rows (${entityIds.join(', ')}) map to ${id}` });
      summary.duplicates += 1;
    }
  }

  for (const [id, item] of wanted) {
    const have = remote.get(id);
    if (!have) {
      const reason = failures.get(item.entityId);
      if (reason) {
        unsent.push({ type, cause: 'failed', id, entityId: item.entityId, reason });
        summary.failed += 1;
      } else {
        drifts.push({ type, kind: 'missing', id, entityId: item.entityId });
        summary.missing += 1;
      }
      continue;
    }
    const diffs = compareEntity(type, item.payload, have);
    if (diffs.length > 0) summary.differing += 1;
    for (const { part, ...f } of diffs) drifts.push({ type, kind: part ? 'extra' : 'field', id, entityId: item.entityId, ...(part ? { part } : {}), ...f });
  }

  const refused = new Map(expected.unsendable.map((u) => [u.id, u]));
  for (const id of remote.keys()) {
    if (wanted.has(id) || expected.kept?.has(id)) continue;
    const cannot = refused.get(id);
    const entityId = expected.absent.get(id) ?? cannot?.entityId;
    const note = cannot ? `the shop has it but it cannot be sent: ${cannot.reason}`
      : entityId ? 'the shop has it but it must not be in Mailchimp' : 'not in the shop';
    drifts.push({ type, kind: 'extra', id, ...(entityId ? { entityId } : {}), note });
    summary.extra += 1;
  }
  return { drifts, summary, unsent };
}
