import { OPTIONAL_ORDER_COLUMNS, OPTIONAL_USER_COLUMNS } from '../../../mapping/address-columns';
import { createTestDatabase, type TestDatabase } from '../../support/db';

/**
 * The optional address and tracking columns: added, NULL-able, to a users or orders base table that lacks them (a
 * column the shop already has is left as it is), never to a view; the rollback drops only what it added.
 */
describe('migration: optional address and tracking columns', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ migrate: false });
  });
  afterAll(() => t.destroy());

  async function columns(table: string): Promise<Map<string, { nullable: boolean; comment: string }>> {
    const [rows] = (await t.db.raw(
      'SELECT COLUMN_NAME AS name, IS_NULLABLE AS nullable, COLUMN_COMMENT AS comment FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
      [table],
    )) as [Array<{ name: string; nullable: string; comment: string }>];
    return new Map(rows.map((r) => [r.name, { nullable: r.nullable === 'YES', comment: r.comment }]));
  }

  it('adds what a base table lacks, keeps the shop\'s own column, leaves a view alone, and rolls back only its own', async () => {
    // The shop's own users table, with a city column of its own; orders behind a view without any of the columns.
    await t.db.raw(`CREATE TABLE shop_orders (id BIGINT UNSIGNED PRIMARY KEY, order_number VARCHAR(191), user_id BIGINT UNSIGNED NULL, guest_email VARCHAR(320) NULL,
      status VARCHAR(32) NOT NULL DEFAULT 'paid', promo_code VARCHAR(191) NULL, ordered_at DATETIME(3) NULL, updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3))`);
    await t.db.raw(`CREATE TABLE users (
      id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, email VARCHAR(320) NOT NULL, first_name VARCHAR(255) NULL, last_name VARCHAR(255) NULL,
      marketing_opt_in BOOLEAN NOT NULL DEFAULT FALSE, marketing_opt_in_at DATETIME(3) NULL, city VARCHAR(80) NOT NULL DEFAULT '',
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
      INDEX (updated_at, id))`);
    await t.db.raw('CREATE VIEW orders AS SELECT * FROM shop_orders');
    await t.db.migrate.latest();

    const users = await columns('users');
    for (const c of OPTIONAL_USER_COLUMNS.filter((x) => x.name !== 'city')) expect(users.get(c.name)).toEqual({ nullable: true, comment: 'added by mcsync locations' });
    expect(users.get('city')).toEqual({ nullable: false, comment: '' });
    const orders = await columns('orders');
    for (const c of OPTIONAL_ORDER_COLUMNS) expect(orders.has(c.name)).toBe(false);

    await t.db.migrate.down({ name: '20261201002000_locations_tracking.ts' });
    const after = await columns('users');
    for (const c of OPTIONAL_USER_COLUMNS.filter((x) => x.name !== 'city')) expect(after.has(c.name)).toBe(false);
    expect(after.has('city')).toBe(true);
  });
});
