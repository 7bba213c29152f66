import { createAudienceKnowledge, createSyncState } from '../../../db/sync-state';
import { createTestDatabase, type TestDatabase } from '../../support/db';

/** db/sync-state.ts's reads and writes for the CLI and the webhooks, against MariaDB: one store and one audience only. */
describe('sync state lookups and audience knowledge', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.destroy();
  });

  it('finds entities by remote id, forgets hashes by entity or remote id, lists failure reasons, in its store only', async () => {
    const state = createSyncState(t.db, 's1');
    const other = createSyncState(t.db, 's2');
    await state.record('product', '1', { status: 'synced', contentHash: 'h1', remoteId: 'CODE-1' });
    await state.record('customer', 'c1', { status: 'synced', contentHash: 'h2', remoteId: 'c1' });
    await state.record('customer', 'c2', { status: 'synced', contentHash: 'h3', remoteId: 'c2' });
    await state.record('order', '7', { status: 'failed', errorReason: 'no currency' });
    await state.record('order', '8', { status: 'failed', errorReason: '  ' });
    await other.record('product', '1', { status: 'synced', contentHash: 'x', remoteId: 'CODE-1' });
    await other.record('order', '7', { status: 'failed', errorReason: 'elsewhere' });

    expect(await state.byRemoteIds([])).toEqual([]);
    expect(await state.byRemoteIds(['CODE-1', 'c2', 'nothing'])).toEqual(
      expect.arrayContaining([
        { entity_type: 'product', entity_id: '1', remote_id: 'CODE-1' },
        { entity_type: 'customer', entity_id: 'c2', remote_id: 'c2' },
      ]),
    );
    expect(await state.byRemoteIds(['CODE-1', 'c2', 'nothing'])).toHaveLength(2);

    // What a product id is sent under: products only, of this store, not deleted since.
    await state.record('product', '2', { status: 'deleted', remoteId: 'CODE-2' });
    expect(await state.sentUnder('product', [])).toEqual(new Set());
    expect(await state.sentUnder('product', ['CODE-1', 'CODE-2', 'c2', 'nothing'])).toEqual(new Set(['CODE-1']));
    expect(await other.sentUnder('product', ['CODE-2'])).toEqual(new Set());

    // A reason of blanks is no reason: only the order with one is listed.
    expect(await state.failureReasons()).toEqual(new Map([['order:7', 'no currency']]));

    await state.forgetHashes('customer', []);
    await state.forgetHashes('customer', ['c1']);
    await state.forgetHashOfRemote('product', 'CODE-1');
    expect((await state.get('customer', 'c1'))?.content_hash).toBeNull();
    expect((await state.get('customer', 'c2'))?.content_hash).toBe('h3');
    expect((await state.get('product', '1'))?.content_hash).toBeNull();
    expect((await other.get('product', '1'))?.content_hash).toBe('x');
  });

  it("reports an audience event's fields, keeps the newest event's time and forgets a member, in its audience only", async () => {
    const audience = createAudienceKnowledge(t.db, 'list1');
    const elsewhere = createAudienceKnowledge(t.db, 'list2');
    await audience.report('h1', 'a@example.com', 'webhook', 'unknown', { first_name: 'Ann' });
    expect(await audience.member('h1')).toMatchObject({ email: 'a@example.com', status: 'unknown', source: 'webhook', first_name: 'Ann', last_name: null });
    // Only the columns an event names change: the status stays, the name is kept.
    await audience.report('h1', 'a@example.com', 'webhook', 'unknown', { status: 'subscribed' });
    await audience.report('h1', 'a@example.com', 'webhook', 'unknown', { last_name: 'Lee' });
    expect(await audience.member('h1')).toMatchObject({ status: 'subscribed', first_name: 'Ann', last_name: 'Lee' });
    expect(await audience.status('h1')).toBe('subscribed');

    expect(await audience.lastEventAt('h1')).toBeNull();
    const firedAt = new Date('2026-05-01T12:00:01.000Z');
    await audience.setLastEventAt('h1', firedAt);
    expect(await audience.lastEventAt('h1')).toEqual(firedAt);
    expect(await audience.lastEventAt('unknown-hash')).toBeNull();

    await elsewhere.report('h1', 'a@example.com', 'webhook', 'unknown', { status: 'cleaned' });
    await audience.forget('h1');
    expect(await audience.member('h1')).toBeNull();
    expect(await elsewhere.status('h1')).toBe('cleaned');
  });
});
