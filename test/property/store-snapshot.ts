import type { AxiosInstance } from 'axios';

/**
 * A whole Mailchimp store read through the API (GET with paging), keyed by resource, with the fields Mailchimp itself
 * sets taken out. Nothing else is taken out: every field the sync sends is compared.
 */

type Json = Record<string, unknown>;
export type StoreSnapshot = Map<string, Json>;

/** Set by Mailchimp on every resource: its own timestamps and links. */
const SERVER_FIELDS = ['created_at', 'updated_at', '_links'];
/** Counters Mailchimp computes from the store's orders. */
const CUSTOMER_COUNTERS = ['orders_count', 'total_spent'];
/**
 * Copies Mailchimp takes of the product when a line is written (the product itself is compared under products/),
 * and the order's embedded customer, which is the customer resource compared under customers/ (its id is kept).
 */
const LINE_COPIES = ['product_title', 'product_variant_title', 'image_url'];

function without(value: Json, fields: readonly string[]): Json {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !fields.includes(k)));
}

/** Server fields out, at every depth; arrays of resources with ids become objects keyed by id (stable, readable paths). */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) {
    const keyed = value.length > 0 && value.every((v) => typeof v === 'object' && v !== null && 'id' in v);
    if (keyed) return Object.fromEntries(value.map((v) => [String((v as Json).id), normalise(v)]));
    return value.map(normalise);
  }
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(without(value as Json, SERVER_FIELDS)).map(([k, v]) => [k, normalise(v)]));
}

async function getJson(http: AxiosInstance, path: string): Promise<Json> {
  const res = await http.get(`/3.0${path}`);
  if (res.status !== 200) throw new Error(`GET ${path} → ${res.status} ${JSON.stringify(res.data)}`);
  return res.data as Json;
}

async function all(http: AxiosInstance, path: string, key: string): Promise<Json[]> {
  const out: Json[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await getJson(http, `${path}?count=1000&offset=${offset}`);
    const items = page[key] as Json[];
    out.push(...items);
    if (items.length < 1000 || out.length >= Number(page.total_items)) return out;
  }
}

export async function snapshotStore(http: AxiosInstance, storeId: string): Promise<StoreSnapshot> {
  const base = `/ecommerce/stores/${storeId}`;
  const snap: StoreSnapshot = new Map();
  snap.set('store', normalise(without(await getJson(http, base), ['id'])) as Json);
  for (const p of await all(http, `${base}/products`, 'products')) snap.set(`products/${String(p.id)}`, normalise(p) as Json);
  for (const c of await all(http, `${base}/customers`, 'customers')) snap.set(`customers/${String(c.id)}`, normalise(without(c, CUSTOMER_COUNTERS)) as Json);
  for (const o of await all(http, `${base}/orders`, 'orders')) {
    const lines = (o.lines as Json[]).map((l) => without(l, LINE_COPIES));
    const customer = { id: (o.customer as Json).id };
    snap.set(`orders/${String(o.id)}`, normalise({ ...without(o, ['store_id']), customer, lines }) as Json);
  }
  for (const c of await all(http, `${base}/carts`, 'carts')) {
    const lines = (c.lines as Json[]).map((l) => without(l, LINE_COPIES));
    snap.set(`carts/${String(c.id)}`, normalise({ ...without(c, ['store_id']), customer: { id: (c.customer as Json).id }, lines }) as Json);
  }
  for (const r of await all(http, `${base}/promo-rules`, 'promo_rules')) {
    snap.set(`promo_rules/${String(r.id)}`, normalise(r) as Json);
    for (const c of await all(http, `${base}/promo-rules/${String(r.id)}/promo-codes`, 'promo_codes')) {
      snap.set(`promo_codes/${String(r.id)}/${String(c.id)}`, normalise(c) as Json);
    }
  }
  return snap;
}
