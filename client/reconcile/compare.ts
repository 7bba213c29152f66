/**
 * Reconcile, the pure part: what Mailchimp SHOULD hold (computed with the sync's own mappers, see expected.ts)
 * against what it DOES hold (pages of its collections). No I/O here; test/unit/cli/compare.test.ts covers it.
 *
 * Rules:
 * - a field is compared only when the shop gives it a value (a field the shop leaves empty is left out of the
 *   payload by the mappers, and Mailchimp keeps or defaults it: that is not drift);
 * - money with a 0.005 tolerance, fractions (percentages) with 1e-6, dates as instants, e-mails case-insensitively;
 * - an item Mailchimp has twice, or two shop rows mapped to one Mailchimp id, is a duplicate;
 * - a row the mappers refuse (unsendable) is not compared: it is listed with the mapper's reason;
 * - an entity Mailchimp lacks that the sync recorded as failed (a permanent refusal: its own data, Mailchimp's
 *   answer, or a dependency that cannot be sent) is not drift either: it is listed with the recorded reason, as
 *   `mcsync errors` shows it, and syncing it again cannot help until the data changes.
 */
import type { EntityType } from '../../mapping/ids';

export type ReconcileType = EntityType | 'store';

export type DriftKind = 'missing' | 'extra' | 'field' | 'duplicate';

export interface Drift {
  type: ReconcileType;
  kind: DriftKind;
  /** The id Mailchimp knows it by (product code, order number, customer hash, rule id, `rule/code`). */
  id: string;
  /** The shop's id of the entity, which its sync workflow is named after (when known). */
  entityId?: string;
  field?: string;
  expected?: unknown;
  actual?: unknown;
  note?: string;
}

export type FieldKind = 'text' | 'email' | 'money' | 'fraction' | 'number' | 'date' | 'bool';
export type FieldSpec = Record<string, FieldKind>;

export const MONEY_TOLERANCE = 0.005;
const FRACTION_TOLERANCE = 1e-6;

type Json = Record<string, unknown>;

