import type { Knex } from 'knex';

/** The sync's own state: everything it knows lives in `mc_` tables, one row per store, entity type and id. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mc_sync_state', (t) => {
    t.bigIncrements('id').primary();
    t.string('store_id', 64).notNullable();
    t.string('entity_type', 32).notNullable();
    t.string('entity_id', 191).notNullable();
    t.enu('status', ['pending', 'synced', 'failed', 'skipped', 'deleted']).notNullable().defaultTo('pending');
    t.string('content_hash', 64).nullable();
    t.string('remote_id', 191).nullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('error_reason').nullable();
    t.text('error_detail').nullable();
    t.datetime('synced_at', { precision: 3 }).nullable();
    t.datetime('updated_at', { precision: 3 })
      .notNullable()
      .defaultTo(knex.raw('CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)'));
    t.unique(['store_id', 'entity_type', 'entity_id']);
    t.index(['store_id', 'entity_type', 'status']);
  });

  await knex.schema.createTable('mc_watermarks', (t) => {
    t.string('store_id', 64).notNullable();
    t.string('entity_type', 32).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.string('last_id', 191).notNullable();
    t.primary(['store_id', 'entity_type']);
  });

  await knex.schema.createTable('mc_audience_members', (t) => {
    t.string('list_id', 64).notNullable();
    t.string('email_hash', 32).notNullable();
    t.string('email', 320).notNullable();
    t.string('status', 32).notNullable();
    t.string('source', 32).notNullable();
    t.datetime('updated_at', { precision: 3 })
      .notNullable()
      .defaultTo(knex.raw('CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)'));
    t.primary(['list_id', 'email_hash']);
  });

  await knex.schema.createTable('mc_webhook_events', (t) => {
    t.bigIncrements('id').primary();
    t.string('source', 32).notNullable();
    t.string('event_key', 191).notNullable();
    t.string('event_type', 64).notNullable();
    t.text('payload', 'mediumtext').notNullable();
    t.datetime('received_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'));
    t.datetime('processed_at', { precision: 3 }).nullable();
    t.text('outcome').nullable();
    t.unique(['source', 'event_key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['mc_webhook_events', 'mc_audience_members', 'mc_watermarks', 'mc_sync_state']) {
    await knex.schema.dropTableIfExists(table);
  }
}
