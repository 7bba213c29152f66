import type { Knex } from 'knex';

/**
 * The reference shop schema: the contract the sync reads (see docs/shop-database.md).
 * A table that already exists (a shop that created the contract tables or views itself) is left as it is.
 */

async function create(knex: Knex, table: string, build: (t: Knex.CreateTableBuilder) => void): Promise<void> {
  if (await knex.schema.hasTable(table)) return;
  await knex.schema.createTable(table, build);
}

function timestamps(t: Knex.CreateTableBuilder, knex: Knex): void {
  t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
  t.datetime('updated_at', { precision: 3 })
    .notNullable()
    .defaultTo(knex.raw('CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)'));
  t.index(['updated_at', 'id']);
}

export async function up(knex: Knex): Promise<void> {
  await create(knex, 'shop_settings', (t) => {
    t.string('name', 64).primary();
    t.text('value').notNullable();
    t.datetime('updated_at', { precision: 3 })
      .notNullable()
      .defaultTo(knex.raw('CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)'));
  });

  await create(knex, 'products', (t) => {
    t.bigIncrements('id').primary();
    t.string('code', 191).notNullable().unique();
    t.string('title', 500).notNullable();
    t.text('description').nullable();
    t.string('category', 255).nullable();
    t.string('vendor', 255).nullable();
    t.string('seo_url', 1000).nullable();
    t.string('image_url', 2000).nullable();
    t.enu('status', ['active', 'inactive', 'deleted']).notNullable().defaultTo('active');
    t.datetime('published_at', { precision: 3 }).nullable();
    timestamps(t, knex);
  });

  await create(knex, 'product_variants', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('product_id').unsigned().notNullable().index();
    t.string('sku', 191).notNullable().unique();
    t.string('title', 500).notNullable();
    t.decimal('price', 12, 2).notNullable();
    t.string('currency', 3).notNullable();
    t.integer('inventory_quantity').nullable();
    t.string('image_url', 2000).nullable();
    t.enu('status', ['active', 'deleted']).notNullable().defaultTo('active');
    timestamps(t, knex);
  });

  await create(knex, 'users', (t) => {
    t.bigIncrements('id').primary();
    t.string('email', 320).notNullable().index();
    t.string('first_name', 255).nullable();
    t.string('last_name', 255).nullable();
    t.boolean('marketing_opt_in').notNullable().defaultTo(false);
    t.datetime('marketing_opt_in_at', { precision: 3 }).nullable();
    timestamps(t, knex);
  });

  await create(knex, 'orders', (t) => {
    t.bigIncrements('id').primary();
    t.string('order_number', 191).notNullable().unique();
    t.bigInteger('user_id').unsigned().nullable().index();
    t.string('guest_email', 320).nullable();
    t.string('guest_first_name', 255).nullable();
    t.string('guest_last_name', 255).nullable();
    t.enu('status', ['pending', 'paid', 'shipped', 'cancelled', 'refunded', 'partially_refunded']).notNullable();
    t.string('currency', 3).notNullable();
    t.decimal('discount_total', 12, 2).notNullable().defaultTo(0);
    t.decimal('tax_total', 12, 2).notNullable().defaultTo(0);
    t.decimal('shipping_total', 12, 2).notNullable().defaultTo(0);
    t.decimal('order_total', 12, 2).notNullable();
    t.string('promo_code', 191).nullable();
    t.string('campaign_id', 64).nullable();
    t.string('landing_site', 2000).nullable();
    t.datetime('ordered_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 })
      .notNullable()
      .defaultTo(knex.raw('CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)'));
    t.index(['updated_at', 'id']);
  });

  await create(knex, 'order_lines', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('order_id').unsigned().notNullable().index();
    t.bigInteger('product_id').unsigned().notNullable();
    t.bigInteger('variant_id').unsigned().nullable();
    t.integer('quantity').notNullable();
    t.decimal('unit_price', 12, 2).notNullable();
    t.decimal('discount', 12, 2).notNullable().defaultTo(0);
  });

  await create(knex, 'promotions', (t) => {
    t.bigIncrements('id').primary();
    t.string('title', 500).notNullable();
    t.text('description').nullable();
    t.enu('discount_type', ['percentage', 'fixed']).notNullable();
    t.decimal('amount', 12, 2).notNullable();
    t.enu('target', ['per_item', 'total', 'shipping']).notNullable();
    t.datetime('starts_at', { precision: 3 }).nullable();
    t.datetime('ends_at', { precision: 3 }).nullable();
    t.boolean('enabled').notNullable().defaultTo(true);
    timestamps(t, knex);
  });

  await create(knex, 'promo_codes', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('promotion_id').unsigned().notNullable().index();
    t.string('code', 191).notNullable().index();
    t.integer('usage_count').notNullable().defaultTo(0);
    t.boolean('enabled').notNullable().defaultTo(true);
    timestamps(t, knex);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['promo_codes', 'promotions', 'order_lines', 'orders', 'users', 'product_variants', 'products', 'shop_settings']) {
    await knex.schema.dropTableIfExists(table);
  }
}
