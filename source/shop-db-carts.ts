import type { Knex } from 'knex';
import { customerIdForEmail } from '../mapping/ids';
import { sqlTime } from './shop-db-changes';
import type { ShopSource } from './shop-source';
import type { CartLineRow, CartRow, CartWithContext, ProductWithVariants, UserRow } from '../mapping/shop-rows';

/** Reads the contract's `carts` and `cart_lines` (docs/shop-database.md), with what the cart mapping needs. */

type CartMethods = Required<Pick<ShopSource, 'cart' | 'carts' | 'cartIdsForOrders' | 'cartIdsUnchangedSince' | 'cartIdsOfEmail' | 'cartIdsNaming'>>;

interface CartReadDeps {
  products(ids: string[]): Promise<Map<string, ProductWithVariants>>;
  user(row: UserRow): UserRow;
}

function str(value: string | number | null): string | null {
  return value === null ? null : String(value);
}

/** The e-mail a cart is for: its registered user's, else its guest e-mail. */
function buyerEmail(cart: CartRow, user: UserRow | null): string | null {
  if (user) return user.email;
  return cart.guest_email !== null && cart.guest_email.trim() !== '' ? cart.guest_email : null;
}

export function createShopDbCarts(db: Knex, deps: CartReadDeps): CartMethods {
  /** The newest ordered_at per buyer e-mail hash, over orders of users with these e-mails, these users, and guests. */
  async function lastOrders(emails: string[], userIds: string[]): Promise<Map<string, Date>> {
    const out = new Map<string, Date>();
    if (emails.length === 0) return out;
    const sameEmail = (await db('users').whereIn('email', emails).select('id')) as Array<{ id: string | number }>;
    const ids = [...new Set([...userIds, ...sameEmail.map((u) => String(u.id))])];
    const rows = (await db('orders as o')
      .leftJoin('users as u', 'u.id', 'o.user_id')
      .where((w) => {
        w.whereIn('o.guest_email', emails);
        if (ids.length > 0) w.orWhereIn('o.user_id', ids);
      })
      .select('u.email as user_email', 'o.guest_email', 'o.ordered_at')) as Array<{ user_email: string | null; guest_email: string | null; ordered_at: Date }>;
    for (const r of rows) {
      const email = r.user_email ?? r.guest_email;
      if (email === null || email.trim() === '') continue;
      const hash = customerIdForEmail(email);
      const at = new Date(r.ordered_at);
      const known = out.get(hash);
      if (!known || at > known) out.set(hash, at);
    }
    return out;
  }

  async function carts(ids: string[]): Promise<Map<string, CartWithContext>> {
    const out = new Map<string, CartWithContext>();
    if (ids.length === 0) return out;
    const rows = (await db('carts').whereIn('id', ids)) as CartRow[];
    if (rows.length === 0) return out;
    const lines = (await db('cart_lines as l')
      .leftJoin('product_variants as v', 'v.id', 'l.variant_id')
      .whereIn('l.cart_id', ids)
      .orderBy('l.id')
      .select('l.*', 'v.sku as variant_sku')) as Array<CartLineRow & { variant_sku: string | null }>;
    const userIds = [...new Set(rows.flatMap((c) => (c.user_id === null ? [] : [String(c.user_id)])))];
    const users = new Map<string, UserRow>();
    if (userIds.length > 0) {
      for (const row of (await db('users').whereIn('id', userIds)) as UserRow[]) users.set(String(row.id), deps.user(row));
    }
    const products = await deps.products([...new Set(lines.map((l) => String(l.product_id)))]);
    const buyers = rows.map((c) => buyerEmail(c, c.user_id === null ? null : (users.get(String(c.user_id)) ?? null)));
    const ordered = await lastOrders([...new Set(buyers.flatMap((e) => (e === null ? [] : [e.trim()])))], userIds);
    rows.forEach((row, i) => {
      const cart: CartRow = {
        ...row, id: String(row.id), user_id: str(row.user_id), order_id: str(row.order_id),
        tax_total: row.tax_total === null ? null : String(row.tax_total), order_total: String(row.order_total),
      };
      const email = buyers[i];
      out.set(cart.id, {
        cart,
        lines: [],
        user: cart.user_id === null ? null : (users.get(cart.user_id) ?? null),
        buyerLastOrderedAt: email === null ? null : (ordered.get(customerIdForEmail(email)) ?? null),
      });
    });
    for (const l of lines) {
      const entry = out.get(String(l.cart_id));
      if (!entry) continue;
      entry.lines.push({
        ...l,
        id: String(l.id), cart_id: String(l.cart_id), product_id: String(l.product_id), variant_id: str(l.variant_id),
        unit_price: String(l.unit_price), product: products.get(String(l.product_id)) ?? null,
      });
    }
    return out;
  }

  return {
    carts,
    async cart(id) {
      return (await carts([id])).get(String(id)) ?? null;
    },
    async cartIdsUnchangedSince(cartIds, since) {
      if (cartIds.length === 0) return [];
      const at = sqlTime(since);
      const rows = (await db('carts as c').select('c.id').whereIn('c.id', cartIds).andWhere('c.updated_at', '<', at)
        .whereNotExists(db('cart_lines as l').select(db.raw('1')).whereRaw('l.cart_id = c.id').andWhere('l.updated_at', '>=', at))) as Array<{ id: string | number }>;
      return rows.map((r) => String(r.id));
    },
    async cartIdsNaming({ productIds, userIds }) {
      const ids = new Set<string>();
      if (productIds.length > 0) {
        for (const r of (await db('cart_lines').distinct('cart_id').whereIn('product_id', productIds)) as Array<{ cart_id: string | number }>) ids.add(String(r.cart_id));
      }
      if (userIds.length > 0) {
        for (const r of (await db('carts').select('id').whereIn('user_id', userIds)) as Array<{ id: string | number }>) ids.add(String(r.id));
      }
      return [...ids];
    },
    async cartIdsOfEmail(emailHash) {
      const rows = (await db('carts as c').leftJoin('users as u', 'u.id', 'c.user_id').select('c.id')
        .whereRaw('MD5(LOWER(TRIM(COALESCE(u.email, c.guest_email)))) = ?', [emailHash])) as Array<{ id: string | number }>;
      return rows.map((r) => String(r.id));
    },
    async cartIdsForOrders(orderIds) {
      if (orderIds.length === 0) return [];
      const orders = (await db('orders as o')
        .leftJoin('users as u', 'u.id', 'o.user_id')
        .whereIn('o.id', orderIds)
        .select('o.user_id', 'u.email as user_email', 'o.guest_email')) as Array<{ user_id: string | number | null; user_email: string | null; guest_email: string | null }>;
      const emails = [...new Set(orders.flatMap((o) => [o.user_email, o.guest_email]).filter((e): e is string => e !== null && e.trim() !== ''))];
      const userIds = orders.flatMap((o) => (o.user_id === null ? [] : [String(o.user_id)]));
      const sameEmail = emails.length === 0 ? [] : ((await db('users').whereIn('email', emails).select('id')) as Array<{ id: string | number }>);
      const ids = [...new Set([...userIds, ...sameEmail.map((u) => String(u.id))])];
      const rows = (await db('carts').select('id').where((w) => {
        w.whereIn('order_id', orderIds);
        if (emails.length > 0) w.orWhereIn('guest_email', emails);
        if (ids.length > 0) w.orWhereIn('user_id', ids);
      })) as Array<{ id: string | number }>;
      return [...new Set(rows.map((r) => String(r.id)))];
    },
  };
}
