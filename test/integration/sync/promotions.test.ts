import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { count, resetStats, resync, stats, storePath, syncNow, syncState, writes } from '../../support/sync-steps';

interface RemoteRule {
  id: string;
  title: string;
  description: string;
  amount: number;
  type: string;
  target: string;
  enabled: boolean;
  starts_at: string;
  ends_at: string;
}
interface RemoteCode {
  id: string;
  code: string;
  redemption_url: string;
  usage_count: number;
  enabled: boolean;
}

describe('promotion sync (entity workflows → emulator)', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
    await resync(h); // empty shop: creates the Mailchimp store
  });
  afterAll(() => h.stop());

  const rule = (id: number) => remote<RemoteRule>(h, storePath(h, `/promo-rules/${id}`));
  const code = (ruleId: number, codeId: number) => remote<RemoteCode>(h, storePath(h, `/promo-rules/${ruleId}/promo-codes/${codeId}`));

  it('sends the rule before its code when only the code is notified', async () => {
    const p = await shop.promotion(h.t.db, {
      title: 'Spring sale 🌷', description: null, discount_type: 'percentage', amount: '15', target: 'total',
      starts_at: new Date('2026-03-01T00:00:00.000Z'), ends_at: new Date('2026-04-01T00:00:00.000Z'),
    }, [{ code: 'SPRING 15', usage_count: 3 }]);

    await expect(syncNow(h, 'promo_code', p.codeIds[0])).resolves.toMatchObject({ status: 'synced' });

    expect(await rule(p.id)).toMatchObject({
      title: 'Spring sale 🌷', description: 'Spring sale 🌷', amount: 0.15, type: 'percentage', target: 'total', enabled: true,
      starts_at: '2026-03-01T00:00:00.000Z', ends_at: '2026-04-01T00:00:00.000Z',
    });
    expect(await code(p.id, p.codeIds[0])).toMatchObject({
      code: 'SPRING 15', redemption_url: 'https://shop.example/cart?promo=SPRING%2015', usage_count: 3, enabled: true,
    });
    expect(await syncState(h, 'promo_rule', p.id)).toMatchObject({ status: 'synced' });
    expect(await syncState(h, 'promo_code', p.codeIds[0])).toMatchObject({ status: 'synced', remote_id: `${p.id}/${p.codeIds[0]}` });
  });

  it('sends a fixed amount as money', async () => {
    const p = await shop.promotion(h.t.db, { discount_type: 'fixed', amount: '7.50', target: 'shipping' });
    await syncNow(h, 'promo_rule', p.id);
    expect(await rule(p.id)).toMatchObject({ amount: 7.5, type: 'fixed', target: 'shipping' });
  });

  it('updates a disabled promotion and a disabled code, and an expired end date, without creating them again', async () => {
    const p = await shop.promotion(h.t.db, { ends_at: new Date('2027-01-01T00:00:00.000Z') }, [{ code: 'WINTER' }]);
    await syncNow(h, 'promo_code', p.codeIds[0]);
    await resetStats(h);

    await h.t.db('promotions').where({ id: p.id }).update({ enabled: false, ends_at: new Date('2026-01-01T00:00:00.000Z') });
    await h.t.db('promo_codes').where({ id: p.codeIds[0] }).update({ enabled: false, usage_count: 9 });
    await syncNow(h, 'promo_rule', p.id);
    await syncNow(h, 'promo_code', p.codeIds[0]);

    expect(await rule(p.id)).toMatchObject({ enabled: false, ends_at: '2026-01-01T00:00:00.000Z' });
    expect(await code(p.id, p.codeIds[0])).toMatchObject({ enabled: false, usage_count: 9 });
    const s = await stats(h);
    expect(count(s, 'POST', '/ecommerce/stores/{store_id}/promo-rules')).toBe(0);
    expect(count(s, 'POST', '/ecommerce/stores/{store_id}/promo-rules/{promo_rule_id}/promo-codes')).toBe(0);
    expect(count(s, 'PATCH', '/ecommerce/stores/{store_id}/promo-rules/{promo_rule_id}')).toBe(1);
    expect(count(s, 'PATCH', '/ecommerce/stores/{store_id}/promo-rules/{promo_rule_id}/promo-codes/{promo_code_id}')).toBe(1);
  });

  it('makes no write when unchanged promotions are synced again', async () => {
    const p = await shop.promotion(h.t.db, {}, [{ code: 'STILL' }]);
    await syncNow(h, 'promo_code', p.codeIds[0]);
    await resetStats(h);
    await expect(syncNow(h, 'promo_rule', p.id)).resolves.toMatchObject({ status: 'unchanged' });
    await expect(syncNow(h, 'promo_code', p.codeIds[0])).resolves.toMatchObject({ status: 'unchanged' });
    expect(writes(await stats(h))).toEqual({});
  });

  it('deletes a deleted code and keeps its rule', async () => {
    const p = await shop.promotion(h.t.db, {}, [{ code: 'KEEP' }, { code: 'DROP' }]);
    await syncNow(h, 'promo_code', p.codeIds[0]);
    await syncNow(h, 'promo_code', p.codeIds[1]);
    await h.t.db('promo_codes').where({ id: p.codeIds[1] }).delete();

    await expect(syncNow(h, 'promo_code', p.codeIds[1])).resolves.toMatchObject({ status: 'deleted' });

    expect(await code(p.id, p.codeIds[1])).toBeNull();
    expect(await code(p.id, p.codeIds[0])).not.toBeNull();
    expect(await rule(p.id)).not.toBeNull();
    expect(await syncState(h, 'promo_code', p.codeIds[1])).toMatchObject({ status: 'deleted' });
  });

  it('deletes a deleted promotion and its codes, whichever is synced first', async () => {
    const p = await shop.promotion(h.t.db, {}, [{ code: 'GONE-A' }, { code: 'GONE-B' }]);
    await syncNow(h, 'promo_code', p.codeIds[0]);
    await syncNow(h, 'promo_code', p.codeIds[1]);
    await h.t.db('promo_codes').where({ promotion_id: p.id }).delete();
    await h.t.db('promotions').where({ id: p.id }).delete();

    await expect(syncNow(h, 'promo_code', p.codeIds[0])).resolves.toMatchObject({ status: 'deleted' });
    await expect(syncNow(h, 'promo_rule', p.id)).resolves.toMatchObject({ status: 'deleted' });
    await expect(syncNow(h, 'promo_code', p.codeIds[1])).resolves.toMatchObject({ status: 'deleted' });

    expect(await rule(p.id)).toBeNull();
    expect(await code(p.id, p.codeIds[0])).toBeNull();
    expect(await code(p.id, p.codeIds[1])).toBeNull();
    expect(await syncState(h, 'promo_rule', p.id)).toMatchObject({ status: 'deleted' });
    expect(await syncState(h, 'promo_code', p.codeIds[1])).toMatchObject({ status: 'deleted' });
  });

  it('moves a code that now belongs to another promotion', async () => {
    const first = await shop.promotion(h.t.db, {}, [{ code: 'MOVER' }]);
    const second = await shop.promotion(h.t.db);
    await syncNow(h, 'promo_code', first.codeIds[0]);
    await h.t.db('promo_codes').where({ id: first.codeIds[0] }).update({ promotion_id: second.id });

    await syncNow(h, 'promo_code', first.codeIds[0]);

    expect(await code(second.id, first.codeIds[0])).toMatchObject({ code: 'MOVER' });
    expect(await code(first.id, first.codeIds[0])).toBeNull();
  });
});
