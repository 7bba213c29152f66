import type { Knex } from 'knex';

/**
 * Mailchimp allows 10 connections per API key in total, however many workers share the key. The workers of one
 * database divide them through these tables (db/connection-leases.ts): a row per connection slot, leased by one worker
 * at a time, and a row per live worker with how many it would use.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mc_connection_slots', (t) => {
    // A hash of the API key (never the key itself).
    t.string('key_id', 32).notNullable();
    t.smallint('slot').unsigned().notNullable();
    t.string('holder', 64).nullable();
    t.specificType('expires_at', 'DATETIME(3)').nullable();
    // The holder's request timeout: a lapsed lease is taken over only once every request sent under it has ended.
    t.integer('grace_ms').unsigned().notNullable().defaultTo(0);
    t.primary(['key_id', 'slot']);
  });
  await knex.schema.createTable('mc_connection_holders', (t) => {
    t.string('key_id', 32).notNullable();
    t.string('holder', 64).notNullable();
    t.integer('demand').unsigned().notNullable().defaultTo(0);
    t.specificType('expires_at', 'DATETIME(3)').notNullable();
    t.primary(['key_id', 'holder']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('mc_connection_holders');
  await knex.schema.dropTableIfExists('mc_connection_slots');
}
