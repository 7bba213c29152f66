import { createTestDatabase, type TestDatabase } from '../../support/db';
import { BAD_ROWS, BAD_ROW_REASONS } from '../../../db/seed/bad-rows';
import { generateShop, type ShopData } from '../../../db/seed/generate';
import { runSeed } from '../../../db/seed/main';
import { SHOP_TABLES, countShop, writeShop, type WriteSummary } from '../../../db/seed/write';

const expectedCounts = (data: ShopData): WriteSummary =>
  Object.fromEntries(SHOP_TABLES.map(({ key, table }) => [table, data[key].length])) as WriteSummary;

const sumCounts = (a: WriteSummary, b: WriteSummary): WriteSummary =>
  Object.fromEntries(SHOP_TABLES.map(({ table }) => [table, a[table] + b[table]])) as WriteSummary;

describe('writeShop (MariaDB)', () => {
  let t: TestDatabase;
  const small = generateShop({ seed: 42, products: 120, customers: 150, orders: 2500, promotions: 12 });

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('writes every generated row, in chunks', async () => {
    const summary = await writeShop(t.db, small, { reset: true, chunkSize: 700 });
    expect(summary).toEqual(expectedCounts(small));
    expect(await countShop(t.db)).toEqual(expectedCounts(small));
  });

  it('stores values exactly: ids, money, unicode, millisecond dates, NULLs', async () => {
    const order = small.orders.find((o) => o.promo_code !== null && o.user_id === null)!;
    const stored = await t.db('orders').where({ id: order.id }).first();
    expect({ ...stored, ordered_at: new Date(stored.ordered_at), updated_at: new Date(stored.updated_at) }).toEqual(order);

    const product = small.products.find((p) => /\p{Extended_Pictographic}/u.test(p.title) && p.category === null) ?? small.products[0];
    const row = await t.db('products').where({ id: product.id }).first();
    expect(row.title).toBe(product.title);
    expect(row.description).toBe(product.description);
    expect(row.created_at.getTime()).toBe(product.created_at.getTime());
    expect(row.updated_at.getTime()).toBe(product.updated_at.getTime());

    const user = small.users.find((u) => u.email !== u.email.trim())!;
    const storedUser = await t.db('users').where({ id: user.id }).first();
    expect(storedUser.email).toBe(user.email);
    expect(Boolean(storedUser.marketing_opt_in)).toBe(user.marketing_opt_in);

    const settings = await t.db('shop_settings').select('name', 'value');
    expect(Object.fromEntries(settings.map((s: { name: string; value: string }) => [s.name, s.value]))).toEqual(
      Object.fromEntries(small.settings.map((s) => [s.name, s.value])),
    );
  });

  it('does not duplicate rows when written twice without reset, nor change updated_at', async () => {
    const before = await t.db('products').select('id', 'updated_at').orderBy('id');
    await writeShop(t.db, small);
    expect(await countShop(t.db)).toEqual(expectedCounts(small));
    expect(await t.db('products').select('id', 'updated_at').orderBy('id')).toEqual(before);
  });

  it('restores changed rows to the generated values on a rewrite', async () => {
    await t.db('orders').where({ id: '1' }).update({ order_total: '0.01' });
    await t.db('order_lines').where({ id: '1' }).del();
    await writeShop(t.db, small);
    expect((await t.db('orders').where({ id: '1' }).first()).order_total).toBe(small.orders[0].order_total);
    expect(await countShop(t.db)).toEqual(expectedCounts(small));
  });

  it('merges a different seed by id without clashing on unique columns', async () => {
    const other = generateShop({ seed: 7, products: 120, customers: 150, orders: 2500, promotions: 12 });
    await writeShop(t.db, other);
    const counts = await countShop(t.db);
    expect(counts.products).toBe(120);
    expect(counts.orders).toBe(2500);
    expect(counts.users).toBe(150);
  });

  it('with reset, leaves exactly the new data even when it is smaller', async () => {
    const tiny = generateShop({ seed: 3, products: 10, customers: 5, orders: 30, promotions: 2 });
    await writeShop(t.db, tiny, { reset: true });
    expect(await countShop(t.db)).toEqual(expectedCounts(tiny));
    await writeShop(t.db, tiny, { reset: true });
    expect(await countShop(t.db)).toEqual(expectedCounts(tiny));
  });

  it('writes the bad-rows fixture next to a demo shop', async () => {
    const tiny = generateShop({ seed: 3, products: 10, customers: 5, orders: 30, promotions: 2 });
    await writeShop(t.db, tiny, { reset: true });
    await writeShop(t.db, BAD_ROWS);
    await writeShop(t.db, BAD_ROWS);
    const expected = sumCounts(expectedCounts(tiny), expectedCounts(BAD_ROWS));
    expected.shop_settings = tiny.settings.length; // the same five settings
    expect(await countShop(t.db)).toEqual(expected);
    for (const tag of BAD_ROW_REASONS.values()) {
      const row = await t.db(tag.table).where({ id: tag.id }).first();
      expect(row).toBeDefined();
      if (tag.table !== 'products') expect(String(row[tag.field])).toBe(tag.value);
    }
  });

  it('runs through the CLI entry point: migrations, reset and an idempotent rerun', async () => {
    const options = { seed: 11, products: 40, customers: 60, orders: 300, promotions: 5, reset: true, dryRun: false };
    const first = await runSeed(t.db, options);
    expect(await countShop(t.db)).toEqual(expectedCounts(first.data));
    const second = await runSeed(t.db, { ...options, reset: false });
    expect(second.data).toEqual(first.data);
    expect(await countShop(t.db)).toEqual(expectedCounts(first.data));
  });
});
