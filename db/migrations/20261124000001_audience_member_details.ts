import type { Knex } from 'knex';

/**
 * What the audience webhooks report beyond a status: the contact's names (profile events) and, after an address
 * change in Mailchimp (upemail), the previous address. The shop's own rows are not rewritten.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('mc_audience_members', (t) => {
    t.string('first_name', 255).nullable();
    t.string('last_name', 255).nullable();
    t.string('previous_email', 320).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('mc_audience_members', (t) => {
    t.dropColumn('first_name');
    t.dropColumn('last_name');
    t.dropColumn('previous_email');
  });
}
