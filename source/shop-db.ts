import type { Knex } from 'knex';
import type { ChangedRow, Cursor, CustomerRecord, EntityType, ShopSource } from './shop-source';
import type {
  OrderLineRow, OrderRow, OrderWithContext, ProductRow, PromoCodeRow, PromotionRow, ShopSettings, UserRow, VariantRow,
} from './types';

/** Reads the shop database's contract tables (docs/shop-database.md). Nothing here writes to them except the feature switch. */

const TABLE_OF: Record<EntityType, string> = {
  product: 'products',
  promo_rule: 'promotions',
  promo_code: 'promo_codes',
  customer: 'users',
  order: 'orders',
};

const EMAIL_HASH_SQL = 'MD5(LOWER(TRIM(??)))';

function bool(value: unknown): boolean {
  return value === true || value === 1 || value === '1';
}

function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** MySQL DATETIME(3) literal in UTC for a cursor (the connection runs in UTC). */
function sqlTime(isoString: string): string {
  return isoString.replace('T', ' ').replace('Z', '');
}

export function createShopDbSource(db: Knex): ShopSource {
  async function settings(): Promise<ShopSettings> {
    const rows = (await db('shop_settings').select('name', 'value')) as Array<{ name: string; value: string }>;
    const map = new Map(rows.map((r) => [r.name, r.value]));
    return {
      mailchimpSyncEnabled: bool(map.get('mailchimp_sync_enabled') ?? '0'),
      alwaysOptIn: bool(map.get('always_opt_in') ?? '0'),
      storeName: map.get('store_name') ?? '',
      storeDomain: map.get('store_domain') ?? '',
      storeCurrency: (map.get('store_currency') ?? '').toUpperCase(),
    };
  }

  function user(row: UserRow): UserRow {
    return { ...row, id: String(row.id), marketing_opt_in: bool(row.marketing_opt_in) };
  }

  function promotion(row: PromotionRow): PromotionRow {
    return { ...row, id: String(row.id), enabled: bool(row.enabled) };
  }

  return {
    settings,

    async setSyncEnabled(enabled) {
      await db('shop_settings')
        .insert({ name: 'mailchimp_sync_enabled', value: enabled ? '1' : '0' })
        .onConflict('name')
        .merge();
    },

    async product(id) {
      const product = (await db('products').where({ id }).first()) as ProductRow | undefined;
      if (!product) return null;
      const variants = (await db('product_variants').where({ product_id: id }).orderBy('id')) as VariantRow[];
      return {
        product: { ...product, id: String(product.id) },
        variants: variants.map((v) => ({ ...v, id: String(v.id), product_id: String(v.product_id) })),
      };
    },

    async productIdsReferencedByOrders(productIds) {
      if (productIds.length === 0) return new Set();
      const rows = (await db('order_lines').distinct('product_id').whereIn('product_id', productIds)) as Array<{ product_id: string }>;
      return new Set(rows.map((r) => String(r.product_id)));
    },

    async productIdsOrderedWithoutVariant(productIds) {
      if (productIds.length === 0) return new Set();
      const rows = (await db('order_lines').distinct('product_id').whereIn('product_id', productIds).whereNull('variant_id')) as Array<{ product_id: string }>;
      return new Set(rows.map((r) => String(r.product_id)));
    },

    async promotion(id) {
      const row = (await db('promotions').where({ id }).first()) as PromotionRow | undefined;
      return row ? promotion(row) : null;
    },

    async promoCode(id) {
      const row = (await db('promo_codes').where({ id }).first()) as PromoCodeRow | undefined;
      return row ? { ...row, id: String(row.id), promotion_id: String(row.promotion_id), enabled: bool(row.enabled) } : null;
    },

    async userByEmailHash(emailHash) {
      const row = (await db('users').whereRaw(`${EMAIL_HASH_SQL} = ?`, ['email', emailHash]).orderBy('updated_at', 'desc').first()) as UserRow | undefined;
      return row ? user(row) : null;
    },

    async customer(emailHash): Promise<CustomerRecord | null> {
      const registered = await this.userByEmailHash(emailHash);
      if (registered) {
        return {
          emailHash, email: registered.email.trim(), firstName: registered.first_name, lastName: registered.last_name,
          isGuest: false, shopOptIn: registered.marketing_opt_in,
        };
      }
      const guest = (await db('orders')
        .whereNull('user_id')
        .whereRaw(`${EMAIL_HASH_SQL} = ?`, ['guest_email', emailHash])
        .orderBy('ordered_at', 'desc')
        .first()) as OrderRow | undefined;
      if (!guest || !guest.guest_email) return null;
      return { emailHash, email: guest.guest_email.trim(), firstName: guest.guest_first_name, lastName: null, isGuest: true, shopOptIn: false };
    },

    async order(id): Promise<OrderWithContext | null> {
      const order = (await db('orders').where({ id }).first()) as OrderRow | undefined;
      if (!order) return null;
      const lines = (await db('order_lines as l')
        .leftJoin('products as p', 'p.id', 'l.product_id')
        .leftJoin('product_variants as v', 'v.id', 'l.variant_id')
        .where('l.order_id', id)
        .orderBy('l.id')
        .select('l.*', 'p.code as product_code', 'v.sku as variant_sku')) as Array<OrderLineRow & { product_code: string | null; variant_sku: string | null }>;
      const userRow = order.user_id ? ((await db('users').where({ id: order.user_id }).first()) as UserRow | undefined) : undefined;
      let promo: PromotionRow | null = null;
      if (order.promo_code) {
        const row = (await db('promo_codes as c')
          .join('promotions as p', 'p.id', 'c.promotion_id')
          .where('c.code', order.promo_code)
          .orderBy('c.id')
          .first('p.*')) as PromotionRow | undefined;
        promo = row ? promotion(row) : null;
      }
      return {
        order: { ...order, id: String(order.id), user_id: order.user_id === null ? null : String(order.user_id) },
        lines: lines.map((l) => ({
          ...l,
          id: String(l.id), order_id: String(l.order_id), product_id: String(l.product_id),
          variant_id: l.variant_id === null ? null : String(l.variant_id),
          product_code: l.product_code ?? `deleted-${l.product_id}`,
        })),
        user: userRow ? user(userRow) : null,
        promotion: promo,
      };
    },

    async changedAfter(type, after: Cursor | null, limit, until) {
      const table = TABLE_OF[type];
      const columns = type === 'customer' ? ['id', 'updated_at', db.raw(`${EMAIL_HASH_SQL} as entity_id`, ['email'])] : ['id', 'updated_at'];
      const q = db(table).select(columns).orderBy([{ column: 'updated_at' }, { column: 'id' }]).limit(limit);
      if (after) {
        q.where((w) => w.where('updated_at', '>', sqlTime(after.updatedAt))
          .orWhere((w2) => w2.where('updated_at', '=', sqlTime(after.updatedAt)).andWhere('id', '>', after.id)));
      }
      if (until) q.andWhere('updated_at', '<=', sqlTime(until));
      const rows = (await q) as Array<{ id: string; updated_at: Date; entity_id?: string }>;
      return rows.map((r): ChangedRow => ({ id: String(r.id), updatedAt: iso(r.updated_at), entityId: r.entity_id ?? String(r.id) }));
    },

    async newestChange(type) {
      const row = (await db(TABLE_OF[type]).max('updated_at as newest').first()) as { newest: Date | null } | undefined;
      return row?.newest ? iso(row.newest) : null;
    },

    async existing(type, entityIds) {
      if (entityIds.length === 0) return new Set();
      if (type === 'customer') {
        const rows = (await db('users').select(db.raw(`${EMAIL_HASH_SQL} as h`, ['email'])).whereRaw(`${EMAIL_HASH_SQL} in (${entityIds.map(() => '?').join(',')})`, ['email', ...entityIds])) as Array<{ h: string }>;
        return new Set(rows.map((r) => r.h));
      }
      const rows = (await db(TABLE_OF[type]).select('id').whereIn('id', entityIds)) as Array<{ id: string }>;
      return new Set(rows.map((r) => String(r.id)));
    },

    async now() {
      const [rows] = (await db.raw('SELECT NOW(3) AS now')) as [Array<{ now: Date }>];
      return iso(rows[0].now);
    },

    async count(type) {
      const row = (await db(TABLE_OF[type]).count('* as n').first()) as { n: number | string } | undefined;
      return Number(row?.n ?? 0);
    },
  };
}
