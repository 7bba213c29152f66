import { md5 } from '../../mapping/ids';
import { createTestDatabase, TestDatabase } from '../support/db';

const CONTRACT_TABLES = ['shop_settings', 'products', 'product_variants', 'users', 'orders', 'order_lines', 'promotions', 'promo_codes', 'carts', 'cart_lines'];
const SYNC_TABLES = ['mc_sync_state', 'mc_watermarks', 'mc_audience_members', 'mc_webhook_events', 'mc_change_queue', 'mc_scan_seen', 'mc_write_sequence', 'mc_email_hashes',
  'mc_connection_slots', 'mc_connection_holders', 'mc_audience_listings', 'mc_audience_listing'];

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

  it('queues hard deletes and e-mail changes of contract rows, and adds updated_at to order_lines', async () => {
    await t.db('users').insert({ id: 7, email: ' Old@Example.com' });
    await t.db('orders').insert({ id: 8, order_number: 'SO-8', guest_email: 'guest@example.com', status: 'paid', currency: 'USD', order_total: '1', ordered_at: new Date() });
    await t.db('order_lines').insert({ id: 9, order_id: 8, product_id: 1, quantity: 1, unit_price: '1' });
    const line = (await t.db('order_lines').where({ id: 9 }).first()) as { updated_at: Date };
    expect(line.updated_at).toBeInstanceOf(Date);
    await t.db('mc_change_queue').delete();

    await t.db('users').where({ id: 7 }).update({ first_name: 'Same address' });
    await t.db('users').where({ id: 7 }).update({ email: 'new@example.com' });
    await t.db('orders').where({ id: 8 }).update({ guest_email: 'other@example.com' });
    await t.db('order_lines').where({ id: 9 }).delete();
    await t.db('users').where({ id: 7 }).delete();
    await t.db('promotions').insert({ id: 3, title: 'P', discount_type: 'fixed', amount: '1', target: 'total' });
    await t.db('promo_codes').insert({ id: 4, promotion_id: 3, code: 'OLD' });
    await t.db('promo_codes').where({ id: 4 }).update({ code: 'NEW' });
    await t.db('promo_codes').where({ id: 4 }).update({ usage_count: 2 });
    await t.db('promotions').where({ id: 3 }).update({ discount_type: 'percentage' });
    await t.db('promotions').where({ id: 3 }).update({ title: 'Q' });
    await t.db('promo_codes').where({ id: 4 }).delete();
    const queued = ((await t.db('mc_change_queue').orderBy('id').select('table_name', 'row_id', 'parent_id', 'email_hash', 'event', 'promo_code as code')) as Array<{ table_name: string; code: string | null }>)
      .map(({ code, ...r }) => (r.table_name.startsWith('promo') ? { ...r, code } : r));
    expect(queued).toEqual([
      { table_name: 'users', row_id: '7', parent_id: null, email_hash: md5('old@example.com'), event: 'email_changed' },
      { table_name: 'orders', row_id: '8', parent_id: null, email_hash: md5('guest@example.com'), event: 'email_changed' },
      { table_name: 'order_lines', row_id: '9', parent_id: '8', email_hash: null, event: 'delete' },
      { table_name: 'users', row_id: '7', parent_id: null, email_hash: md5('new@example.com'), event: 'delete' },
      ...[['promo_changed', 'OLD'], ['promo_changed', 'OLD'], ['promo_changed', 'NEW']].map(([event, code]) => ({ table_name: 'promo_codes', row_id: '4', parent_id: '3', email_hash: null, event, code })),
      { table_name: 'promotions', row_id: '3', parent_id: null, email_hash: null, event: 'promo_changed', code: null },
      { table_name: 'promo_codes', row_id: '4', parent_id: '3', email_hash: null, event: 'delete', code: 'NEW' },
    ].map(({ code, ...r }) => (r.table_name.startsWith('promo') ? { ...r, code } : r)));
  });

  it('rolls back its triggers and the columns it added', async () => {
    const own = await createTestDatabase();
    try {
      const triggers = async () => ((await own.db.raw('SHOW TRIGGERS')) as [unknown[]])[0].length;
      expect(await triggers()).toBe(21);
      await own.db.migrate.down({ name: '20261201004000_email_hash_index.ts' });
      expect(await triggers()).toBe(15);
      expect(await own.db.schema.hasTable('mc_email_hashes')).toBe(false);
      await own.db.migrate.down({ name: '20261201001000_carts.ts' });
      expect(await triggers()).toBe(13);
      expect(await own.db.schema.hasTable('carts')).toBe(false);
      await own.db.migrate.down({ name: '20261201000400_change_detection_line_products.ts' });
      expect(await triggers()).toBe(12);
      await own.db.migrate.down({ name: '20261201000300_change_detection_promos.ts' });
      expect(await triggers()).toBe(9);
      await own.db.migrate.down({ name: '20261201000001_change_detection.ts' });
      expect(await triggers()).toBe(0);
      expect(await own.db.schema.hasColumn('order_lines', 'updated_at')).toBe(false);
      expect(await own.db.schema.hasTable('mc_change_queue')).toBe(false);
      await own.db.migrate.latest();
      expect(await triggers()).toBe(21);
    } finally {
      await own.destroy();
    }
  });

  it('puts no trigger or column on a contract table that is a view; a shop\'s own order_lines gets updated_at', async () => {
    const own = await createTestDatabase({ migrate: false });
    try {
      await own.db.raw('CREATE TABLE catalogue (pid BIGINT PRIMARY KEY, sku VARCHAR(64), name VARCHAR(255), changed DATETIME(3))');
      await own.db.raw("CREATE VIEW products AS SELECT pid AS id, sku AS code, name AS title, 'active' AS status, changed AS updated_at FROM catalogue");
      await own.db.raw('CREATE TABLE order_lines (id BIGINT PRIMARY KEY, order_id BIGINT, product_id BIGINT, variant_id BIGINT NULL, quantity INT, unit_price DECIMAL(12,2), discount DECIMAL(12,2))');
      await own.db.raw('INSERT INTO order_lines VALUES (1, 5, 1, NULL, 1, 2.00, 0)');
      await own.db.migrate.latest();

      const [triggers] = (await own.db.raw('SHOW TRIGGERS')) as [Array<{ Table: string }>];
      expect(triggers.map((r) => r.Table)).not.toContain('products');
      expect(triggers.map((r) => r.Table)).toContain('order_lines');
      expect(await own.db.schema.hasColumn('order_lines', 'updated_at')).toBe(true);
      await own.db.raw('INSERT INTO catalogue VALUES (1, \'C1\', \'One\', NOW(3))');
      await own.db.raw('DELETE FROM catalogue');
      expect(await own.db('mc_change_queue').select('table_name')).toEqual([]);
      await own.db('order_lines').where({ id: 1 }).delete();
      expect(await own.db('mc_change_queue').select('table_name', 'row_id', 'parent_id')).toEqual([{ table_name: 'order_lines', row_id: '1', parent_id: '5' }]);
    } finally {
      await own.destroy();
    }
  });

  it('indexes order_lines by product_id when no index starts with it, keeps a shop\'s own, and rolls back its own', async () => {
    const own = await createTestDatabase();
    try {
      const productIndexes = async () => ((await own.db.raw(
        "SELECT INDEX_NAME AS name FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'order_lines' AND COLUMN_NAME = 'product_id' AND SEQ_IN_INDEX = 1",
      )) as [Array<{ name: string }>])[0].map((r) => r.name);
      expect(await productIndexes()).toEqual(['mc_order_lines_product']);
      await own.db.migrate.down({ name: '20261201005100_order_lines_product_index.ts' });
      expect(await productIndexes()).toEqual([]);
      await own.db.raw('CREATE INDEX shop_own ON order_lines (product_id)');
      await own.db.migrate.latest();
      expect(await productIndexes()).toEqual(['shop_own']);
    } finally {
      await own.destroy();
    }
  });

  it('indexes mc_sync_state by store and remote id (the lookups of what an id is sent under)', async () => {
    const [rows] = (await t.db.raw(
      "SELECT COLUMN_NAME AS col FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'mc_sync_state' AND INDEX_NAME = 'mc_sync_state_remote' ORDER BY SEQ_IN_INDEX",
    )) as [Array<{ col: string }>];
    expect(rows.map((r) => r.col)).toEqual(['store_id', 'remote_id']);
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
