/**
 * The reads the Stripe source makes, through the official SDK. Every read asks Stripe for the object as it is now
 * (webhook payloads are only a hint of what changed: Stripe retries and reorders deliveries).
 */
import Stripe from 'stripe';
import type {
  StripeChargeLike, StripeCustomerLike, StripeLineLike, StripePriceLike, StripeProductLike, StripePurchase,
} from './convert';

export interface StripeConnection {
  apiKey: string;
  /** Empty: api.stripe.com. Otherwise e.g. http://127.0.0.1:8420 (a local fake). */
  apiUrl: string;
}

export function createStripeClient(c: StripeConnection): Stripe {
  if (!c.apiUrl) return new Stripe(c.apiKey, { maxNetworkRetries: 2 });
  const url = new URL(c.apiUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(c.apiKey, {
    host: url.hostname, port: Number(url.port || (protocol === 'http' ? 80 : 443)), protocol, maxNetworkRetries: 2,
  });
}

export type PurchaseKind = 'invoice' | 'checkout_session';

export function purchaseKind(id: string): PurchaseKind | null {
  if (id.startsWith('in_')) return 'invoice';
  if (id.startsWith('cs_')) return 'checkout_session';
  return null;
}

export type ListKind = 'product' | 'customer' | PurchaseKind;

export interface ListedObject {
  id: string;
  created: number;
  raw: Record<string, unknown>;
}

export interface StripeReader {
  defaultCurrency(): Promise<string>;
  product(id: string): Promise<StripeProductLike | null>;
  prices(productId: string): Promise<StripePriceLike[]>;
  customer(id: string): Promise<StripeCustomerLike | null>;
  purchase(id: string): Promise<StripePurchase | null>;
  /** Which purchase a charge paid (refund events name the charge). */
  purchaseOfCharge(chargeId: string): Promise<string | null>;
  /** Every object of a kind after a Stripe id (Stripe lists newest first), through the SDK's auto-pagination. */
  listFrom(kind: ListKind, startingAfter: string | null): AsyncIterable<ListedObject>;
  raw: Stripe;
}

function isMissing(err: unknown): boolean {
  return err instanceof Stripe.errors.StripeError && (err.statusCode === 404 || err.code === 'resource_missing');
}

/** localstripe answers routes it lacks (/v1/prices, /v1/checkout/sessions, /v1/account) with an HTML 404. */
function isUnsupportedRoute(err: unknown): boolean {
  return err instanceof Stripe.errors.StripeAPIError && /Invalid JSON/i.test(err.message);
}

async function orNull<T>(run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
}

type Loose = Record<string, unknown>;

export function createStripeReader(stripe: Stripe, options: { currency?: string } = {}): StripeReader {
  /** Whether the server has the Prices API (real Stripe) or only legacy Plans (localstripe). Probed once. */
  let pricesApi: Promise<boolean> | undefined;
  let sessionsApi: Promise<boolean> | undefined;
  const probe = (run: () => Promise<unknown>) => run().then(() => true, (err: unknown) => {
    if (isUnsupportedRoute(err)) return false;
    throw err;
  });
  const hasPrices = () => (pricesApi ??= probe(() => stripe.prices.list({ limit: 1 })));
  const hasSessions = () => (sessionsApi ??= probe(() => stripe.checkout.sessions.list({ limit: 1 })));

  async function charge(ref: unknown, paymentIntent: unknown): Promise<StripeChargeLike | null> {
    let chargeId = typeof ref === 'string' ? ref : (ref as { id?: string } | null)?.id ?? null;
    if (!chargeId && paymentIntent) {
      const pi = typeof paymentIntent === 'string' ? await orNull(() => stripe.paymentIntents.retrieve(paymentIntent)) : (paymentIntent as Stripe.PaymentIntent);
      const latest = pi?.latest_charge as unknown;
      chargeId = typeof latest === 'string' ? latest : (latest as { id?: string } | null)?.id ?? null;
    }
    if (!chargeId) return null;
    const c = await orNull(() => stripe.charges.retrieve(chargeId));
    return c ? { id: c.id, amount: c.amount, amount_refunded: c.amount_refunded } : null;
  }

  async function invoice(id: string): Promise<StripePurchase | null> {
    const inv = (await orNull(() => stripe.invoices.retrieve(id))) as unknown as Loose | null;
    if (!inv) return null;
    const lines: StripeLineLike[] = [];
    for await (const line of stripe.invoices.listLineItems(id, { limit: 100 })) lines.push(line as unknown as StripeLineLike);
    const discounts = (inv.total_discount_amounts as Array<{ amount: number }> | null | undefined) ?? [];
    return {
      kind: 'invoice',
      id,
      paid: inv.status === 'paid',
      currency: String(inv.currency),
      total: Number(inv.amount_paid ?? inv.total ?? 0),
      tax: Number(inv.tax ?? 0),
      discount: discounts.reduce((s, d) => s + d.amount, 0),
      shipping: 0,
      createdAt: Number(inv.created),
      customerId: typeof inv.customer === 'string' ? inv.customer : (inv.customer as { id?: string } | null)?.id ?? null,
      email: (inv.customer_email as string | null) ?? null,
      name: (inv.customer_name as string | null) ?? null,
      lines,
      charge: inv.status === 'paid' ? await charge(inv.charge, inv.payment_intent) : null,
    };
  }

  async function session(id: string): Promise<StripePurchase | null> {
    if (!(await hasSessions())) return null;
    const s = await orNull(() => stripe.checkout.sessions.retrieve(id));
    if (!s) return null;
    const lines: StripeLineLike[] = [];
    for await (const item of stripe.checkout.sessions.listLineItems(id, { limit: 100 })) {
      lines.push({
        id: item.id, amount: item.amount_subtotal, amount_subtotal: item.amount_subtotal, amount_discount: item.amount_discount,
        currency: item.currency, description: item.description, quantity: item.quantity, price: item.price as unknown as StripePriceLike | null,
      });
    }
    const paid = s.status === 'complete' && s.payment_status === 'paid';
    return {
      kind: 'checkout_session',
      id,
      paid,
      currency: s.currency ?? '',
      total: s.amount_total ?? 0,
      tax: s.total_details?.amount_tax ?? 0,
      discount: s.total_details?.amount_discount ?? 0,
      shipping: s.total_details?.amount_shipping ?? 0,
      createdAt: s.created,
      customerId: typeof s.customer === 'string' ? s.customer : s.customer?.id ?? null,
      email: s.customer_details?.email ?? s.customer_email ?? null,
      name: s.customer_details?.name ?? null,
      lines,
      charge: paid ? await charge(null, s.payment_intent) : null,
    };
  }

  return {
    raw: stripe,

    async defaultCurrency() {
      if (options.currency) return options.currency.toUpperCase();
      try {
        const account = await stripe.accounts.retrieveCurrent();
        return String(account.default_currency ?? '').toUpperCase();
      } catch (err) {
        if (isUnsupportedRoute(err)) {
          throw new Error('This Stripe server has no /v1/account (the local fake): set STRIPE_CURRENCY to the store\'s currency.');
        }
        throw err;
      }
    },

    product: (id) => orNull(() => stripe.products.retrieve(id)).then((p) => (p && !(p as unknown as { deleted?: boolean }).deleted ? (p as unknown as StripeProductLike) : null)),

    async prices(productId) {
      const out: StripePriceLike[] = [];
      if (await hasPrices()) {
        for await (const p of stripe.prices.list({ product: productId, limit: 100 })) out.push(p as unknown as StripePriceLike);
      } else {
        for await (const p of stripe.plans.list({ product: productId, limit: 100 })) out.push(p as unknown as StripePriceLike);
      }
      return out.sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
    },

    customer: (id) => orNull(() => stripe.customers.retrieve(id)).then((c) => (c && !c.deleted ? (c as unknown as StripeCustomerLike) : null)),

    purchase(id) {
      const kind = purchaseKind(id);
      if (kind === 'invoice') return invoice(id);
      if (kind === 'checkout_session') return session(id);
      return Promise.resolve(null);
    },

    async purchaseOfCharge(chargeId) {
      const c = (await orNull(() => stripe.charges.retrieve(chargeId))) as unknown as Loose | null;
      if (!c) return null;
      const inv = c.invoice as string | { id: string } | null | undefined;
      if (inv) return typeof inv === 'string' ? inv : inv.id;
      const piId = typeof c.payment_intent === 'string' ? c.payment_intent : (c.payment_intent as { id?: string } | null)?.id;
      if (!piId) return null;
      const pi = (await orNull(() => stripe.paymentIntents.retrieve(piId))) as unknown as Loose | null;
      const piInvoice = pi?.invoice as string | { id: string } | null | undefined;
      if (piInvoice) return typeof piInvoice === 'string' ? piInvoice : piInvoice.id;
      if (!(await hasSessions())) return null;
      const sessions = await stripe.checkout.sessions.list({ payment_intent: piId, limit: 1 });
      return sessions.data[0]?.id ?? null;
    },

    async *listFrom(kind, startingAfter) {
      const params = { limit: 100, ...(startingAfter ? { starting_after: startingAfter } : {}) };
      let list: AsyncIterable<{ id: string; created: number }>;
      if (kind === 'product') list = stripe.products.list(params);
      else if (kind === 'customer') list = stripe.customers.list(params);
      else if (kind === 'invoice') list = stripe.invoices.list(params);
      else if (await hasSessions()) list = stripe.checkout.sessions.list(params);
      else return;
      for await (const raw of list) yield { id: raw.id, created: raw.created, raw: raw as unknown as Record<string, unknown> };
    },
  };
}
