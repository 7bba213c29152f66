import { differences, freshStores, type FreshStores } from '../../support/fresh-store';
import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { count, resetStats, resync, stats, storePath, syncNow, syncState } from '../../support/sync-steps';

/** Promo rules and codes after later shop changes equal what a fresh full sync of the shop sends into an empty store. */

interface RemoteRule {
  id: string;
  title: string;
  description: string;
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

const RULES = '/ecommerce/stores/{store_id}/promo-rules';
const RULE = `${RULES}/{promo_rule_id}`;

describe('promotion lifecycle: clearing and deletes (incremental = fresh full sync)', () => {
  let h: SyncHarness;
  let fresh: FreshStores;
  beforeAll(async () => {
    h = await startSyncHarness();
    fresh = await freshStores(h);
    await resync(h);
  });
  afterAll(async () => {
    await fresh.stop();
    await h.stop();
  });

  const rule = (id: number) => remote<RemoteRule>(h, storePath(h, `/promo-rules/${id}`));
  const codes = (ruleId: number) => remote<{ promo_codes: RemoteCode[] }>(h, storePath(h, `/promo-rules/${ruleId}/promo-codes?count=1000`));
  const setPromotion = (id: number, values: Record<string, unknown>) => h.t.db('promotions').where({ id }).update(values);

  async function expectLikeFresh(...resources: string[]): Promise<void> {
    const freshId = await fresh.sync();
    expect(await differences(h, freshId, resources)).toEqual([]);
  }

  const dated = { starts_at: new Date('2026-03-01T00:00:00.000Z'), ends_at: new Date('2026-04-01T00:00:00.000Z') };

  it('an end date removed in the shop is removed from the rule, which keeps its codes', async () => {
    const p = await shop.promotion(h.t.db, dated, [{ code: 'ENDLESS1', usage_count: 2 }, { code: 'ENDLESS2' }]);
    for (const c of p.codeIds) await syncNow(h, 'promo_code', c);
    expect(await rule(p.id)).toMatchObject({ ends_at: '2026-04-01T00:00:00.000Z' });

    await setPromotion(p.id, { ends_at: null });
    await resetStats(h);
    await expect(syncNow(h, 'promo_rule', p.id)).resolves.toMatchObject({ status: 'synced' });

    expect(await rule(p.id)).toMatchObject({ starts_at: '2026-03-01T00:00:00.000Z', ends_at: '' });
    expect((await codes(p.id))!.promo_codes.map((c) => [c.code, c.usage_count]).sort()).toEqual([['ENDLESS1', 2], ['ENDLESS2', 0]]);
    const s = await stats(h);
    expect([count(s, 'DELETE', RULE), count(s, 'POST', RULES)]).toEqual([1, 1]);
    expect(await syncState(h, 'promo_rule', p.id)).toMatchObject({ status: 'synced' });
    await expectLikeFresh(`/promo-rules/${p.id}`, `/promo-rules/${p.id}/promo-codes`);
  });

  it('a start date removed in the shop is removed too', async () => {
    const p = await shop.promotion(h.t.db, dated, [{ code: 'NOSTART' }]);
    await syncNow(h, 'promo_code', p.codeIds[0]);
    await setPromotion(p.id, { starts_at: null });
    await syncNow(h, 'promo_rule', p.id);
    expect(await rule(p.id)).toMatchObject({ starts_at: '', ends_at: '2026-04-01T00:00:00.000Z' });
    await expectLikeFresh(`/promo-rules/${p.id}`, `/promo-rules/${p.id}/promo-codes`);
  });

  it('a rule interrupted while being recreated gets its codes back on the next run', async () => {
    const p = await shop.promotion(h.t.db, dated, [{ code: 'RESUME1' }]);
    await syncNow(h, 'promo_code', p.codeIds[0]);
    // What a run that stopped after deleting the rule leaves behind: the rule gone, its state pending.
    await h.t.db('mc_sync_state').where({ store_id: h.config.storeId, entity_type: 'promo_rule', entity_id: String(p.id) }).update({ status: 'pending' });
    await h.mailchimp.deletePromoRule(h.config.storeId, String(p.id));
    await setPromotion(p.id, { ends_at: null });

    await syncNow(h, 'promo_rule', p.id);
    expect(await rule(p.id)).toMatchObject({ ends_at: '' });
    expect((await codes(p.id))!.promo_codes.map((c) => c.code)).toEqual(['RESUME1']);
    await expectLikeFresh(`/promo-rules/${p.id}`, `/promo-rules/${p.id}/promo-codes`);
  });

  it('description, title and enabled emptied or turned off in the shop are sent', async () => {
    const p = await shop.promotion(h.t.db, { title: 'Big sale', description: 'Everything must go' });
    await syncNow(h, 'promo_rule', p.id);
    await setPromotion(p.id, { description: null, enabled: false });
    await syncNow(h, 'promo_rule', p.id);
    expect(await rule(p.id)).toMatchObject({ title: 'Big sale', description: 'Big sale', enabled: false });

    await setPromotion(p.id, { title: '', description: 'Only a description' });
    await syncNow(h, 'promo_rule', p.id);
    expect(await rule(p.id)).toMatchObject({ title: '', description: 'Only a description' });
    await expectLikeFresh(`/promo-rules/${p.id}`);
  });

  it('a code whose usage count, enabled flag and text change is updated (its redemption URL follows the text)', async () => {
    const p = await shop.promotion(h.t.db, {}, [{ code: 'OLDTEXT', usage_count: 9 }]);
    await syncNow(h, 'promo_code', p.codeIds[0]);
    await h.t.db('promo_codes').where({ id: p.codeIds[0] }).update({ code: 'NEWTEXT', usage_count: 0, enabled: false });
    await syncNow(h, 'promo_code', p.codeIds[0]);
    expect((await codes(p.id))!.promo_codes).toEqual([
      expect.objectContaining({ code: 'NEWTEXT', usage_count: 0, enabled: false, redemption_url: 'https://shop.example/cart?promo=NEWTEXT' }),
    ]);
    await expectLikeFresh(`/promo-rules/${p.id}/promo-codes`);
  });

  it('a code deleted from the shop is deleted; a promotion deleted takes its rule and codes away', async () => {
    const p = await shop.promotion(h.t.db, {}, [{ code: 'GONE1' }, { code: 'STAYS1' }]);
    for (const c of p.codeIds) await syncNow(h, 'promo_code', c);

    await h.t.db('promo_codes').where({ id: p.codeIds[0] }).delete();
    await expect(syncNow(h, 'promo_code', p.codeIds[0])).resolves.toMatchObject({ status: 'deleted' });
    expect((await codes(p.id))!.promo_codes.map((c) => c.code)).toEqual(['STAYS1']);
    await expectLikeFresh(`/promo-rules/${p.id}/promo-codes`);

    await h.t.db('promo_codes').where({ promotion_id: p.id }).delete();
    await h.t.db('promotions').where({ id: p.id }).delete();
    await expect(syncNow(h, 'promo_rule', p.id)).resolves.toMatchObject({ status: 'deleted' });
    await expect(syncNow(h, 'promo_code', p.codeIds[1])).resolves.toMatchObject({ status: 'deleted' });
    expect(await rule(p.id)).toBeNull();
    await expectLikeFresh(`/promo-rules/${p.id}`);
  });
});
