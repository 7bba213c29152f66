/**
 * The carts Mailchimp should hold, and the customers only carts bring (a guest with no order), computed with the
 * cart mapping (mapping/cart.ts) as the cart sync decides. Pure: load.ts reads the rows, the campaigns and the clock.
 */
import { cartBuyer, mapCart, type CartOptions } from '../../mapping/cart';
import { consentFor } from '../../mapping/consent';
import { customerIdForEmail } from '../../mapping/ids';
import type { CartWithContext } from '../../mapping/shop-rows';
import type { ExpectedSet } from './compare';
import { emptySet, type ShopSnapshot } from './expected';

type Json = Record<string, unknown>;

/** What reconcile needs of carts besides the rest of the shop. */
export interface CartSnapshot {
  carts: CartWithContext[];
  options: CartOptions;
  /** The account's campaign ids: a cart naming another is sent without its campaign_id. */
  campaigns: ReadonlySet<string>;
}

export function expectedCarts(s: ShopSnapshot): ExpectedSet {
  const set = emptySet('cart');
  if (!s.cart) return set;
  for (const found of s.cart.carts) {
    const mapped = mapCart(found, s.settings, s.cart.options);
    if (mapped.kind === 'skip') set.absent.set(found.cart.id, found.cart.id);
    else if (mapped.kind === 'invalid') set.unsendable.push({ id: found.cart.id, entityId: found.cart.id, reason: mapped.reason });
    else {
      const { customer, campaign_id: campaignId, ...rest } = mapped.payload.payload;
      const payload: Json = { ...rest, customer: { id: customer.id } };
      if (campaignId !== undefined && s.cart.campaigns.has(campaignId)) payload.campaign_id = campaignId;
      set.present.push({ id: found.cart.id, entityId: found.cart.id, payload });
    }
  }
  return set;
}

/**
 * Customers that only a sent cart brings to Mailchimp: a guest the shop knows from no user and no order (the cart
 * sends it inline, transactional unless the audience says otherwise). Keyed by customer id.
 */
export function cartOnlyCustomers(s: ShopSnapshot): Map<string, Json> {
  const out = new Map<string, Json>();
  if (!s.cart) return out;
  const known = new Set(s.customers.map((c) => c.emailHash));
  for (const found of s.cart.carts) {
    const mapped = mapCart(found, s.settings, s.cart.options);
    const buyer = cartBuyer(found);
    if (mapped.kind !== 'ok' || !buyer) continue;
    const id = customerIdForEmail(buyer.input.email);
    if (known.has(id) || out.has(id)) continue;
    const payload: Json = { ...mapped.payload.payload.customer };
    if (s.audience) payload.opt_in_status = consentFor({ shopOptIn: buyer.shopOptIn }, s.audience.statuses.get(id) ?? null, s.settings, false).customerOptIn;
    out.set(id, payload);
  }
  return out;
}
