import type { Knex } from 'knex';
import { purgeProcessedWebhookEvents } from '../db/webhook-events';
import type { RetentionActivities } from '../workflows/activity-contract';

/** Rows deleted per statement: short transactions, so the webhook receiver is never blocked for long. */
const CHUNK = 5000;

/**
 * Deletes processed webhook events (both sources) received more than `olderThanMs` ago. Unprocessed ones stay:
 * they are still to be applied. The cut-off is the database's clock, like received_at.
 */
export function createRetentionActivities(db: Knex): RetentionActivities {
  return {
    async purgeWebhookEvents(input) {
      const seconds = Math.floor(input.olderThanMs / 1000);
      let deleted = 0;
      for (;;) {
        const n = await purgeProcessedWebhookEvents(db, seconds, CHUNK);
        deleted += n;
        if (n < CHUNK) return { deleted };
      }
    },
  };
}
