/**
 * A Stripe account as a ShopSource: products with their prices, customers and paid purchases (invoices and checkout
 * sessions) converted to the shared row types, so the mapping and the entity syncs are the same as for the shop
 * database. Promotions are not read from Stripe.
 *
 * Backfill: `changedAfter` walks Stripe's list endpoints (newest first, auto-paginated); the cursor's id is the
 * Stripe id to continue after, so the shared full-resync workflow pages through Stripe unchanged. Stripe has no
 * "changed since" listing: incremental changes come from the webhook receiver (webhooks/stripe), not change scans.
 */
import { customerIdForEmail } from '../../mapping/ids';
import type { ChangedRow, Cursor, CustomerRecord, EntityType, ShopSource } from '../shop-source';
import type { ShopSettings, UserRow } from '../../mapping/shop-rows';
import { orderFromStripe, productFromStripe, userFromStripe, type StripeCustomerLike } from './convert';
import { purchaseKind, type ListKind, type ListedObject, type StripeReader } from './reader';

export interface StripeSourceOptions {
  storeName: string;
  /** The feature switch (kept outside Stripe). */
  syncEnabled: () => Promise<boolean>;
  setSyncEnabled: (enabled: boolean) => Promise<void>;
  /** The source's clock (Stripe has none to ask). */
  now?: () => Date;
}

const PURCHASE_LISTS: readonly ListKind[] = ['invoice', 'checkout_session'];

export interface StripeSource extends ShopSource {
  /** Remembers which Stripe customer an e-mail hash belongs to (the webhook receiver and conversions feed it). */
  rememberCustomer(customer: StripeCustomerLike): void;
  reader: StripeReader;
}

