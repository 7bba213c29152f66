import fc from 'fast-check';
import { customerIdForEmail, emailHashSql, normaliseEmail } from '../../../mapping/ids';
import { createShopDbSource } from '../../../source/shop-db';
import { createTestDatabase, type TestDatabase } from '../../support/db';

/**
 * The ONE e-mail normalisation of the customer id (mapping/ids.ts): JavaScript's normaliseEmail and its SQL twin
 * emailHashSql agree on every string, and the stored, indexed hashes (mc_email_hashes, kept by triggers) find a user
 * and a guest by the id the sync computes, whatever white space surrounds their address.
 */

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.destroy();
});

/** Edges JavaScript's trim() strips and SQL's TRIM does not, and look-alikes neither strips. */
const EDGES = ['\t', '\n', '\r', '\u000b', '\f', ' ', '\u00a0', '\u1680', '\u2000', '\u2007', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'];
const NOT_EDGES = ['\u200b', '\u0085', '\u180e', 'x', 'İ', 'É', 'ß', '😀', 'A', 'Z'];

const piece = fc.oneof(fc.constantFrom(...EDGES), fc.constantFrom(...NOT_EDGES), fc.string({ unit: 'grapheme', maxLength: 6 }));
const email = fc.tuple(fc.array(piece, { maxLength: 4 }), fc.emailAddress(), fc.array(piece, { maxLength: 4 }))
  .map(([before, address, after]) => `${before.join('')}${address.toUpperCase()}${after.join('')}`);
const anyString = fc.array(piece, { maxLength: 10 }).map((parts) => parts.join(''));

async function sqlHashes(values: readonly string[]): Promise<string[]> {
  const select = values.map(() => `${emailHashSql('?')} AS h`).join(' UNION ALL SELECT ');
  const [rows] = (await t.db.raw(`SELECT ${select}`, [...values])) as [Array<{ h: string }>];
  return rows.map((r) => r.h);
}

test('normaliseEmail strips exactly what trim() strips and lowercases A-Z only', () => {
  fc.assert(fc.property(anyString, (s) => {
    const n = normaliseEmail(s);
    expect(n).toBe(s.trim().replace(/[A-Z]/g, (c) => c.toLowerCase()));
    expect(normaliseEmail(n)).toBe(n);
  }), { numRuns: 500 });
});

test('the SQL twin hashes every string as customerIdForEmail does', async () => {
  await fc.assert(fc.asyncProperty(fc.array(fc.oneof(email, anyString), { minLength: 1, maxLength: 40 }), async (values) => {
    expect(await sqlHashes(values)).toEqual(values.map(customerIdForEmail));
  }), { numRuns: 25 });
});

test('a user and a guest are found by the customer id of their address, through the stored hash, as it changes', async () => {
  const source = createShopDbSource(t.db);
  const now = new Date();
  const [userId] = await t.db('users').insert({ email: '\tAnn@Example.com\u00a0', first_name: 'Ann' });
  const [orderId] = await t.db('orders').insert({
    order_number: 'G-1', user_id: null, guest_email: '\u3000guest@example.COM ', guest_first_name: 'Gus', status: 'paid', currency: 'USD',
    order_total: 10, ordered_at: now,
  });
  const ann = customerIdForEmail('ann@example.com');
  const guest = customerIdForEmail('guest@example.com');
  const found = await source.customers?.([ann, guest]);
  expect(found?.get(ann)).toMatchObject({ isGuest: false, firstName: 'Ann' });
  expect(found?.get(guest)).toMatchObject({ isGuest: true, firstName: 'Gus' });
  expect(await source.guestOrderIdsToSend?.(guest)).toEqual([String(orderId)]);
  expect((await source.changedAfter('customer', null, 10)).map((r) => r.entityId)).toEqual([ann]);

  await t.db('users').where({ id: userId }).update({ email: 'ann.new@example.com' });
  const renamed = customerIdForEmail('ann.new@example.com');
  expect(await source.customer(ann)).toBeNull();
  expect(await source.customer(renamed)).toMatchObject({ email: 'ann.new@example.com' });
  expect([...(await source.existing('customer', [ann, renamed]))]).toEqual([renamed]);

  await t.db('orders').where({ id: orderId }).delete();
  expect(await source.customer(guest)).toBeNull();
  const [left] = (await t.db.raw('SELECT COUNT(*) AS n FROM mc_email_hashes WHERE table_name = ? AND row_id = ?', ['orders', orderId])) as [Array<{ n: number }>];
  expect(Number(left[0].n)).toBe(0);
});
