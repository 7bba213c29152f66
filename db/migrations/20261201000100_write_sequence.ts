import type { Knex } from 'knex';

/**
 * Write tokens (db/entity-lock.ts): every lock acquisition draws the next value of mc_write_sequence, and
 * mc_sync_state.write_seq keeps the token of the write it records, so a record can never go back to an older writer.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mc_write_sequence', (t) => {
    t.tinyint('id').unsigned().primary();
    t.bigInteger('value').unsigned().notNullable().defaultTo(0);
  });
  await knex('mc_write_sequence').insert({ id: 1, value: 0 });
  await knex.schema.alterTable('mc_sync_state', (t) => {
    t.bigInteger('write_seq').unsigned().nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  if (await knex.schema.hasColumn('mc_sync_state', 'write_seq')) {
    await knex.schema.alterTable('mc_sync_state', (t) => t.dropColumn('write_seq'));
  }
  await knex.schema.dropTableIfExists('mc_write_sequence');
}
