import { createShopDbSource } from '../../../source/shop-db';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import * as shop from '../../support/shop';

/** The bulk reads of the backfill pages answer exactly what the single reads answer for every id they find. */
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.destroy();
});

test('promotions and promo codes: one read for many ids, the same rows as the single reads; missing ids are left out', async () => {
  const source = createShopDbSource(t.db);
  const a = await shop.promotion(t.db, { enabled: false }, [{ code: 'BULK-A1' }, { code: 'BULK-A2', enabled: false }]);
  const b = await shop.promotion(t.db, { discount_type: 'fixed', amount: '5.00' }, [{ code: 'BULK-B1' }]);
  const promotionIds = [String(a.id), String(b.id), '999999'];
  const codeIds = [...a.codeIds, ...b.codeIds].map(String).concat('999998');

  const promotions = await source.promotions?.(promotionIds);
  const codes = await source.promoCodes?.(codeIds);
  expect([...(promotions?.keys() ?? [])].sort()).toEqual(promotionIds.slice(0, 2).sort());
  expect([...(codes?.keys() ?? [])].sort()).toEqual(codeIds.slice(0, 3).sort());
  for (const id of promotionIds.slice(0, 2)) expect(promotions?.get(id)).toEqual(await source.promotion(id));
  for (const id of codeIds.slice(0, 3)) expect(codes?.get(id)).toEqual(await source.promoCode(id));
  expect(await source.promotions?.([])).toEqual(new Map());
});