/** A shop row the mappers refuse, or one the sync recorded as failed: not drift, but reported with its reason. */
export interface Unsent {
  type: ReconcileType;
  /** `refused`: the mappers refuse the shop row; `failed`: missing, and the sync recorded it as failed. */
  cause: 'refused' | 'failed';
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

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** Whether Mailchimp's value matches the expected one under the field's rule. */
export function sameValue(kind: FieldKind, expected: unknown, actual: unknown): boolean {
  switch (kind) {
    case 'money':
    case 'fraction': {
      const a = num(expected);
      const b = num(actual);
      if (a === undefined || b === undefined) return a === b;
      return Math.abs(a - b) <= (kind === 'money' ? MONEY_TOLERANCE : FRACTION_TOLERANCE) + 1e-9;
    }
    case 'number':
      return num(expected) === num(actual);
    case 'date': {
      const a = typeof expected === 'string' ? Date.parse(expected) : NaN;
      const b = typeof actual === 'string' ? Date.parse(actual) : NaN;
      return Number.isNaN(a) || Number.isNaN(b) ? expected === actual : a === b;
    }
    case 'bool':
      return Boolean(expected) === Boolean(actual) && typeof actual === 'boolean';
    case 'email':
      return String(expected ?? '').trim().toLowerCase() === String(actual ?? '').trim().toLowerCase();
    case 'text':
      return String(expected ?? '') === String(actual ?? '');
  }
}

/** Field drifts of one object: only the fields the expected object has. */
export function compareFields(spec: FieldSpec, expected: Json, actual: Json, prefix = ''): Array<{ field: string; expected: unknown; actual: unknown }> {
  const out: Array<{ field: string; expected: unknown; actual: unknown }> = [];
  for (const [field, kind] of Object.entries(spec)) {
    const want = expected[field];
    if (want === undefined || want === null) continue;
    const have = actual[field];
    if (!sameValue(kind, want, have)) out.push({ field: `${prefix}${field}`, expected: want, actual: have });
  }
  return out;
}

/** Compares sub-items (variants, lines, promos) keyed by `key`: missing, extra and field differences. */
function compareChildren(
  label: string, spec: FieldSpec, expected: Json[], actual: Json[], key = 'id', optional: readonly string[] = [],
): Array<{ field: string; expected: unknown; actual: unknown }> {
  const out: Array<{ field: string; expected: unknown; actual: unknown }> = [];
  const have = new Map(actual.map((a) => [String(a[key]), a]));
  const wanted = new Set<string>();
  for (const e of expected) {
    const id = String(e[key]);
    wanted.add(id);
    const a = have.get(id);
    if (!a) out.push({ field: `${label} ${id}`, expected: 'present', actual: 'missing' });
    else out.push(...compareFields(spec, e, a, `${label} ${id}.`));
  }
  for (const id of have.keys()) {
    if (!wanted.has(id) && !optional.includes(id)) out.push({ field: `${label} ${id}`, expected: 'absent', actual: 'present' });
  }
  return out;
}

export const STORE_FIELDS: FieldSpec = { list_id: 'text', name: 'text', platform: 'text', domain: 'text', currency_code: 'text' };
export const PRODUCT_FIELDS: FieldSpec = {
  title: 'text', description: 'text', type: 'text', vendor: 'text', url: 'text', handle: 'text', image_url: 'text', published_at_foreign: 'date',
};
export const VARIANT_FIELDS: FieldSpec = { title: 'text', sku: 'text', price: 'money', inventory_quantity: 'number', image_url: 'text', url: 'text' };
export const CUSTOMER_FIELDS: FieldSpec = { email_address: 'email', first_name: 'text', last_name: 'text' };
export const ORDER_FIELDS: FieldSpec = {
  currency_code: 'text', order_total: 'money', discount_total: 'money', tax_total: 'money', shipping_total: 'money',
  financial_status: 'text', fulfillment_status: 'text', processed_at_foreign: 'date', cancelled_at_foreign: 'date',
  campaign_id: 'text', landing_site: 'text',
};
export const LINE_FIELDS: FieldSpec = { product_id: 'text', product_variant_id: 'text', quantity: 'number', price: 'money', discount: 'money' };
export const ORDER_PROMO_FIELDS: FieldSpec = { amount_discounted: 'money', type: 'text' };
export const PROMO_RULE_FIELDS: FieldSpec = {
  title: 'text', description: 'text', type: 'text', target: 'text', enabled: 'bool', starts_at: 'date', ends_at: 'date',
};
export const PROMO_CODE_FIELDS: FieldSpec = { code: 'text', redemption_url: 'text', usage_count: 'number', enabled: 'bool' };

const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

/** Key of an expected product: variant ids Mailchimp may hold or not (retired variants that sent orders name). */
export const OPTIONAL_VARIANTS = '_optionalVariants';
const optionalIds = (expected: Json): string[] => (Array.isArray(expected[OPTIONAL_VARIANTS]) ? (expected[OPTIONAL_VARIANTS] as string[]) : []);

/** Every field drift of one entity of `type`. */
export function compareEntity(type: ReconcileType, expected: Json, actual: Json): Array<{ field: string; expected: unknown; actual: unknown }> {
  switch (type) {
    case 'store':
      return compareFields(STORE_FIELDS, expected, actual);
    case 'product':
      return [
        ...compareFields(PRODUCT_FIELDS, expected, actual),
        ...compareChildren('variant', VARIANT_FIELDS, arr(expected.variants), arr(actual.variants), 'id', optionalIds(expected)),
      ];
    case 'customer':
      return compareFields(CUSTOMER_FIELDS, expected, actual);
    case 'order': {
      const out = compareFields(ORDER_FIELDS, expected, actual);
      const wantCustomer = (expected.customer as Json | undefined)?.id;
      const haveCustomer = (actual.customer as Json | undefined)?.id;
      if (wantCustomer !== undefined && wantCustomer !== haveCustomer) out.push({ field: 'customer.id', expected: wantCustomer, actual: haveCustomer });
      out.push(...compareChildren('line', LINE_FIELDS, arr(expected.lines), arr(actual.lines)));
      // No promos in the shop means none in Mailchimp (the sync PATCHes `promos: []`).
      out.push(...compareChildren('promo', ORDER_PROMO_FIELDS, arr(expected.promos), arr(actual.promos), 'code'));
      return out;
    }
    case 'promo_rule': {
      const out = compareFields(PROMO_RULE_FIELDS, expected, actual);
      const kind: FieldKind = expected.type === 'percentage' ? 'fraction' : 'money';
      out.push(...compareFields({ amount: kind }, expected, actual));
      return out;
    }
    case 'promo_code':
      return compareFields(PROMO_CODE_FIELDS, expected, actual);
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
  const unsent: Unsent[] = expected.unsendable.map((u) => ({ type, cause: 'refused', ...u }));
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
    const fields = compareEntity(type, item.payload, have);
    if (fields.length > 0) summary.differing += 1;
    for (const f of fields) drifts.push({ type, kind: 'field', id, entityId: item.entityId, ...f });
  }

  const refused = new Map(expected.unsendable.map((u) => [u.id, u]));
  for (const id of remote.keys()) {
    if (wanted.has(id)) continue;
    const cannot = refused.get(id);
    const entityId = expected.absent.get(id) ?? cannot?.entityId;
    const note = cannot ? `the shop has it but it cannot be sent: ${cannot.reason}`
      : entityId ? 'the shop has it but it must not be in Mailchimp' : 'not in the shop';
    drifts.push({ type, kind: 'extra', id, ...(entityId ? { entityId } : {}), note });
    summary.extra += 1;
  }
  return { drifts, summary, unsent };
}
