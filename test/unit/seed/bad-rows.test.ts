import { BAD_ROWS, BAD_ROW_REASONS, BAD_ROWS_ID_BASE, MESSY_VALID_ROWS, badRowKey, badRows, type BadRowReason } from '../../../db/seed/bad-rows';
import { generateShop, stringToCents, type ShopData } from '../../../db/seed/generate';
import { SHOP_TABLES, type ShopTableName } from '../../../db/seed/write';

const rowsOf = (data: ShopData, table: ShopTableName): Array<Record<string, unknown> & { id?: string }> => {
  const key = SHOP_TABLES.find((t) => t.table === table)!.key;
  return data[key] as unknown as Array<Record<string, unknown> & { id?: string }>;
};

describe('bad-rows fixture', () => {
  const tags = [...BAD_ROW_REASONS.values()];

  it('has every category of bad row', () => {
    const reasons = new Set(tags.map((t) => t.reason));
    const expected: BadRowReason[] = ['invalid_email', 'negative_price', 'currency_mismatch', 'promo_code_too_long', 'promo_title_too_long'];
    expect(reasons).toEqual(new Set(expected));
    const emails = tags.filter((t) => t.reason === 'invalid_email');
    expect(emails.map((t) => t.value)).toEqual(expect.arrayContaining(['bob@@example', 'no-at-sign']));
    expect(emails.some((t) => t.table === 'users')).toBe(true);
    expect(emails.some((t) => t.table === 'orders')).toBe(true);
    const currency = tags.filter((t) => t.reason === 'currency_mismatch').map((t) => t.table);
    expect(currency).toEqual(expect.arrayContaining(['product_variants', 'orders']));
  });

  it('tags rows that exist, with the offending value as stored', () => {
    for (const tag of tags) {
      const row = rowsOf(BAD_ROWS, tag.table).find((r) => r.id === tag.id);
      expect(row).toBeDefined();
      expect(BAD_ROW_REASONS.get(badRowKey(tag.table, tag.id))).toBe(tag);
      if (tag.table !== 'products') expect(String(row![tag.field])).toBe(tag.value);
      if (tag.owner) expect(rowsOf(BAD_ROWS, tag.owner.table).some((r) => r.id === tag.owner!.id)).toBe(true);
    }
  });

  it('is bad in the way each tag says', () => {
    const get = (table: ShopTableName, field: string) => String(rowsOf(BAD_ROWS, table).find((r) => r.id === tags.find((t) => t.table === table && t.field === field)!.id)![field]);
    expect(Number(get('product_variants', 'price'))).toBeLessThan(0);
    expect(BAD_ROWS.variants.some((v) => v.currency !== 'USD')).toBe(true);
    expect(BAD_ROWS.orders.some((o) => o.currency !== 'USD')).toBe(true);
    expect(get('promo_codes', 'code').length).toBeGreaterThan(50);
    const title = get('promotions', 'title');
    expect(Buffer.byteLength(title, 'utf8')).toBeGreaterThan(100);
    expect(title.length).toBeLessThanOrEqual(100);
    expect(/^\p{Extended_Pictographic}+$/u.test(title)).toBe(true);
  });

  it('keeps the store currency USD and messy-but-valid rows apart from bad ones', () => {
    expect(BAD_ROWS.settings.find((s) => s.name === 'store_currency')?.value).toBe('USD');
    for (const m of MESSY_VALID_ROWS) {
      expect(BAD_ROW_REASONS.has(badRowKey(m.table, m.id))).toBe(false);
      expect(rowsOf(BAD_ROWS, m.table).some((r) => r.id === m.id)).toBe(true);
    }
    const trimmedValid = BAD_ROWS.users.find((u) => u.id === MESSY_VALID_ROWS[0].id)!;
    expect(trimmedValid.email).not.toBe(trimmedValid.email.trim());
    expect(trimmedValid.email.trim()).toMatch(/^[a-z.]+@[a-z]+\.[a-z]{2,}$/);
  });

  it('has HTML and emoji everywhere', () => {
    const text = JSON.stringify(BAD_ROWS);
    expect(text).toMatch(/<script>/);
    for (const table of ['products', 'users', 'orders', 'promotions', 'promo_codes'] as const) {
      expect(rowsOf(BAD_ROWS, table).some((r) => /\p{Extended_Pictographic}/u.test(JSON.stringify(r)))).toBe(true);
    }
  });

  it('has consistent order totals and references, ids above the demo range, no clash with a demo shop', () => {
    for (const o of BAD_ROWS.orders) {
      const lines = BAD_ROWS.orderLines.filter((l) => l.order_id === o.id);
      expect(lines.length).toBeGreaterThan(0);
      const subtotal = lines.reduce((s, l) => s + l.quantity * stringToCents(l.unit_price), 0);
      expect(stringToCents(o.order_total)).toBe(subtotal - stringToCents(o.discount_total) + stringToCents(o.tax_total) + stringToCents(o.shipping_total));
      if (o.user_id) expect(BAD_ROWS.users.some((u) => u.id === o.user_id)).toBe(true);
    }
    for (const c of BAD_ROWS.promoCodes) expect(BAD_ROWS.promotions.some((p) => p.id === c.promotion_id)).toBe(true);
    for (const v of BAD_ROWS.variants) expect(BAD_ROWS.products.some((p) => p.id === v.product_id)).toBe(true);
    const demo = generateShop({ seed: 1, products: 300, customers: 300, orders: 300, promotions: 30 });
    for (const { key } of SHOP_TABLES) {
      if (key === 'settings') continue;
      for (const r of BAD_ROWS[key] as Array<{ id: string }>) expect(Number(r.id)).toBeGreaterThan(BAD_ROWS_ID_BASE);
    }
    const skus = new Set(demo.variants.map((v) => v.sku));
    expect(BAD_ROWS.variants.some((v) => skus.has(v.sku))).toBe(false);
    const numbers = new Set(demo.orders.map((o) => o.order_number));
    expect(BAD_ROWS.orders.some((o) => numbers.has(o.order_number))).toBe(false);
    const codes = new Set(demo.products.map((p) => p.code));
    expect(BAD_ROWS.products.some((p) => codes.has(p.code))).toBe(false);
  });

  it('hands out fresh copies', () => {
    const copy = badRows();
    expect(copy).toEqual(BAD_ROWS);
    copy.users[0].email = 'changed';
    expect(BAD_ROWS.users[0].email).toBe('bob@@example');
  });
});
