import type { Knex } from 'knex';
import { emailHashSql } from '../mapping/ids';

/**
 * The one write to the shop's own rows besides the feature switch: an unsubscribe or cleaned address reported by the
 * audience webhook clears the shop's marketing consent, so no sync resubscribes the person.
 */

/** The customer id's one normalisation (mapping/ids.ts), in SQL: SQL's own TRIM strips spaces only. */
const EMAIL_HASH_SQL = emailHashSql('??');

/** Clears `users.marketing_opt_in` of every user with this email hash; returns how many changed. Takes the caller's transaction. */
export async function withdrawMarketingConsent(db: Knex, emailHash: string): Promise<number> {
  return db('users')
    .whereRaw(`${EMAIL_HASH_SQL} = ?`, ['email', emailHash])
    .andWhere('marketing_opt_in', '<>', 0)
    .update({ marketing_opt_in: 0 });
}
