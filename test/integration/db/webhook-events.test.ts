import {
  insertWebhookEvent, lockWebhookEvent, markWebhookEventProcessed, noteWebhookEventError, purgeProcessedWebhookEvents,
  storeWebhookEvent, webhookEventProcessedAt,
} from '../../../db/webhook-events';
import { createTestDatabase, type TestDatabase } from '../../support/db';

/** db/webhook-events.ts against MariaDB: stored once per key, applied once, purged only when processed and old. */
describe('mc_webhook_events', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.destroy();
  });
  beforeEach(async () => {
    await t.db('mc_webhook_events').delete();
  });

  const key = (n: number) => ({ source: 'test', event_key: `e${n}` });

  it('stores an event once per key; insertWebhookEvent says whether it stored it', async () => {
    await storeWebhookEvent(t.db, key(1), 'subscribe', 'a');
    await storeWebhookEvent(t.db, key(1), 'subscribe', 'b');
    expect(await insertWebhookEvent(t.db, key(1), 'subscribe', 'c')).toBe(false);
    expect(await insertWebhookEvent(t.db, key(2), 'subscribe', 'd')).toBe(true);
    const rows = (await t.db('mc_webhook_events').orderBy('id').select('event_key', 'payload')) as Array<{ event_key: string; payload: string }>;
    expect(rows).toEqual([{ event_key: 'e1', payload: 'a' }, { event_key: 'e2', payload: 'd' }]);
  });

  it('marks an event processed (by key or id); an error is noted only while it is unprocessed', async () => {
    await storeWebhookEvent(t.db, key(1), 'subscribe', '{}');
    await storeWebhookEvent(t.db, key(2), 'subscribe', '{}');
    expect(await webhookEventProcessedAt(t.db, key(1))).toBeNull();
    await noteWebhookEventError(t.db, key(1), 'x'.repeat(5000));
    await t.db.transaction(async (trx) => {
      const row = await lockWebhookEvent(trx, key(1));
      expect(row.processed_at).toBeNull();
      expect(row.outcome).toBe(`error: ${'x'.repeat(3993)}`);
      await markWebhookEventProcessed(trx, { id: row.id }, 'done');
    });
    await markWebhookEventProcessed(t.db, key(2), 'done too');
    await noteWebhookEventError(t.db, key(2), 'late');
    expect(await webhookEventProcessedAt(t.db, key(1))).toBeInstanceOf(Date);
    const outcomes = (await t.db('mc_webhook_events').orderBy('id').pluck('outcome')) as string[];
    expect(outcomes).toEqual(['done', 'done too']);
    expect(await webhookEventProcessedAt(t.db, key(3))).toBeNull();
  });

  it('purges processed events older than the cut-off, a chunk at a time, and keeps the rest', async () => {
    const old = t.db.raw('NOW(3) - INTERVAL 2 DAY');
    const rows = [
      { ...key(1), processed_at: old, received_at: old },
      { ...key(2), processed_at: old, received_at: old },
      { ...key(3), processed_at: old, received_at: old },
      { ...key(4), processed_at: null, received_at: old },
      { ...key(5), processed_at: t.db.fn.now(3), received_at: t.db.fn.now(3) },
    ];
    await t.db('mc_webhook_events').insert(rows.map((r) => ({ ...r, event_type: 'subscribe', payload: '{}' })));
    expect(await purgeProcessedWebhookEvents(t.db, 86_400, 2)).toBe(2);
    expect(await purgeProcessedWebhookEvents(t.db, 86_400, 2)).toBe(1);
    expect(await purgeProcessedWebhookEvents(t.db, 86_400, 2)).toBe(0);
    expect(await t.db('mc_webhook_events').orderBy('id').pluck('event_key')).toEqual(['e4', 'e5']);
    // A cut-off past their age keeps the old processed ones.
    await t.db('mc_webhook_events').insert({ ...key(6), processed_at: old, received_at: old, event_type: 'subscribe', payload: '{}' });
    expect(await purgeProcessedWebhookEvents(t.db, 3 * 86_400, 10)).toBe(0);
  });
});
