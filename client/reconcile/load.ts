/** Reconcile's I/O: reads the shop through its ShopSource and pages through Mailchimp's collections. */
import type { Knex } from 'knex';
import { forEachConcurrent } from '../../util/concurrency';
import { createSyncState } from '../../db/sync-state';
import type { MailchimpClient } from '../../mailchimp';
import type { MemberStatus } from '../../mapping/consent';
import { apiPath } from '../../mailchimp/api-path';
import { infoOf } from '../../mapping/entity-types';
import type { EntityType } from '../../mapping/ids';
import { promoCodeRemoteId } from '../../mapping/promo';
import type { Cursor, CustomerRecord, ShopSource } from '../../source/shop-source';
import type { OrderWithContext, ProductWithVariants, PromoCodeRow, PromotionRow } from '../../mapping/shop-rows';
import { buyerIds, type Audience, type ShopSnapshot } from './expected';
import type { CartSnapshot } from './expected-carts';
import { cartOptions, DEFAULT_CART_MAX_AGE } from '../../mapping/cart';
import { toMs } from '../../config/duration';

const SHOP_PAGE = 1000;
const READ_CONCURRENCY = 16;
/** Mailchimp's largest page. */
export const MAILCHIMP_PAGE = 1000;

type Json = Record<string, unknown>;
export type Tick = (what: string, done: number, total: number) => void;

async function allIds(source: ShopSource, type: EntityType): Promise<string[]> {
  const ids: string[] = [];
  let cursor: Cursor | null = null;
  for (;;) {
    const rows = await source.changedAfter(type, cursor, SHOP_PAGE);
    ids.push(...rows.map((r) => r.entityId));
    if (rows.length < SHOP_PAGE) return ids;
    const last = rows[rows.length - 1];
    cursor = { updatedAt: last.updatedAt, id: last.id };
  }
}

async function readAll<T>(ids: string[], read: (id: string) => Promise<T | null>, tick: Tick, what: string): Promise<T[]> {
  const out: Array<T | null> = new Array<T | null>(ids.length).fill(null);
  let done = 0;
  await forEachConcurrent(ids, READ_CONCURRENCY, async (id, i) => {
    out[i] = await read(id);
    done += 1;
    if (done % 50 === 0 || done === ids.length) tick(what, done, ids.length);
  });
  return out.filter((x): x is T => x !== null);
}

async function inChunks(ids: string[], query: (chunk: string[]) => Promise<Set<string>>): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += SHOP_PAGE) for (const id of await query(ids.slice(i, i + SHOP_PAGE))) out.add(id);
  return out;
}

/** Loads the shop rows the selected types need (orders are needed for products and customers too). */
export async function loadShop(
  source: ShopSource, types: ReadonlySet<EntityType>,
  ids: { storeId: string; listId: string; redemptionUrlTemplate: string; cartUrlTemplate?: string; cartMaxAge?: string }, tick: Tick,
  mailchimp?: MailchimpClient,
): Promise<ShopSnapshot> {
  const settings = await source.settings();
  const needOrders = types.has('order') || types.has('product') || types.has('customer');
  const orders: OrderWithContext[] = needOrders ? await readAll(await allIds(source, 'order'), (id) => source.order(id), tick, 'shop orders') : [];
  let products: ProductWithVariants[] = [];
  let referencedProductIds = new Set<string>();
  let orderedWithoutVariant = new Set<string>();
  const orderedSkus = new Map<string, string[]>();
  if (types.has('product')) {
    const productIds = await allIds(source, 'product');
    products = await readAll(productIds, (id) => source.product(id), tick, 'shop products');
    referencedProductIds = await inChunks(productIds, (c) => source.productIdsReferencedByOrders(c));
    orderedWithoutVariant = await inChunks(productIds, (c) => source.productIdsOrderedWithoutVariant(c));
    const ordered = source.orderedVariantSkus?.bind(source);
    if (ordered) {
      const referenced = productIds.filter((id) => referencedProductIds.has(id));
      await readAll(referenced, async (id) => orderedSkus.set(id, await ordered(id)), tick, 'ordered variants');
    }
  }
  let customers: CustomerRecord[] = [];
  if (types.has('customer')) {
    const hashes = new Set([...(await allIds(source, 'customer')), ...buyerIds({ orders, settings })]);
    customers = await readAll([...hashes], (h) => source.customer(h), tick, 'shop customers');
  }
  let promotions: PromotionRow[] = [];
  let promoCodes: PromoCodeRow[] = [];
  if (types.has('promo_rule') || types.has('promo_code')) {
    promotions = await readAll(await allIds(source, 'promo_rule'), (id) => source.promotion(id), tick, 'shop promotions');
  }
  if (types.has('promo_code')) {
    promoCodes = await readAll(await allIds(source, 'promo_code'), (id) => source.promoCode(id), tick, 'shop promo codes');
  }
  const cart = types.has('cart') || types.has('customer') ? await loadCarts(source, ids, tick, mailchimp) : undefined;
  return {
    settings, storeId: ids.storeId, listId: ids.listId, redemptionUrlTemplate: ids.redemptionUrlTemplate,
    products, referencedProductIds, orderedWithoutVariant, orderedSkus, orders, customers, promotions, promoCodes, ...(cart ? { cart } : {}),
  };
}

