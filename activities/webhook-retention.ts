import type { Knex } from 'knex';

/** Rows deleted per statement: short transactions, so the webhook receiver is never blocked for long. */
const CHUNK = 5000;

/**
 * Deletes processed webhook events (both sources) received more than `olderThanMs` ago. Unprocessed ones stay:
 * they are still to be applied. The cut-off is the database's clock, like received_at.
 */
export function createRetentionActivities(db: Knex) {
  return {
    async purgeWebhookEvents(input: { olderThanMs: number }): Promise<{ deleted: number }> {
      const seconds = Math.floor(input.olderThanMs / 1000);
      let deleted = 0;
      for (;;) {
        const n = await db('mc_webhook_events')
          .whereNotNull('processed_at')
          .andWhere('received_at', '<', db.raw('NOW(3) - INTERVAL ? SECOND', [seconds]))
          .orderBy('id')
          .limit(CHUNK)
          .delete();
        deleted += n;
        if (n < CHUNK) return { deleted };
      }
    },
  };
}

export type RetentionActivities = ReturnType<typeof createRetentionActivities>;
