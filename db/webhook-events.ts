import type { Knex } from 'knex';

/**
 * mc_webhook_events: every webhook event (audience and Stripe) stored before it is applied, so a redelivery is
 * recognised by (source, event_key) and an event is applied once. Processed events are purged after the retention.
 */

export interface WebhookEventKey {
  source: string;
  event_key: string;
}

export interface StoredWebhookEvent {
  id: number;
  processed_at: Date | null;
  outcome: string | null;
}

function isDuplicate(err: unknown): boolean {
  const e = err as { code?: string; errno?: number };
  return e?.code === 'ER_DUP_ENTRY' || e?.errno === 1062;
}

/** Stores the event unless one with its key is stored already (then nothing changes). */
export async function storeWebhookEvent(db: Knex, key: WebhookEventKey, eventType: string, payload: string): Promise<void> {
  await db('mc_webhook_events').insert({ ...key, event_type: eventType, payload }).onConflict(['source', 'event_key']).ignore();
}

/** Stores the event; false when one with its key was stored already (nothing changes then). */
export async function insertWebhookEvent(db: Knex, key: WebhookEventKey, eventType: string, payload: string): Promise<boolean> {
  try {
    await db('mc_webhook_events').insert({ ...key, event_type: eventType, payload });
    return true;
  } catch (err) {
    if (!isDuplicate(err)) throw err;
    return false;
  }
}

/** The stored event, its row locked until the transaction ends (so two deliveries never apply it twice). */
export async function lockWebhookEvent(trx: Knex.Transaction, key: WebhookEventKey): Promise<StoredWebhookEvent> {
  return (await trx('mc_webhook_events').where(key).forUpdate().first()) as StoredWebhookEvent;
}

/** When the stored event was processed (null: not yet, or no such event). */
export async function webhookEventProcessedAt(db: Knex, key: WebhookEventKey): Promise<Date | null> {
  const row = (await db('mc_webhook_events').where(key).first('processed_at')) as { processed_at: Date | null } | undefined;
  return row?.processed_at ?? null;
}

/** Marks the event processed now (the database's clock) with its outcome. */
export async function markWebhookEventProcessed(db: Knex, which: WebhookEventKey | { id: number }, outcome: string): Promise<void> {
  await db('mc_webhook_events').where(which).update({ processed_at: db.fn.now(3), outcome });
}

/** Notes why an event could not be applied, unless it was processed meanwhile (it stays to be applied again). */
export async function noteWebhookEventError(db: Knex, key: WebhookEventKey, message: string): Promise<void> {
  await db('mc_webhook_events').where(key).whereNull('processed_at').update({ outcome: `error: ${message}`.slice(0, 4000) });
}

/**
 * Deletes up to `limit` processed events received more than `olderThanSeconds` ago (by the database's clock, like
 * received_at), oldest first; returns how many. Unprocessed ones stay: they are still to be applied.
 */
export async function purgeProcessedWebhookEvents(db: Knex, olderThanSeconds: number, limit: number): Promise<number> {
  return db('mc_webhook_events')
    .whereNotNull('processed_at')
    .andWhere('received_at', '<', db.raw('NOW(3) - INTERVAL ? SECOND', [olderThanSeconds]))
    .orderBy('id')
    .limit(limit)
    .delete();
}
