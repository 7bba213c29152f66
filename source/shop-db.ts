import type { Knex } from 'knex';
import { env } from '../config/env';
import { infoOf } from '../mapping/entity-types';
import { customerIdForEmail, emailHashSql } from '../mapping/ids';
import { unsentStatuses } from '../mapping/order';
import { goneProductId, productRefusal, refusedVariantReasons } from '../mapping/product';
import { isSentOrder } from '../mapping/sent-order';
import { addressColumnsOf } from '../mapping/address-columns';
import { createShopDbCarts } from './shop-db-carts';
import { afterCursor, createShopDbChanges, iso, sqlTime } from './shop-db-changes';
import { createShopDbLookups } from './shop-db-lookups';
import type { ChangedRow, Cursor, CustomerRecord, EntityType, ShopSource } from './shop-source';
import type {
  OrderLineRow, OrderRow, OrderSendOptions, OrderWithContext, ProductRow, ProductWithVariants, PromoCodeRow, PromotionRow, ShopSettings, UserRow, VariantRow,
} from '../mapping/shop-rows';

/** Reads the shop database's contract tables (docs/shop-database.md). Nothing here writes to them except the feature switch. */

const TABLE_OF = (type: EntityType): string => infoOf(type).table;

/** customerIdForEmail in SQL (mapping/ids.ts), over a `??` column binding: for a table without mc_email_hashes (a view). */
const EMAIL_HASH_SQL = emailHashSql('??');

/** Selects rows of a table by the customer id of an e-mail column (a query builder is thenable: wrapped, not awaited). */
interface ByEmailHash {
  q: Knex.QueryBuilder;
}

function bool(value: unknown): boolean {
  return value === true || value === 1 || value === '1';
}

/** How the database compares promo codes (a case-insensitive collation that ignores trailing spaces). */
function codeKey(code: string): string {
  return code.toLowerCase().trimEnd();
}

export interface ShopDbOptions {
  /** SEND_PENDING_ORDERS and ORDER_URL_TEMPLATE, handed to the mapping with the settings (ShopSettings.orders). */
  orders?: OrderSendOptions;
}

/** The order options of the configuration (SEND_PENDING_ORDERS, ORDER_URL_TEMPLATE; config/variables.ts). */
export function shopDbOptionsFromEnv(vars: NodeJS.ProcessEnv = process.env): ShopDbOptions {
  const pending = env('SEND_PENDING_ORDERS', vars).trim().toLowerCase();
  return { orders: { sendPending: pending === 'true' || pending === '1', urlTemplate: env('ORDER_URL_TEMPLATE', vars).trim() } };
}

/** Orders read at a time when judging which of them the sync sends. */
const SENT_CHUNK = 200;

