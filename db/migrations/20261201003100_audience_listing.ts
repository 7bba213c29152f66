import type { Knex } from 'knex';

/**
 * A backfill phase's listing of the audience (activities/batch/audience.ts), kept here instead of in each worker's
 * memory: a page looks up only its own contacts, and the workers share one listing per phase.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mc_audience_listings', (t) => {
    t.string('list_id', 64).notNullable();
    // A hash of the phase's key.
    t.string('listing', 40).notNullable();
    t.specificType('completed_at', 'DATETIME(3)').nullable();
    t.primary(['list_id', 'listing']);
  });
  await knex.schema.createTable('mc_audience_listing', (t) => {
    t.string('list_id', 64).notNullable();
    t.string('listing', 40).notNullable();
    t.string('email_hash', 32).notNullable();
    t.string('status', 20).notNullable();
    t.primary(['list_id', 'listing', 'email_hash']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('mc_audience_listing');
  await knex.schema.dropTableIfExists('mc_audience_listings');
}
