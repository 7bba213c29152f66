/**
 * Reconcile's field rules (pure): how one value is compared, what counts as empty, and which fields Mailchimp
 * computes itself. Every other field a Mailchimp resource returns is the sync's: a field the expected payload leaves
 * out must be empty in Mailchimp (a clear that did not happen is drift).
 */

export type FieldKind = 'text' | 'email' | 'money' | 'fraction' | 'number' | 'date' | 'bool' | 'json';
export type FieldSpec = Record<string, FieldKind>;

export const MONEY_TOLERANCE = 0.005;
const FRACTION_TOLERANCE = 1e-6;

type Json = Record<string, unknown>;

export interface FieldDiff {
  field: string;
  expected: unknown;
  actual: unknown;
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/**
 * What Mailchimp answers for a field nobody set: absent, null, "", 0, false, [] or an object of such values
 * (an address whose lines are all "").
 */
export function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.values(v as Json).every(isEmpty);
  return false;
}

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Json).filter(([, x]) => !isEmpty(x)).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stable(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
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
    case 'json':
      return stable(expected) === stable(actual);
  }
}

/** The resources (and parts of resources) reconcile compares. */
export type ResourceKind = 'store' | 'product' | 'variant' | 'customer' | 'order' | 'line' | 'order_promo' | 'promo_rule' | 'promo_code' | 'cart' | 'cart_line';

/** How the known fields compare; a field not listed compares as JSON (and must be empty when not expected). */
export const FIELD_KINDS: Record<ResourceKind, FieldSpec> = {
  store: { list_id: 'text', name: 'text', platform: 'text', domain: 'text', currency_code: 'text' },
  product: {
    title: 'text', description: 'text', type: 'text', vendor: 'text', url: 'text', handle: 'text', image_url: 'text', published_at_foreign: 'date',
  },
  variant: { title: 'text', sku: 'text', price: 'money', inventory_quantity: 'number', image_url: 'text', url: 'text', backorders: 'text', visibility: 'text' },
  // An address compares part by part; a part never sent is "" (an address with every part "" is no address).
  customer: { email_address: 'email', opt_in_status: 'bool', first_name: 'text', last_name: 'text', company: 'text', address: 'json' },
  order: {
    currency_code: 'text', order_total: 'money', discount_total: 'money', tax_total: 'money', shipping_total: 'money',
    financial_status: 'text', fulfillment_status: 'text', processed_at_foreign: 'date', cancelled_at_foreign: 'date',
    updated_at_foreign: 'date', campaign_id: 'text', landing_site: 'text', order_url: 'text', tracking_code: 'text',
    shipping_address: 'json', billing_address: 'json', tracking_number: 'text', tracking_carrier: 'text', tracking_url: 'text',
  },
  line: { product_id: 'text', product_variant_id: 'text', quantity: 'number', price: 'money', discount: 'money' },
  order_promo: { code: 'text', amount_discounted: 'money', type: 'text' },
  promo_rule: {
    title: 'text', description: 'text', type: 'text', target: 'text', enabled: 'bool', starts_at: 'date', ends_at: 'date',
    created_at_foreign: 'date', updated_at_foreign: 'date',
  },
  promo_code: { code: 'text', redemption_url: 'text', usage_count: 'number', enabled: 'bool', created_at_foreign: 'date', updated_at_foreign: 'date' },
  cart: { currency_code: 'text', order_total: 'money', tax_total: 'money', checkout_url: 'text', campaign_id: 'text' },
  cart_line: { product_id: 'text', product_variant_id: 'text', quantity: 'number', price: 'money' },
};

/** On every resource: the key, Mailchimp's own timestamps and its links. */
const ALWAYS_IGNORED = ['id', 'created_at', 'updated_at', '_links'];

/**
 * Fields Mailchimp computes or the sync does not own, never compared. Kept short on purpose; each has its reason.
 * Sub-collections (variants, lines, promos) and an order's customer are compared on their own (compare.ts).
 */
export const SERVER_FIELDS: Record<ResourceKind, readonly string[]> = {
  // list_is_active, automations, connected_site: Mailchimp's; is_syncing: the full resync's flag, not shop data (the
  // CLI reports it left true with no resync running: client/cli/commands/reconcile.ts).
  store: ['list_is_active', 'automations', 'connected_site', 'is_syncing'],
  // The store's currency, repeated by Mailchimp on each product.
  product: ['currency_code', 'variants'],
  variant: [],
  // Mailchimp's sums over the orders.
  customer: ['orders_count', 'total_spent'],
  // store_id: the path's; outreach: Mailchimp's attribution to a campaign. An order keeps the customer it was sent
  // with (Mailchimp cannot move it).
  order: ['store_id', 'outreach', 'customer', 'lines', 'promos'],
  // Copied by Mailchimp from the product and variant when the line is written.
  line: ['product_title', 'product_variant_title', 'image_url'],
  order_promo: [],
  // amount is compared by the rule's type (money or fraction), below.
  promo_rule: ['amount'],
  promo_code: [],
  // store_id: the path's; the customer and the lines are compared on their own (compare.ts).
  cart: ['store_id', 'customer', 'lines'],
  // Copied by Mailchimp from the product and variant when the line is written.
  cart_line: ['product_title', 'product_variant_title', 'image_url'],
};

/**
 * Field drifts of one object, strictly: every field of either side but the ignored ones. A field the expected object
 * leaves out (or leaves empty) must be empty in Mailchimp.
 */
export function compareFields(kind: ResourceKind, expected: Json, actual: Json, prefix = ''): FieldDiff[] {
  const spec = FIELD_KINDS[kind];
  const ignored = new Set([...ALWAYS_IGNORED, ...SERVER_FIELDS[kind]]);
  const fields = [...new Set([...Object.keys(spec), ...Object.keys(expected), ...Object.keys(actual)])].filter((f) => !ignored.has(f));
  const out: FieldDiff[] = [];
  for (const field of fields) {
    const want = expected[field];
    const have = actual[field];
    const same = want === undefined || want === null || want === '' ? isEmpty(have) : sameValue(spec[field] ?? 'json', want, have);
    if (!same) out.push({ field: `${prefix}${field}`, expected: want ?? null, actual: have ?? null });
  }
  return out;
}
