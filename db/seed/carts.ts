/**
 * Demo carts (pure, seeded): abandoned carts of registered users and of guests, a cart without an e-mail yet, carts
 * converted into an order (order_id set, with that order), emptied carts (no line), carts whose buyer ordered later
 * without the cart being marked (with that later order), carts older than CART_MAX_AGE, and campaign ids (one of a
 * campaign the account may have, one of a deleted campaign). Every kind appears once when there are at least as many
 * carts as kinds. Dates are offsets from `now` (the demo passes the real clock, so the abandoned carts are recent).
 */
import type { CartLineRow, CartRow, OrderRow, ProductRow, UserRow, VariantRow } from '../../mapping/shop-rows';
import type { SeedOrderLine } from './generate';
import type { Random } from '../../util/random';

export type SeedCartLine = CartLineRow;

export const CART_KINDS = ['registered', 'guest', 'no_email', 'converted', 'emptied', 'ordered_later', 'old'] as const;
export type CartKind = (typeof CART_KINDS)[number];

/** Campaign ids the demo carts name: the first exists in a demo account that creates it, the second never does. */
export const DEMO_CAMPAIGNS = { live: 'demo-campaign', deleted: 'deleted-campaign' } as const;

export interface CartContext {
  now: Date;
  products: readonly ProductRow[];
  variants: readonly VariantRow[];
  users: readonly UserRow[];
  currency: string;
  /** The first free ids of orders and order lines (orders made for converted carts come after the demo's). */
  nextOrderId: number;
  nextOrderLineId: number;
  orderNumber: (id: number) => string;
  centsToString: (cents: number) => string;
}

export interface GeneratedCarts {
  carts: CartRow[];
  cartLines: SeedCartLine[];
  orders: OrderRow[];
  orderLines: SeedOrderLine[];
  /** Each cart's kind, by cart id (for tests). */
  kinds: Map<string, CartKind>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function generateCarts(rng: Random, count: number, ctx: CartContext): GeneratedCarts {
  const out: GeneratedCarts = { carts: [], cartLines: [], orders: [], orderLines: [], kinds: new Map() };
  const live = new Set(ctx.products.filter((p) => p.status === 'active').map((p) => p.id));
  const sellable = ctx.variants.filter((v) => v.status === 'active' && live.has(v.product_id) && v.currency === ctx.currency && v.sku.trim() !== '');
  if (count === 0 || sellable.length === 0) return out;
  const forced = new Map<number, CartKind>();
  rng.sampleIndices(count, Math.min(count, CART_KINDS.length)).forEach((idx, k) => forced.set(idx, CART_KINDS[k]));
  let orderId = ctx.nextOrderId;
  let orderLineId = ctx.nextOrderLineId;
  let lineId = 1;
  const now = ctx.now.getTime();

  for (let i = 0; i < count; i++) {
    const id = String(i + 1);
    const kind = forced.get(i) ?? (rng.weighted({ registered: 35, guest: 20, no_email: 5, converted: 15, emptied: 5, ordered_later: 10, old: 10 }) as CartKind);
    const created = kind === 'old' ? now - (40 + rng.int(0, 50)) * DAY : now - rng.int(1, 20 * 24) * HOUR;
    const updated = Math.min(now - HOUR, created + rng.int(0, 48) * HOUR);
    const user = (kind === 'guest' || kind === 'no_email') || ctx.users.length === 0 ? null : ctx.users[rng.int(0, ctx.users.length - 1)];
    const guestEmail = user === null && kind !== 'no_email' ? `cart.guest${i + 1}@example.com` : null;
    const lines: SeedCartLine[] = [];
    if (kind !== 'emptied') {
      const n = Number(rng.weighted({ 1: 50, 2: 30, 3: 20 }));
      const used = new Set<string>();
      for (let l = 0; l < n; l++) {
        const v = sellable[rng.int(0, sellable.length - 1)];
        if (used.has(v.id)) continue;
        used.add(v.id);
        lines.push({
          id: String(lineId++), cart_id: id, product_id: v.product_id, variant_id: v.id, quantity: rng.int(1, 3), unit_price: v.price, updated_at: new Date(updated),
        });
      }
    }
    const subtotal = lines.reduce((s, l) => s + l.quantity * Math.round(Number(l.unit_price) * 100), 0);
    const tax = rng.chance(0.5) ? Math.round(subtotal * 0.08) : null;
    const campaign = rng.chance(0.15) ? DEMO_CAMPAIGNS.live : rng.chance(0.05) ? DEMO_CAMPAIGNS.deleted : null;
    const cart: CartRow = {
      id, user_id: user?.id ?? null, guest_email: guestEmail, guest_first_name: guestEmail ? 'Casey' : null,
      currency: ctx.currency, order_total: ctx.centsToString(subtotal + (tax ?? 0)), tax_total: tax === null ? null : ctx.centsToString(tax),
      campaign_id: campaign, checkout_url: rng.chance(0.3) ? `https://demo-shop.example/checkout/restore/${id}` : null,
      order_id: null, created_at: new Date(created), updated_at: new Date(updated),
    };
    if ((kind === 'converted' || kind === 'ordered_later') && lines.length > 0) {
      const oid = orderId++;
      const orderedAt = new Date(Math.min(now, updated + rng.int(1, 30) * 60_000));
      out.orders.push({
        id: String(oid), order_number: ctx.orderNumber(oid), user_id: cart.user_id, guest_email: cart.guest_email, guest_first_name: cart.guest_first_name,
        guest_last_name: null, status: 'paid', currency: ctx.currency, discount_total: '0.00', tax_total: ctx.centsToString(tax ?? 0),
        shipping_total: '0.00', order_total: cart.order_total, promo_code: null, campaign_id: null, landing_site: null, ordered_at: orderedAt, updated_at: orderedAt,
      });
      for (const l of lines) {
        out.orderLines.push({
          id: String(orderLineId++), order_id: String(oid), product_id: l.product_id, variant_id: l.variant_id, quantity: l.quantity,
          unit_price: l.unit_price, discount: '0.00', updated_at: orderedAt,
        });
      }
      if (kind === 'converted') cart.order_id = String(oid);
    }
    out.carts.push(cart);
    out.cartLines.push(...lines);
    out.kinds.set(id, kind);
  }
  return out;
}