export function createShopDbSource(db: Knex, options: ShopDbOptions = {}): ShopSource {
  /** The statuses of orders no sync sends: their lines keep nothing in Mailchimp. */
  const UNSENT = unsentStatuses(options);

  async function settings(): Promise<ShopSettings> {
    const rows = (await db('shop_settings').select('name', 'value')) as Array<{ name: string; value: string }>;
    const map = new Map(rows.map((r) => [r.name, r.value]));
    return {
      mailchimpSyncEnabled: bool(map.get('mailchimp_sync_enabled') ?? '0'),
      alwaysOptIn: bool(map.get('always_opt_in') ?? '0'),
      storeName: map.get('store_name') ?? '',
      storeDomain: map.get('store_domain') ?? '',
      storeCurrency: (map.get('store_currency') ?? '').toUpperCase(),
      ...(options.orders ? { orders: options.orders } : {}),
    };
  }

  function user(row: UserRow): UserRow {
    return { ...row, id: String(row.id), marketing_opt_in: bool(row.marketing_opt_in) };
  }

  function promotion(row: PromotionRow): PromotionRow {
    return { ...row, id: String(row.id), enabled: bool(row.enabled) };
  }

  function promoCode(row: PromoCodeRow): PromoCodeRow {
    return { ...row, id: String(row.id), promotion_id: String(row.promotion_id), enabled: bool(row.enabled) };
  }

  async function products(ids: string[]): Promise<Map<string, ProductWithVariants>> {
    const out = new Map<string, ProductWithVariants>();
    if (ids.length === 0) return out;
    const rows = (await db('products').whereIn('id', ids)) as ProductRow[];
    const variants = (await db('product_variants').whereIn('product_id', ids).orderBy('id')) as VariantRow[];
    for (const product of rows) out.set(String(product.id), { product: { ...product, id: String(product.id) }, variants: [] });
    for (const v of variants) {
      out.get(String(v.product_id))?.variants.push({ ...v, id: String(v.id), product_id: String(v.product_id) });
    }
    return out;
  }

  // The stored, indexed customer id of every e-mail (mc_email_hashes, kept by triggers: 20261201004000_email_hash_index);
  // a table without the triggers (a view) is hashed row by row with the same rule.
  let indexed: Promise<boolean> | undefined;
  function hashIndexed(): Promise<boolean> {
    if (indexed) return indexed;
    const check = (async () => {
      const [rows] = (await db.raw(
        "SELECT COUNT(*) AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME IN ('mc_users_email_hash_ins', 'mc_orders_email_hash_ins')",
      )) as [Array<{ n: number | string }>];
      return Number(rows[0]?.n) === 2;
    })();
    indexed = check;
    // A failed check is not kept: the next read asks again.
    check.catch(() => {
      if (indexed === check) indexed = undefined;
    });
    return check;
  }

  /** Rows of `table` whose e-mail `column` has one of these customer ids, with the id selected as `email_hash`. */
  async function byEmailHash(table: 'users' | 'orders', column: string, hashes: readonly string[]): Promise<ByEmailHash> {
    if (await hashIndexed()) {
      const q = db(table)
        .join('mc_email_hashes as h', (j) => {
          j.on('h.row_id', '=', `${table}.id`).andOnVal('h.table_name', '=', table);
        })
        .whereIn('h.email_hash', [...hashes])
        .select('h.email_hash as email_hash');
      return { q };
    }
    const q = db(table)
      .whereRaw(`${EMAIL_HASH_SQL} in (${hashes.map(() => '?').join(',')})`, [column, ...hashes])
      .select(db.raw(`${EMAIL_HASH_SQL} as email_hash`, [column]));
    return { q };
  }

  /** Registered users first (the newest row of an address); else the newest guest order with the address. */
  async function customers(emailHashes: string[]): Promise<Map<string, CustomerRecord>> {
    const out = new Map<string, CustomerRecord>();
    if (emailHashes.length === 0) return out;
    const users = (await (await byEmailHash('users', 'email', emailHashes)).q
      .select('users.*')
      .orderBy('users.updated_at', 'desc')) as Array<UserRow & { email_hash: string }>;
    for (const row of users) {
      if (out.has(row.email_hash)) continue;
      const registered = user(row);
      out.set(row.email_hash, {
        emailHash: row.email_hash, email: registered.email.trim(), firstName: registered.first_name, lastName: registered.last_name,
        isGuest: false, shopOptIn: registered.marketing_opt_in, address: addressColumnsOf(row),
      });
    }
    const rest = emailHashes.filter((h) => !out.has(h));
    if (rest.length === 0) return out;
    const guests = (await (await byEmailHash('orders', 'guest_email', rest)).q
      .select('orders.guest_email', 'orders.guest_first_name')
      .whereNull('orders.user_id')
      .orderBy('orders.ordered_at', 'desc')) as Array<Pick<OrderRow, 'guest_email' | 'guest_first_name'> & { email_hash: string }>;
    for (const guest of guests) {
      if (out.has(guest.email_hash) || !guest.guest_email) continue;
      out.set(guest.email_hash, {
        emailHash: guest.email_hash, email: guest.guest_email.trim(), firstName: guest.guest_first_name, lastName: null, isGuest: true, shopOptIn: false,
      });
    }
    return out;
  }

  async function orders(ids: string[]): Promise<Map<string, OrderWithContext>> {
    const out = new Map<string, OrderWithContext>();
    if (ids.length === 0) return out;
    const rows = (await db('orders').whereIn('id', ids)) as OrderRow[];
    if (rows.length === 0) return out;
    const lines = (await db('order_lines as l')
      .leftJoin('products as p', 'p.id', 'l.product_id')
      .leftJoin('product_variants as v', 'v.id', 'l.variant_id')
      .whereIn('l.order_id', ids)
      .orderBy('l.id')
      .select('l.*', 'p.code as product_code', 'v.sku as variant_sku')) as Array<OrderLineRow & { product_code: string | null; variant_sku: string | null }>;
    const userIds = [...new Set(rows.flatMap((o) => (o.user_id ? [String(o.user_id)] : [])))];
    const users = new Map<string, UserRow>();
    if (userIds.length > 0) {
      for (const row of (await db('users').whereIn('id', userIds)) as UserRow[]) users.set(String(row.id), user(row));
    }
    const codes = [...new Set(rows.flatMap((o) => (o.promo_code ? [o.promo_code] : [])))];
    const promotions = new Map<string, PromotionRow>();
    if (codes.length > 0) {
      // The first code row (lowest id) of each code names its promotion.
      const found = (await db('promo_codes as c')
        .join('promotions as p', 'p.id', 'c.promotion_id')
        .whereIn('c.code', codes)
        .orderBy('c.id')
        .select('p.*', 'c.code as promo_code_text')) as Array<PromotionRow & { promo_code_text: string }>;
      for (const row of found) {
        const { promo_code_text: text, ...promo } = row;
        const key = codeKey(text);
        if (!promotions.has(key)) promotions.set(key, promotion(promo as PromotionRow));
      }
    }
    for (const order of rows) {
      out.set(String(order.id), {
        order: { ...order, id: String(order.id), user_id: order.user_id === null ? null : String(order.user_id) },
        lines: [],
        user: order.user_id ? (users.get(String(order.user_id)) ?? null) : null,
        promotion: order.promo_code ? (promotions.get(codeKey(order.promo_code)) ?? null) : null,
      });
    }
    const refused = await refusals([...new Set(lines.map((l) => String(l.product_id)))]);
    for (const l of lines) {
      const entry = out.get(String(l.order_id));
      if (!entry) continue;
      const variantId = l.variant_id === null ? null : String(l.variant_id);
      entry.lines.push({
        ...l,
        id: String(l.id), order_id: String(l.order_id), product_id: String(l.product_id),
        variant_id: variantId,
        product_code: l.product_code ?? goneProductId(l.product_id),
      });
      const reason = variantId === null ? undefined : refused.variants.get(variantId);
      if (reason !== undefined) entry.refusedVariants = { ...entry.refusedVariants, [variantId as string]: reason };
      const productReason = refused.products.get(String(l.product_id));
      if (productReason !== undefined) entry.refusedProducts = { ...entry.refusedProducts, [String(l.product_id)]: productReason };
    }
    return out;
  }

  /**
   * The keys (a product id, a SKU) that some order the sync sends stands behind (mapping/sent-order.ts isSentOrder),
   * from (key, order) pairs of orders that are not pending. Orders are read in chunks, and a key's other orders are
   * not read once one of them is sent: usually one chunk.
   */
  async function sentKeys(pairs: ReadonlyArray<{ key: string; order_id: string }>): Promise<Set<string>> {
    const out = new Set<string>();
    const sent = new Map<string, boolean>();
    let pending = pairs.map((p) => ({ key: String(p.key), orderId: String(p.order_id) }));
    if (pending.length === 0) return out;
    const shop = await settings();
    while (pending.length > 0) {
      const ids: string[] = [];
      const seenKeys = new Set<string>();
      for (const p of pending) {
        if (ids.length >= SENT_CHUNK) break;
        // One order per key per round: a key whose first order is sent needs no other read.
        if (seenKeys.has(p.key) || sent.has(p.orderId) || ids.includes(p.orderId)) continue;
        seenKeys.add(p.key);
        ids.push(p.orderId);
      }
      if (ids.length > 0) {
        const found = await orders(ids);
        for (const id of ids) {
          const order = found.get(id);
          sent.set(id, order !== undefined && isSentOrder(order, shop));
        }
      }
      for (const p of pending) if (sent.get(p.orderId) === true) out.add(p.key);
      pending = pending.filter((p) => !out.has(p.key) && !sent.has(p.orderId));
    }
    return out;
  }

  /**
   * What the product mapping refuses of these products: variants it leaves out, by variant id (orders naming one are
   * refused), and products it cannot send at all, by product id (orders naming one wait for it). One read of them.
   */
  async function refusals(productIds: string[]): Promise<{ variants: Map<string, string>; products: Map<string, string> }> {
    const out = { variants: new Map<string, string>(), products: new Map<string, string>() };
    if (productIds.length === 0) return out;
    const [found, shop] = await Promise.all([products(productIds), settings()]);
    for (const [productId, p] of found) {
      for (const [id, reason] of refusedVariantReasons(p, shop)) out.variants.set(id, reason);
      const whole = productRefusal(p, shop);
      if (whole !== undefined) out.products.set(productId, whole);
    }
    return out;
  }

  return {
    settings,
    ...createShopDbChanges(db),
    ...createShopDbLookups(db),
    ...createShopDbCarts(db, { products, user }),

    async setSyncEnabled(enabled) {
      await db('shop_settings')
        .insert({ name: 'mailchimp_sync_enabled', value: enabled ? '1' : '0' })
        .onConflict('name')
        .merge();
    },

    async product(id) {
      return (await products([id])).get(String(id)) ?? null;
    },

    products,

    // What the product sync keeps for orders (an inactive product's placeholder, the variant named after the code, a
    // SKU no longer sold) it keeps for the orders the sync sends: mapping/sent-order.ts, the one rule. The SQL narrows
    // to lines of orders that are not pending; sentKeys judges those orders, one sent order per key being enough.
    async productIdsReferencedByOrders(productIds) {
      if (productIds.length === 0) return new Set();
      const rows = (await db('order_lines as l')
        .join('orders as o', 'o.id', 'l.order_id')
        .distinct('l.product_id as key', 'l.order_id as order_id')
        .whereIn('l.product_id', productIds)
        .whereNotIn('o.status', UNSENT)
        .orderBy(['l.product_id', 'l.order_id'])) as Array<{ key: string; order_id: string }>;
      return sentKeys(rows);
    },

    // A line whose variant row is gone, or has no SKU, points at the variant named after the code too (mapOrderLine).
    async productIdsOrderedWithoutVariant(productIds) {
      if (productIds.length === 0) return new Set();
      const rows = (await db('order_lines as l')
        .join('orders as o', 'o.id', 'l.order_id')
        .leftJoin('product_variants as v', 'v.id', 'l.variant_id')
        .distinct('l.product_id as key', 'l.order_id as order_id')
        .whereIn('l.product_id', productIds)
        .whereNotIn('o.status', UNSENT)
        .andWhere((w) => {
          w.whereNull('l.variant_id').orWhereNull('v.id').orWhereRaw("TRIM(v.sku) = ''");
        })
        .orderBy(['l.product_id', 'l.order_id'])) as Array<{ key: string; order_id: string }>;
      return sentKeys(rows);
    },

    async orderedVariantSkus(productId) {
      const rows = (await db('order_lines as l')
        .join('orders as o', 'o.id', 'l.order_id')
        .join('product_variants as v', 'v.id', 'l.variant_id')
        .distinct(db.raw('TRIM(v.sku) as `key`'), 'l.order_id as order_id')
        .where('l.product_id', productId)
        .whereNotIn('o.status', UNSENT)
        .andWhereRaw("TRIM(v.sku) <> ''")
        .orderBy(['key', 'order_id'])) as Array<{ key: string; order_id: string }>;
      return [...(await sentKeys(rows))].sort();
    },

    async orderIdsNamingProduct(productId) {
      const rows = (await db('order_lines as l')
        .join('orders as o', 'o.id', 'l.order_id')
        .distinct('o.id')
        .where('l.product_id', productId)
        .whereNotIn('o.status', UNSENT)
        .orderBy('o.id')) as Array<{ id: string }>;
      return rows.map((r) => String(r.id));
    },

    async promotion(id) {
      const row = (await db('promotions').where({ id }).first()) as PromotionRow | undefined;
      return row ? promotion(row) : null;
    },

    async promoCode(id) {
      const row = (await db('promo_codes').where({ id }).first()) as PromoCodeRow | undefined;
      return row ? promoCode(row) : null;
    },

    async promotions(ids) {
      if (ids.length === 0) return new Map();
      const rows = (await db('promotions').whereIn('id', ids)) as PromotionRow[];
      return new Map(rows.map((row) => [String(row.id), promotion(row)]));
    },

    async promoCodes(ids) {
      if (ids.length === 0) return new Map();
      const rows = (await db('promo_codes').whereIn('id', ids)) as PromoCodeRow[];
      return new Map(rows.map((row) => [String(row.id), promoCode(row)]));
    },

    async promoCodeIdsOf(promotionId) {
      const rows = (await db('promo_codes').where({ promotion_id: promotionId }).orderBy('id').select('id')) as Array<{ id: string }>;
      return rows.map((r) => String(r.id));
    },

    async guestOrderIdsToSend(emailHash) {
      const rows = (await (await byEmailHash('orders', 'guest_email', [emailHash])).q.whereNull('orders.user_id').whereNotIn('orders.status', UNSENT)
        .orderBy('orders.id').select('orders.id')) as Array<{ id: string }>;
      return rows.map((r) => String(r.id));
    },

    async userOrderIdsToSend(userId) {
      const rows = (await db('orders').where({ user_id: userId }).whereNotIn('status', UNSENT).orderBy('id').select('id')) as Array<{ id: string }>;
      return rows.map((r) => String(r.id));
    },

    async userByEmailHash(emailHash) {
      const row = (await (await byEmailHash('users', 'email', [emailHash])).q.select('users.*').orderBy('users.updated_at', 'desc').first()) as UserRow | undefined;
      return row ? user(row) : null;
    },

    async customer(emailHash): Promise<CustomerRecord | null> {
      return (await customers([emailHash])).get(emailHash) ?? null;
    },

    customers,

    async order(id): Promise<OrderWithContext | null> {
      return (await orders([id])).get(String(id)) ?? null;
    },

    orders,

    async changedAfter(type, after: Cursor | null, limit, until, upTo) {
      const table = TABLE_OF(type);
      // A customer's entity id is its e-mail's customer id, computed here by the one rule (mapping/ids.ts).
      const columns = type === 'customer' ? ['id', 'updated_at', 'email'] : ['id', 'updated_at'];
      const q = afterCursor(db(table).select(columns), after).limit(limit);
      if (until) q.andWhere('updated_at', '<=', sqlTime(until));
      if (upTo) {
        q.andWhere((w) => {
          w.where('updated_at', '<', sqlTime(upTo.updatedAt)).orWhere((w2) => {
            w2.where('updated_at', '=', sqlTime(upTo.updatedAt)).andWhere('id', '<=', upTo.id);
          });
        });
      }
      const rows = (await q) as Array<{ id: string; updated_at: Date; email?: string | null }>;
      return rows.map((r): ChangedRow => ({
        id: String(r.id), updatedAt: iso(r.updated_at), entityId: type === 'customer' ? customerIdForEmail(r.email ?? '') : String(r.id),
      }));
    },

    async newestChange(type) {
      const row = (await db(TABLE_OF(type)).max('updated_at as newest').first()) as { newest: Date | null } | undefined;
      return row?.newest ? iso(row.newest) : null;
    },

    async existing(type, entityIds) {
      if (entityIds.length === 0) return new Set();
      if (type === 'customer') {
        const rows = (await (await byEmailHash('users', 'email', entityIds)).q) as Array<{ email_hash: string }>;
        return new Set(rows.map((r) => r.email_hash));
      }
      const rows = (await db(TABLE_OF(type)).select('id').whereIn('id', entityIds)) as Array<{ id: string }>;
      return new Set(rows.map((r) => String(r.id)));
    },

    async now() {
      const [rows] = (await db.raw('SELECT NOW(3) AS now')) as [Array<{ now: Date }>];
      return iso(rows[0].now);
    },

    async count(type) {
      const row = (await db(TABLE_OF(type)).count('* as n').first()) as { n: number | string } | undefined;
      return Number(row?.n ?? 0);
    },
  };
}
