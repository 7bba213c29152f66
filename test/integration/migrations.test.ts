import { createTestDatabase, TestDatabase } from '../support/db';

const CONTRACT_TABLES = ['shop_settings', 'products', 'product_variants', 'users', 'orders', 'order_lines', 'promotions', 'promo_codes'];
const SYNC_TABLES = ['mc_sync_state', 'mc_watermarks', 'mc_audience_members', 'mc_webhook_events'];

describe('migrations', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ migrate: false });
  });
  afterAll(() => t.destroy());

  async function tables(): Promise<string[]> {
    const [rows] = (await t.db.raw('SHOW TABLES')) as [Array<Record<string, string>>];
    return rows.map((r) => Object.values(r)[0]).filter((n) => !n.startsWith('knex_'));
  }

  it('creates every contract and sync table, and rolls all of them back', async () => {
    await t.db.migrate.latest();
    expect((await tables()).sort()).toEqual([...CONTRACT_TABLES, ...SYNC_TABLES].sort());
    await t.db.migrate.rollback(undefined, true);
    expect(await tables()).toEqual([]);
    await t.db.migrate.latest();
    expect(await tables()).toHaveLength(CONTRACT_TABLES.length + SYNC_TABLES.length);
  });

  it('stamps updated_at with milliseconds and changes it on every write', async () => {
    await t.db('products').insert({ id: 1, code: 'P1', title: 'A' });
    const before = (await t.db('products').where({ id: 1 }).first()) as { updated_at: Date };
    await new Promise((r) => setTimeout(r, 15));
    await t.db('products').where({ id: 1 }).update({ title: 'B' });
    const after = (await t.db('products').where({ id: 1 }).first()) as { updated_at: Date };
    expect(after.updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
    expect(after.updated_at.getTime() % 1000).not.toBe(before.updated_at.getTime() % 1000);
  });

  it('keeps one sync-state row per store, entity type and id', async () => {
    const row = { store_id: 's', entity_type: 'order', entity_id: '1' };
    await t.db('mc_sync_state').insert(row);
    await expect(t.db('mc_sync_state').insert(row)).rejects.toThrow(/Duplicate/);
  });

  it('leaves a contract table the shop created itself as it is', async () => {
    const own = await createTestDatabase({ migrate: false });
    try {
      await own.db.schema.createTable('products', (tb) => {
        tb.bigIncrements('id');
        tb.string('code').unique();
        tb.string('title');
        tb.string('shop_specific_column');
      });
      await own.db.migrate.latest();
      expect(await own.db.schema.hasColumn('products', 'shop_specific_column')).toBe(true);
      expect(await own.db.schema.hasTable('mc_sync_state')).toBe(true);
    } finally {
      await own.destroy();
    }
  });
});
