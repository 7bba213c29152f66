import type { Knex } from 'knex';

/** Small builders for shop rows in tests: sensible defaults, override what the test is about. */

let nextId = 1000;
const id = () => ++nextId;

export async function settings(db: Knex, values: Partial<Record<'mailchimp_sync_enabled' | 'always_opt_in' | 'store_name' | 'store_domain' | 'store_currency', string>> = {}): Promise<void> {
  const all = { mailchimp_sync_enabled: '1', always_opt_in: '1', store_name: 'Test Shop ✨', store_domain: 'shop.example', store_currency: 'USD', ...values };
  for (const [name, value] of Object.entries(all)) {
    await db('shop_settings').insert({ name, value }).onConflict('name').merge();
  }
}

export async function product(db: Knex, row: Record<string, unknown> = {}, variants: Array<Record<string, unknown>> = []): Promise<{ id: number; code: string; skus: string[] }> {
  const pid = (row.id as number | undefined) ?? id();
  const code = (row.code as string | undefined) ?? `P-${pid}`;
  await db('products').insert({ id: pid, code, title: `Product ${pid}`, seo_url: `/p/product-${pid}`, status: 'active', ...row });
  const skus: string[] = [];
  for (const v of variants) {
    const vid = (v.id as number | undefined) ?? id();
    const sku = (v.sku as string | undefined) ?? `${code}-V${vid}`;
    await db('product_variants').insert({ id: vid, product_id: pid, sku, title: `Variant ${vid}`, price: '10.00', currency: 'USD', inventory_quantity: 5, status: 'active', ...v });
    skus.push(sku);
  }
  return { id: pid, code, skus };
}

export async function user(db: Knex, row: Record<string, unknown> = {}): Promise<{ id: number; email: string }> {
  const uid = (row.id as number | undefined) ?? id();
  const email = (row.email as string | undefined) ?? `user${uid}@example.com`;
  await db('users').insert({ id: uid, email, first_name: 'Ada', last_name: 'Lovelace', marketing_opt_in: false, ...row });
  return { id: uid, email };
}

export async function order(
  db: Knex,
  row: Record<string, unknown>,
  lines: Array<{ id?: number; product_id: number; variant_id?: number | null; quantity?: number; unit_price?: string }>,
): Promise<{ id: number; number: string }> {
  const oid = (row.id as number | undefined) ?? id();
  const number = (row.order_number as string | undefined) ?? `SO-${oid}`;
  await db('orders').insert({
    id: oid, order_number: number, status: 'paid', currency: 'USD', order_total: '20.00', ordered_at: new Date('2026-03-01T10:00:00.123Z'), ...row,
  });
  for (const l of lines) {
    await db('order_lines').insert({ id: id(), order_id: oid, quantity: 1, unit_price: '10.00', discount: '0', variant_id: null, ...l });
  }
  return { id: oid, number };
}

export async function promotion(db: Knex, row: Record<string, unknown> = {}, codes: Array<Record<string, unknown>> = []): Promise<{ id: number; codeIds: number[] }> {
  const pid = (row.id as number | undefined) ?? id();
  await db('promotions').insert({ id: pid, title: `Promo ${pid}`, discount_type: 'percentage', amount: '15', target: 'total', enabled: true, ...row });
  const codeIds: number[] = [];
  for (const c of codes) {
    const cid = (c.id as number | undefined) ?? id();
    await db('promo_codes').insert({ id: cid, promotion_id: pid, code: `CODE${cid}`, usage_count: 0, enabled: true, ...c });
    codeIds.push(cid);
  }
  return { id: pid, codeIds };
}

/** A cart with its lines (updated_at of cart and lines from `row.updated_at` when given). */
export async function cart(
  db: Knex,
  row: Record<string, unknown>,
  lines: Array<{ id?: number; product_id: number; variant_id?: number | null; quantity?: number; unit_price?: string }>,
): Promise<{ id: number; lineIds: number[] }> {
  const cid = (row.id as number | undefined) ?? id();
  await db('carts').insert({ id: cid, currency: 'USD', order_total: '20.00', ...row });
  const lineIds: number[] = [];
  for (const l of lines) {
    const lid = l.id ?? id();
    await db('cart_lines').insert({ id: lid, cart_id: cid, quantity: 1, unit_price: '10.00', variant_id: null, ...(row.updated_at ? { updated_at: row.updated_at } : {}), ...l });
    lineIds.push(lid);
  }
  return { id: cid, lineIds };
}
