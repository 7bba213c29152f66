import type { Knex } from 'knex';
import { emailHashSql } from '../../mapping/ids';
import { recreateEmailHashTriggers } from './20261201000001_change_detection';

/**
 * The customer id of every user's e-mail and every order's guest e-mail, stored and indexed in the sync's own table
 * (mc_email_hashes), so a customer is found by its id without hashing every row of users and orders. Triggers on the
 * two tables keep it current; the hash is mapping/ids.ts's emailHashSql, the SQL twin of customerIdForEmail (the
 * triggers that queue an e-mail's id for change detection are re-created with it too: they used SQL TRIM, which
 * strips spaces only). A table that is a view gets no trigger: the shop source then hashes its rows as before.
 */

const TABLES = [
  { table: 'users', column: 'email' },
  { table: 'orders', column: 'guest_email' },
] as const;

const triggerNames = (table: string) => ({ insert: `mc_${table}_email_hash_ins`, update: `mc_${table}_email_hash_upd`, remove: `mc_${table}_email_hash_del` });

async function isBaseTable(knex: Knex, table: string): Promise<boolean> {
  const [rows] = (await knex.raw('SELECT TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [table])) as [Array<{ type: string }>];
  return rows[0]?.type === 'BASE TABLE';
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mc_email_hashes', (t) => {
    t.string('table_name', 16).notNullable();
    t.bigInteger('row_id').unsigned().notNullable();
    t.specificType('email_hash', 'CHAR(32) CHARACTER SET ascii').nullable();
    t.primary(['table_name', 'row_id']);
    t.index(['email_hash', 'table_name'], 'mc_email_hashes_hash');
  });
  for (const { table, column } of TABLES) {
    if (!(await isBaseTable(knex, table))) continue;
    const names = triggerNames(table);
    const upsert = (row: 'NEW') => `INSERT INTO mc_email_hashes (table_name, row_id, email_hash) SELECT '${table}', ${row}.id, ${emailHashSql(`${row}.${column}`)} FROM DUAL`;
    const onDuplicate = ' ON DUPLICATE KEY UPDATE email_hash = VALUES(email_hash)';
    for (const name of Object.values(names)) await knex.raw(`DROP TRIGGER IF EXISTS ${name}`);
    await knex.raw(`CREATE TRIGGER ${names.insert} AFTER INSERT ON ${table} FOR EACH ROW ${upsert('NEW')}${onDuplicate}`);
    await knex.raw(`CREATE TRIGGER ${names.update} AFTER UPDATE ON ${table} FOR EACH ROW ${upsert('NEW')} WHERE NOT (OLD.${column} <=> NEW.${column}) OR OLD.id <> NEW.id${onDuplicate}`);
    await knex.raw(`CREATE TRIGGER ${names.remove} AFTER DELETE ON ${table} FOR EACH ROW DELETE FROM mc_email_hashes WHERE table_name = '${table}' AND row_id = OLD.id`);
    await knex.raw(`INSERT INTO mc_email_hashes (table_name, row_id, email_hash) SELECT '${table}', id, ${emailHashSql(column)} FROM ${table}${' ON DUPLICATE KEY UPDATE email_hash = VALUES(email_hash)'}`);
  }
  await recreateEmailHashTriggers(knex);
}

export async function down(knex: Knex): Promise<void> {
  for (const { table } of TABLES) for (const name of Object.values(triggerNames(table))) await knex.raw(`DROP TRIGGER IF EXISTS ${name}`);
  await knex.schema.dropTableIfExists('mc_email_hashes');
}