export function createStripeSource(reader: StripeReader, options: StripeSourceOptions): StripeSource {
  /** email hash → Stripe customer ids with that e-mail. Rebuilt by a scan of the customers when a hash is unknown. */
  const byHash = new Map<string, Set<string>>();
  let currency: Promise<string> | undefined;

  function rememberCustomer(c: StripeCustomerLike): void {
    if (!c.email || c.email.trim() === '') return;
    const hash = customerIdForEmail(c.email);
    const ids = byHash.get(hash) ?? new Set<string>();
    ids.add(c.id);
    byHash.set(hash, ids);
  }

  async function scanCustomers(): Promise<void> {
    for await (const c of reader.listFrom('customer', null)) rememberCustomer(c.raw as unknown as StripeCustomerLike);
  }

  /** The newest live Stripe customer whose e-mail hashes to `emailHash` (several Stripe customers may share one e-mail). */
  async function stripeCustomer(emailHash: string): Promise<StripeCustomerLike | null> {
    let scanned = false;
    if (!byHash.has(emailHash)) {
      await scanCustomers();
      scanned = true;
    }
    let found = await liveWithHash(emailHash);
    // The customers remembered under this hash changed e-mail or were deleted: another one may have it now.
    if (found.length === 0 && !scanned) {
      await scanCustomers();
      found = await liveWithHash(emailHash);
    }
    found.sort((a, b) => b.created - a.created);
    return found[0] ?? null;
  }

  async function liveWithHash(emailHash: string): Promise<StripeCustomerLike[]> {
    const found: StripeCustomerLike[] = [];
    for (const id of byHash.get(emailHash) ?? []) {
      const c = await reader.customer(id);
      if (c?.email && customerIdForEmail(c.email) === emailHash) found.push(c);
      else byHash.get(emailHash)?.delete(id);
    }
    return found;
  }

  async function storeCurrency(): Promise<string> {
    currency ??= reader.defaultCurrency().catch((err: unknown) => {
      currency = undefined;
      throw err;
    });
    return currency;
  }

  async function* rows(type: EntityType, after: Cursor | null): AsyncGenerator<ChangedRow> {
    const start = after && /^[a-z]+_/.test(after.id) ? after.id : null;
    const emit = (o: ListedObject, entityId: string): ChangedRow => ({ id: o.id, updatedAt: new Date(o.created * 1000).toISOString(), entityId });
    if (type === 'product') {
      for await (const o of reader.listFrom('product', start)) yield emit(o, o.id);
    } else if (type === 'customer') {
      for await (const o of reader.listFrom('customer', start)) {
        const c = o.raw as unknown as StripeCustomerLike;
        rememberCustomer(c);
        if (c.email && c.email.trim() !== '') yield emit(o, customerIdForEmail(c.email));
      }
    } else if (type === 'order') {
      // Invoices, then checkout sessions: the cursor's id says which list it is in.
      const startKind = start ? purchaseKind(start) : 'invoice';
      for (const kind of PURCHASE_LISTS.slice(Math.max(0, PURCHASE_LISTS.indexOf(startKind ?? 'invoice')))) {
        const from = kind === startKind ? start : null;
        for await (const o of reader.listFrom(kind, from)) {
          if (isPaidListing(kind, o.raw)) yield emit(o, o.id);
        }
      }
    }
  }

  const source: StripeSource = {
    reader,
    rememberCustomer,

    async settings(): Promise<ShopSettings> {
      return {
        mailchimpSyncEnabled: await options.syncEnabled(),
        alwaysOptIn: false,
        storeName: options.storeName,
        storeDomain: '',
        storeCurrency: await storeCurrency(),
      };
    },

    setSyncEnabled: (enabled) => options.setSyncEnabled(enabled),

    async product(id) {
      const product = await reader.product(id);
      if (!product) return null;
      return productFromStripe(product, await reader.prices(id));
    },

    // Stripe refuses to delete a product that has prices, so a product some purchase billed can only be archived:
    // an archived product that still exists stays in Mailchimp (no stock) for its orders; a deleted one was never sold.
    async productIdsReferencedByOrders(productIds) {
      const kept = new Set<string>();
      for (const id of productIds) if (await reader.product(id)) kept.add(id);
      return kept;
    },

    // Every Stripe order line names a price (its variant).
    productIdsOrderedWithoutVariant: async () => new Set<string>(),
    promotion: async () => null,
    promoCode: async () => null,

    async customer(emailHash): Promise<CustomerRecord | null> {
      const c = await stripeCustomer(emailHash);
      if (!c?.email) return null;
      const user = userFromStripe(c);
      return {
        emailHash, email: c.email.trim(), firstName: user?.first_name ?? null, lastName: user?.last_name ?? null,
        isGuest: false, shopOptIn: false,
      };
    },

    async userByEmailHash(emailHash): Promise<UserRow | null> {
      const c = await stripeCustomer(emailHash);
      return c ? userFromStripe(c) : null;
    },

    async order(id) {
      const purchase = await reader.purchase(id);
      if (!purchase) return null;
      const customer = purchase.customerId ? await reader.customer(purchase.customerId) : null;
      if (customer) rememberCustomer(customer);
      return orderFromStripe(purchase, customer);
    },

    async changedAfter(type, after, limit) {
      const out: ChangedRow[] = [];
      if (limit <= 0) return out;
      for await (const row of rows(type, after)) {
        out.push(row);
        if (out.length >= limit) break;
      }
      return out;
    },

    newestChange: async () => null,

    async count(type) {
      let n = 0;
      for await (const _row of rows(type, null)) n++;
      return n;
    },

    async existing(type, entityIds) {
      const found = new Set<string>();
      for (const id of entityIds) {
        if (type === 'product' && (await reader.product(id))) found.add(id);
        else if (type === 'customer' && (await stripeCustomer(id))) found.add(id);
        else if (type === 'order' && (await reader.purchase(id))) found.add(id);
      }
      return found;
    },

    async now() {
      return (options.now?.() ?? new Date()).toISOString();
    },
  };
  return source;
}

/** Only paid purchases are orders (a refunded one stays paid in Stripe, with a refunded charge). */
function isPaidListing(kind: ListKind, raw: Record<string, unknown>): boolean {
  if (kind === 'invoice') return raw.status === 'paid';
  return raw.status === 'complete' && raw.payment_status === 'paid';
}

