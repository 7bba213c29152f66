/**
 * Drift between the shop and the emulator, computed from the shop rows through the pure mappers (mapping/), so it
 * does not trust the sync's own state: every entity the shop says belongs in Mailchimp is there with the right
 * fields, nothing else is, no order was created twice, and every row that cannot be sent has a recorded reason.
 */
import type { Knex } from 'knex';
import type { EmulatorState } from '../../../emulator';
import { forEachConcurrent } from '../../../activities/pool';
import { mapCustomer } from '../../../mapping/customer';
import { customerIdForEmail, md5 } from '../../../mapping/ids';
import { mapOrder } from '../../../mapping/order';
import { mapProduct } from '../../../mapping/product';
import { mapPromoCode, mapPromoRule } from '../../../mapping/promo';
import { createShopDbSource } from '../../../source/shop-db';

export interface Drift {
  /** One line per problem; empty means no drift. */
  problems: string[];
  /** What was compared. */
  checked: { products: number; customers: number; orders: number; promoRules: number; promoCodes: number };
  /** Rows the shop cannot send, each with the reason the sync recorded. */
  refused: number;
  /** Valid orders held back by an entity they reference that cannot be sent (each with its recorded reason). */
  blocked: string[];
}

export interface ReconcileInput {
  db: Knex;
  state: EmulatorState;
  storeId: string;
  /** From GET /_emulator/stats (`orderCreates`), counted since the sync's store was created. */
  orderCreates: Record<string, number>;
  redemptionUrlTemplate?: string;
}

/** Equal as Mailchimp shows them: an absent optional field reads back as "" or null. */
const eq = (a: unknown, b: unknown) => JSON.stringify(a === '' ? null : (a ?? null)) === JSON.stringify(b === '' ? null : (b ?? null));