/** The shop's carts (a source without carts has none), the mapping's options at the source's clock, the account's campaigns. */
async function loadCarts(
  source: ShopSource, ids: { cartUrlTemplate?: string; cartMaxAge?: string }, tick: Tick, mailchimp: MailchimpClient | undefined,
): Promise<CartSnapshot> {
  const read = source.cart?.bind(source);
  const carts = read ? await readAll(await allIds(source, 'cart'), (id) => read(id), tick, 'shop carts') : [];
  const campaigns = new Set<string>();
  if (mailchimp && carts.some((c) => c.cart.campaign_id)) {
    for (const c of await listAll(mailchimp, '/campaigns', tick, 'Mailchimp campaigns')) campaigns.add(String(c.id));
  }
  const options = cartOptions({ cartUrlTemplate: ids.cartUrlTemplate, cartMaxAgeMs: toMs(ids.cartMaxAge ?? DEFAULT_CART_MAX_AGE) }, await source.now());
  return { carts, options, campaigns };
}

/** Every item of a Mailchimp collection, a page of 1000 at a time. */
export async function listAll(mailchimp: MailchimpClient, path: string, tick: Tick, what: string): Promise<Json[]> {
  const items: Json[] = [];
  for (let offset = 0; ; ) {
    const page = await mailchimp.list<Json>(path, { count: MAILCHIMP_PAGE, offset });
    items.push(...page.items);
    offset += page.items.length;
    tick(what, items.length, Math.max(page.total_items, items.length));
    if (page.items.length === 0 || offset >= page.total_items) return items;
  }
}

/** What Mailchimp holds of one type. Promo codes are listed rule by rule and keyed `rule/code`. */
export async function loadRemote(mailchimp: MailchimpClient, storeId: string, type: EntityType | 'store', tick: Tick): Promise<Json[]> {
  const base = apiPath`/ecommerce/stores/${storeId}`;
  switch (type) {
    case 'store': {
      const store = await mailchimp.getStore(storeId);
      return store ? [store as Json] : [];
    }
    case 'promo_code': {
      const rules = await listAll(mailchimp, `${base}/promo-rules`, tick, 'Mailchimp promo rules');
      const codes: Json[] = [];
      for (const rule of rules) {
        const ruleId = String(rule.id);
        const items = await listAll(mailchimp, `${base}/promo-rules/${encodeURIComponent(ruleId)}/promo-codes`, tick, `promo codes of ${ruleId}`);
        codes.push(...items.map((c) => ({ ...c, id: promoCodeRemoteId(ruleId, String(c.id)) })));
      }
      return codes;
    }
    default: {
      const collection = infoOf(type).remoteCollection;
      return listAll(mailchimp, `${base}/${collection}`, tick, `Mailchimp ${collection.replace('-', ' ')}`);
    }
  }
}

/** The sync's recorded failures for a store (mc_sync_state, status `failed`, with a reason): `type:shop id` → reason. */
export async function loadFailures(db: Knex, storeId: string): Promise<Map<string, string>> {
  return createSyncState(db, storeId).failureReasons();
}

/** The audience's members (subscriber hash → status) and whether it asks new subscribers to confirm. */
export async function loadAudience(mailchimp: MailchimpClient, listId: string, tick: Tick): Promise<Audience> {
  const statuses = new Map<string, MemberStatus>();
  for (let offset = 0; ; ) {
    const page = await mailchimp.listMembers(listId, { count: MAILCHIMP_PAGE, offset });
    for (const m of page.items) statuses.set(String(m.id), m.status);
    offset += page.items.length;
    tick('audience members', statuses.size, Math.max(page.total_items, statuses.size));
    if (page.items.length === 0 || offset >= page.total_items) break;
  }
  const list = await mailchimp.getList(listId);
  return { statuses, doubleOptIn: Boolean(list.double_optin) };
}
