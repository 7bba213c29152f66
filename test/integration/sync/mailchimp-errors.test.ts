import { customerIdForEmail } from '../../../mapping/ids';
import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { notify, resync, stats, storePath, syncState, waitFor } from '../../support/sync-steps';

/**
 * Mailchimp's harder answers, as the emulator models them (docs/emulator.md), and what the sync does with each:
 * forgotten and compliance-state members, 429/403 with no body, calls the server cuts off after its timeout.
 */
describe('the sync against Mailchimp error answers', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
    await resync(h);
  });
  afterAll(() => h?.stop());
  afterEach(async () => {
    await h.http.post('/_emulator/config', { faults: { bodiless429Rate: 0, bodiless403Rate: 0, hangRate: 0, serverTimeoutMs: 120_000 } });
  });

  const member = (email: string) => remote<{ status: string }>(h, `/lists/${h.config.listId}/members/${customerIdForEmail(email)}`);
  const memberAction = async (email: string, action: string) => {
    const res = await h.http.post(`/_emulator/lists/${h.config.listId}/members/${customerIdForEmail(email)}/${action}`, {});
    if (res.status !== 200) throw new Error(`${action} → ${res.status} ${JSON.stringify(res.data)}`);
  };
  const finished = async (email: string) => {
    const id = customerIdForEmail(email);
    await notify(h, 'customer', id);
    return waitFor(`customer ${email} handled`, async () => {
      const row = await syncState(h, 'customer', id);
      return row && (row.status === 'synced' || row.status === 'failed') ? row : null;
    });
  };

  it('a forgotten (permanently deleted) address fails only that customer, with the reason, and is never re-added', async () => {
    const gone = await shop.user(h.t.db, { email: 'forgotten@example.com', marketing_opt_in: true });
    const fine = await shop.user(h.t.db, { email: 'still-here@example.com', marketing_opt_in: true });
    const put = await h.http.put(`/3.0/lists/${h.config.listId}/members/${customerIdForEmail(gone.email)}`, { email_address: gone.email, status_if_new: 'subscribed' });
    expect(put.status).toBe(200);
    await memberAction(gone.email, 'forget');
    expect(await member(gone.email)).toBeNull();

    const failed = await finished(gone.email);
    expect(failed.status).toBe('failed');
    expect(failed.error_reason).toMatch(/permanently deleted/);
    expect(await member(gone.email)).toBeNull();
    expect(await remote(h, storePath(h, `/customers/${customerIdForEmail(gone.email)}`))).toBeNull();

    expect((await finished(fine.email)).status).toBe('synced');
    expect((await member(fine.email))?.status).toBe('subscribed');
  });

  it('a member in compliance state is never subscribed by the sync, even after the shop records consent', async () => {
    const u = await shop.user(h.t.db, { email: 'compliance@example.com', marketing_opt_in: false });
    expect((await finished(u.email)).status).toBe('synced');
    expect((await member(u.email))?.status).toBe('transactional');
    await memberAction(u.email, 'compliance');
    await h.t.db('users').where({ id: u.id }).update({ marketing_opt_in: 1 });
    const before = await stats(h);
    const row = await finished(u.email);
    expect(row.status).toBe('synced');
    expect((await member(u.email))?.status).toBe('transactional');
    const after = await stats(h);
    const refused = (after.byStatus?.['400'] ?? 0) - (before.byStatus?.['400'] ?? 0);
    expect(refused).toBe(0);
  });

  it('429 and 403 answers with no body at all are throttling: retried with backoff until everything is sent', async () => {
    for (let i = 0; i < 8; i += 1) await shop.product(h.t.db, { code: `BODILESS-${i}`, title: `Bodiless ${i}` }, [{ sku: `BODILESS-${i}-A`, price: '5.00' }]);
    await h.http.post('/_emulator/config', { seed: 7, faults: { bodiless429Rate: 0.1, bodiless403Rate: 0.1 } });
    await resync(h, 'products');
    await h.http.post('/_emulator/config', { faults: { bodiless429Rate: 0, bodiless403Rate: 0 } });
    const after = await stats(h);
    expect((after.byStatus?.['429'] ?? 0) + (after.byStatus?.['403'] ?? 0)).toBeGreaterThan(0);
    for (let i = 0; i < 8; i += 1) {
      const product = await remote<{ variants: Array<{ id: string }> }>(h, storePath(h, `/products/BODILESS-${i}`));
      expect(product?.variants.map((v) => v.id)).toEqual([`BODILESS-${i}-A`]);
    }
    const failed = await h.t.db('mc_sync_state').where({ store_id: h.config.storeId, status: 'failed', entity_type: 'product' }).count('* as n').first();
    expect(Number((failed as { n: number }).n)).toBe(0);
  });

  it('a call the server holds past its timeout is cut off with no answer; the sync retries and sends everything once', async () => {
    for (let i = 0; i < 4; i += 1) await shop.product(h.t.db, { code: `HELD-${i}`, title: `Held ${i}` }, [{ sku: `HELD-${i}-A`, price: '7.00' }]);
    await h.http.post('/_emulator/config', { seed: 11, faults: { hangRate: 0.3, hangMs: 60_000, serverTimeoutMs: 500 } });
    await resync(h, 'products');
    await h.http.post('/_emulator/config', { faults: { hangRate: 0 } });
    const after = await stats(h);
    expect(after.byStatus?.reset ?? 0).toBeGreaterThan(0);
    for (let i = 0; i < 4; i += 1) expect(await remote(h, storePath(h, `/products/HELD-${i}`))).not.toBeNull();
  });
});
