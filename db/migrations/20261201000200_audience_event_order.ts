import type { Knex } from 'knex';

/**
 * When the newest audience webhook applied to an address was fired: Mailchimp may deliver events out of order (a
 * retried delivery arrives after a newer one), and an older event must not undo a newer one.
 */
export async function up(knex: Knex): Promise<void> {
  if (await knex.schema.hasColumn('mc_audience_members', 'last_event_at')) return;
  await knex.schema.alterTable('mc_audience_members', (t) => {
    t.datetime('last_event_at', { precision: 3 }).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasColumn('mc_audience_members', 'last_event_at'))) return;
  await knex.schema.alterTable('mc_audience_members', (t) => {
    t.dropColumn('last_event_at');
  });
}