export async function reconcile(input: ReconcileInput): Promise<Drift> {
  const { db, state, storeId } = input;
  const source = createShopDbSource(db);
  const settings = await source.settings();
  const problems: string[] = [];
  const checked = { products: 0, customers: 0, orders: 0, promoRules: 0, promoCodes: 0 };
  let refused = 0;
  const blocked: string[] = [];
  const store = state.stores.get(storeId);
  if (!store) return { problems: [`store ${storeId} is not in Mailchimp`], checked, refused, blocked };

  const syncRows = (await db('mc_sync_state').where({ store_id: storeId }).select('entity_type', 'entity_id', 'status', 'error_reason')) as Array<{
    entity_type: string; entity_id: string; status: string; error_reason: string | null;
  }>;
  const recorded = new Map(syncRows.map((r) => [`${r.entity_type}:${r.entity_id}`, r]));
  /** A row that must not be sent: absent from Mailchimp, with a failure reason recorded. */
  const expectRefused = (type: string, id: string, remoteId: string, present: boolean) => {
    refused += 1;
    if (present) problems.push(`${type} ${id} should not be in Mailchimp (it cannot be sent) but is there as ${remoteId}`);
    const row = recorded.get(`${type}:${id}`);
    if (row?.status !== 'failed' || !row.error_reason) problems.push(`${type} ${id} cannot be sent but has no recorded reason (state: ${row?.status ?? 'none'})`);
  };

  // ---- orders first: they decide which customers and placeholder products belong in Mailchimp ----
  const orderIds = ((await db('orders').select('id').orderBy('id')) as Array<{ id: string }>).map((r) => String(r.id));
  const expectedOrders = new Set<string>();
  const buyers = new Set<string>();
  const orderedProducts = new Set<string>();
  /** `product code/variant id` named by the lines of orders that belong in Mailchimp: those variants stay. */
  const orderedVariants = new Set<string>();
  await forEachConcurrent(orderIds, 8, async (id) => {
    const ctx = await source.order(id);
    if (!ctx) return;
    for (const line of ctx.lines) orderedProducts.add(line.product_id);
    const mapped = mapOrder(ctx, settings);
    const remote = store.orders.get(ctx.order.order_number.trim());
    if (mapped.kind === 'skip') {
      if (remote) problems.push(`order ${id} is skipped by the mapper but is in Mailchimp`);
      return;
    }
    if (mapped.kind !== 'ok') return expectRefused('order', id, ctx.order.order_number, Boolean(remote));
    const p = mapped.payload;
    const row = recorded.get(`order:${id}`);
    if (!remote && row?.status === 'failed' && /waits for/.test(row.error_reason ?? '')) {
      refused += 1; // blocked by a product or customer that cannot be sent: the reason is recorded.
      blocked.push(`order ${id}: ${row.error_reason}`);
      return;
    }
    checked.orders += 1;
    expectedOrders.add(p.id);
    for (const l of p.lines) orderedVariants.add(`${l.product_id}/${l.product_variant_id}`);
    buyers.add(p.customer.id);
    if (!remote) return void problems.push(`order ${id} (${p.id}) is missing from Mailchimp (sync state: ${row?.status ?? 'none'}${row?.error_reason ? `, ${row.error_reason}` : ''})`);
    const fields = ['order_total', 'financial_status', 'fulfillment_status', 'landing_site', 'campaign_id', 'currency_code'] as const;
    for (const f of fields) {
      if (!eq(remote.data[f], p[f])) problems.push(`order ${p.id}: ${f} is ${JSON.stringify(remote.data[f])}, the shop says ${JSON.stringify(p[f])}`);
    }
    if (remote.customerId !== p.customer.id) problems.push(`order ${p.id}: customer ${remote.customerId}, the shop says ${p.customer.id}`);
    const lines = [...remote.lines.values()].map((l) => `${String(l.id)}:${String(l.product_variant_id)}:${String(l.quantity)}`).sort();
    const want = p.lines.map((l) => `${l.id}:${l.product_variant_id}:${l.quantity}`).sort();
    if (!eq(lines, want)) problems.push(`order ${p.id}: lines ${lines.join(',')} ≠ ${want.join(',')}`);
  });
  for (const remoteId of store.orders.keys()) if (!expectedOrders.has(remoteId)) problems.push(`order ${remoteId} is in Mailchimp but should not be`);
  for (const remoteId of expectedOrders) {
    const creates = input.orderCreates[`${storeId}/${remoteId}`] ?? 0;
    if (creates !== 1) problems.push(`order ${remoteId} was created ${creates} times`);
  }

  // ---- products ----
  const productIds = ((await db('products').select('id').orderBy('id')) as Array<{ id: string }>).map((r) => String(r.id));
  const allowedProducts = new Set<string>();
  await forEachConcurrent(productIds, 8, async (id) => {
    const found = await source.product(id);
    if (!found) return;
    const mapped = mapProduct(found, settings);
    const remote = store.products.get(found.product.code);
    if (mapped.kind === 'skip') {
      // Inactive or deleted: gone from Mailchimp, unless an order needs it as a placeholder.
      if (orderedProducts.has(id)) allowedProducts.add(found.product.code);
      else if (remote) problems.push(`product ${id} is ${found.product.status} in the shop but still in Mailchimp`);
      return;
    }
    if (mapped.kind !== 'ok') return expectRefused('product', id, found.product.code, Boolean(remote));
    checked.products += 1;
    const p = mapped.payload;
    allowedProducts.add(p.id);
    if (!remote) return void problems.push(`product ${id} (${p.id}) is missing from Mailchimp`);
    for (const f of ['title', 'url', 'vendor', 'type'] as const) {
      if (!eq(remote.data[f], p[f])) problems.push(`product ${p.id}: ${f} is ${JSON.stringify(remote.data[f])}, the shop says ${JSON.stringify(p[f])}`);
    }
    for (const v of p.variants) {
      const rv = remote.variants.get(v.id);
      if (!rv) problems.push(`product ${p.id}: variant ${v.id} is missing`);
      else if (!eq(rv.data.price, v.price) || !eq(rv.data.title, v.title)) problems.push(`product ${p.id}: variant ${v.id} differs`);
    }
    const live = new Set(p.variants.map((v) => v.id));
    for (const vid of remote.variants.keys()) {
      if (!live.has(vid) && vid !== p.id && !orderedVariants.has(`${p.id}/${vid}`)) problems.push(`product ${p.id}: variant ${vid} is in Mailchimp but not live in the shop`);
    }
  });
  for (const pid of orderedProducts) if (!productIds.includes(pid)) allowedProducts.add(`deleted-${pid}`);
  for (const code of store.products.keys()) if (!allowedProducts.has(code)) problems.push(`product ${code} is in Mailchimp but should not be`);

  // ---- customers: registered users, and the buyers of sent orders ----
  const users = (await db('users').select('id', 'email', 'first_name', 'last_name', 'updated_at').orderBy('updated_at', 'desc')) as Array<{
    id: string; email: string; first_name: string | null; last_name: string | null;
  }>;
  const expectedCustomers = new Map<string, { email_address: string; first_name?: string; last_name?: string } | null>();
  const perHash = new Map<string, number>();
  for (const u of users) {
    const mapped = mapCustomer({ email: u.email, firstName: u.first_name, lastName: u.last_name, isGuest: false });
    if (mapped.kind !== 'ok') {
      // The sync knows a user by MD5(LOWER(TRIM(email))), as the change scan computes it in SQL.
      expectRefused('customer', md5(u.email.trim().toLowerCase()), u.email, false);
      continue;
    }
    const id = mapped.payload.id;
    perHash.set(id, (perHash.get(id) ?? 0) + 1);
    if (!expectedCustomers.has(id)) expectedCustomers.set(id, mapped.payload); // newest user of the address wins
  }
  for (const [id, n] of perHash) if (n > 1) expectedCustomers.set(id, expectedCustomers.get(id) ?? null);
  for (const id of buyers) if (!expectedCustomers.has(id)) expectedCustomers.set(id, null);
  for (const [id, want] of expectedCustomers) {
    checked.customers += 1;
    const remote = store.customers.get(id);
    if (!remote) {
      problems.push(`customer ${id}${want ? ` (${want.email_address})` : ''} is missing from Mailchimp`);
      continue;
    }
    if (want) {
      for (const f of ['email_address', 'first_name', 'last_name'] as const) {
        if (!eq(remote.data[f], want[f])) problems.push(`customer ${id}: ${f} is ${JSON.stringify(remote.data[f])}, the shop says ${JSON.stringify(want[f])}`);
      }
    } else if (remote.data.email_address !== undefined && customerIdForEmail(String(remote.data.email_address)) !== id) {
      problems.push(`customer ${id}: email ${String(remote.data.email_address)} does not hash to its id`);
    }
  }
  for (const id of store.customers.keys()) if (!expectedCustomers.has(id)) problems.push(`customer ${id} is in Mailchimp but should not be`);

  // ---- promotions ----
  const promotions = (await db('promotions').select('id').orderBy('id')) as Array<{ id: string }>;
  const expectedRules = new Set<string>();
  for (const { id: raw } of promotions) {
    const promotion = await source.promotion(String(raw));
    if (!promotion) continue;
    const mapped = mapPromoRule(promotion);
    const remote = store.promoRules.get(promotion.id);
    if (mapped.kind !== 'ok') {
      expectRefused('promo_rule', promotion.id, promotion.id, Boolean(remote));
      continue;
    }
    checked.promoRules += 1;
    expectedRules.add(mapped.payload.id);
    if (!remote) {
      problems.push(`promo rule ${promotion.id} is missing from Mailchimp`);
      continue;
    }
    for (const f of ['title', 'amount', 'type', 'target', 'enabled'] as const) {
      if (!eq(remote.data[f], mapped.payload[f])) problems.push(`promo rule ${promotion.id}: ${f} is ${JSON.stringify(remote.data[f])}, the shop says ${JSON.stringify(mapped.payload[f])}`);
    }
  }
  for (const id of store.promoRules.keys()) if (!expectedRules.has(id)) problems.push(`promo rule ${id} is in Mailchimp but should not be`);

  const codes = (await db('promo_codes').select('id').orderBy('id')) as Array<{ id: string }>;
  const expectedCodes = new Set<string>();
  for (const { id: raw } of codes) {
    const code = await source.promoCode(String(raw));
    if (!code) continue;
    const promotion = await source.promotion(code.promotion_id);
    const remote = store.promoRules.get(code.promotion_id)?.codes.get(code.id);
    if (!promotion) continue;
    const mapped = mapPromoCode(code, promotion, settings, input.redemptionUrlTemplate);
    if (mapped.kind !== 'ok' || !expectedRules.has(promotion.id)) {
      // A code whose promotion cannot be sent waits for it, with the reason recorded.
      expectRefused('promo_code', code.id, code.id, Boolean(remote));
      continue;
    }
    checked.promoCodes += 1;
    expectedCodes.add(`${promotion.id}/${mapped.payload.id}`);
    if (!remote) {
      problems.push(`promo code ${code.id} is missing from Mailchimp`);
      continue;
    }
    for (const f of ['code', 'redemption_url', 'usage_count', 'enabled'] as const) {
      if (!eq(remote.data[f], mapped.payload[f])) problems.push(`promo code ${code.id}: ${f} is ${JSON.stringify(remote.data[f])}, the shop says ${JSON.stringify(mapped.payload[f])}`);
    }
  }
  for (const [ruleId, rule] of store.promoRules) {
    for (const codeId of rule.codes.keys()) if (!expectedCodes.has(`${ruleId}/${codeId}`)) problems.push(`promo code ${ruleId}/${codeId} is in Mailchimp but should not be`);
  }

  return { problems, checked, refused, blocked };
}
