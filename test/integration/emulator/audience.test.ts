import { createHash } from 'node:crypto';
import { boot, LIST_ID, sampleCustomer, sampleOrder, sampleProduct, sampleStore, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await boot();
});
afterAll(async () => h.emu.close());
beforeEach(async () => {
  await h.control.post('/_emulator/reset', {});
});

const M = `/lists/${LIST_ID}/members`;
const hash = (email: string) => createHash('md5').update(email.toLowerCase()).digest('hex');
const S = '/ecommerce/stores/shop1';

describe('lists', () => {
  it('one audience exists at start with double_optin false', async () => {
    const res = await h.api.get(`/lists/${LIST_ID}`);
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ id: LIST_ID, double_optin: false });
    expect((await h.api.get('/lists')).data.total_items).toBe(1);
    expect((await h.api.get('/lists/zzz')).status).toBe(404);
  });

  it('double_optin can be changed by the control route', async () => {
    const res = await h.control.post(`/_emulator/lists/${LIST_ID}/settings`, { double_optin: true });
    expect(res.status).toBe(200);
    expect((await h.api.get(`/lists/${LIST_ID}`)).data.double_optin).toBe(true);
  });

  it('startEmulator({doubleOptIn}) and listId configure the initial audience', async () => {
    const other = await boot({ doubleOptIn: true, listId: 'other12345' });
    try {
      expect((await other.api.get('/lists/other12345')).data.double_optin).toBe(true);
      expect((await other.api.get(`/lists/${LIST_ID}`)).status).toBe(404);
    } finally {
      await other.emu.close();
    }
  });
});

describe('members', () => {
  it('POST creates; a second POST answers Member Exists', async () => {
    const created = await h.api.post(M, { email_address: 'Ann@Example.com', status: 'subscribed', merge_fields: { FNAME: 'Ann' } });
    expect(created.status).toBe(200);
    expect(created.data).toMatchObject({ id: hash('ann@example.com'), status: 'subscribed', source: 'api-member', list_id: LIST_ID });
    expect(created.data.merge_fields.FNAME).toBe('Ann');
    const again = await h.api.post(M, { email_address: 'ann@example.com', status: 'subscribed' });
    expect(again.status).toBe(400);
    expect(again.data.title).toBe('Member Exists');
  });

  it('GET by md5 of the lowercased email or by the raw email', async () => {
    await h.api.post(M, { email_address: 'Bob@Example.com', status: 'transactional' });
    expect((await h.api.get(`${M}/${hash('bob@example.com')}`)).data.email_address).toBe('Bob@Example.com');
    expect((await h.api.get(`${M}/${encodeURIComponent('BOB@example.com')}`)).data.status).toBe('transactional');
    expect((await h.api.get(`${M}/${hash('nobody@example.com')}`)).status).toBe(404);
  });

  it('PUT needs email_address and status_if_new only for a new member', async () => {
    const h1 = hash('c@example.com');
    const missing = await h.api.put(`${M}/${h1}`, { status: 'subscribed' });
    expect(missing.status).toBe(400);
    expect(missing.data.title).toBe('Invalid Resource');
    const created = await h.api.put(`${M}/${h1}`, { email_address: 'c@example.com', status_if_new: 'pending' });
    expect(created.data.status).toBe('pending');
    // existing: status_if_new ignored, status applies, no email needed
    const ignored = await h.api.put(`${M}/${h1}`, { email_address: 'c@example.com', status_if_new: 'subscribed' });
    expect(ignored.data.status).toBe('pending');
    const changed = await h.api.put(`${M}/${h1}`, { status: 'unsubscribed', merge_fields: { LNAME: 'C' } });
    expect(changed.status).toBe(200);
    expect(changed.data).toMatchObject({ status: 'unsubscribed', merge_fields: expect.objectContaining({ LNAME: 'C' }) });
  });

  it('PATCH cannot set transactional; it updates status and fields', async () => {
    await h.api.post(M, { email_address: 'd@example.com', status: 'subscribed' });
    const bad = await h.api.patch(`${M}/${hash('d@example.com')}`, { status: 'transactional' });
    expect(bad.status).toBe(400);
    const ok = await h.api.patch(`${M}/${hash('d@example.com')}`, { status: 'unsubscribed' });
    expect(ok.data.status).toBe('unsubscribed');
    expect((await h.api.patch(`${M}/${hash('zz@example.com')}`, { status: 'unsubscribed' })).status).toBe(404);
  });

  it('DELETE archives the member (204)', async () => {
    await h.api.post(M, { email_address: 'e@example.com', status: 'subscribed' });
    const res = await h.api.delete(`${M}/${hash('e@example.com')}`);
    expect(res.status).toBe(204);
    expect(res.data).toBe('');
    expect((await h.api.get(`${M}/${hash('e@example.com')}`)).data.status).toBe('archived');
  });

  it('lists members with count/offset and a status filter', async () => {
    for (let i = 0; i < 6; i += 1) await h.api.post(M, { email_address: `m${i}@example.com`, status: i % 2 === 0 ? 'subscribed' : 'transactional' });
    const all = await h.api.get(M, { params: { count: 4, offset: 0 } });
    expect(all.data.members).toHaveLength(4);
    expect(all.data.total_items).toBe(6);
    const subscribed = await h.api.get(M, { params: { status: 'subscribed', count: 2, offset: 1 } });
    expect(subscribed.data.total_items).toBe(3);
    expect(subscribed.data.members.map((m: { email_address: string }) => m.email_address)).toEqual(['m2@example.com', 'm4@example.com']);
  });

  it('tags: POST answers 204 and creates unknown tags; inactive removes', async () => {
    await h.api.post(M, { email_address: 't@example.com', status: 'subscribed' });
    const path = `${M}/${hash('t@example.com')}/tags`;
    const res = await h.api.post(path, { tags: [{ name: 'VIP', status: 'active' }, { name: 'New', status: 'active' }] });
    expect(res.status).toBe(204);
    let tags = await h.api.get(path);
    expect(tags.data.tags.map((t: { name: string }) => t.name)).toEqual(['VIP', 'New']);
    expect(tags.data.total_items).toBe(2);
    await h.api.post(path, { tags: [{ name: 'VIP', status: 'inactive' }] });
    tags = await h.api.get(path);
    expect(tags.data.tags.map((t: { name: string }) => t.name)).toEqual(['New']);
    expect((await h.api.post(path, { tags: [{ name: 'x', status: 'maybe' }] })).status).toBe(400);
  });

  it('a pending member becomes subscribed only when confirmed', async () => {
    await h.api.put(`${M}/${hash('p@example.com')}`, { email_address: 'p@example.com', status_if_new: 'pending' });
    expect((await h.api.get(`${M}/${hash('p@example.com')}`)).data.status).toBe('pending');
    const confirm = await h.control.post(`/_emulator/lists/${LIST_ID}/members/${hash('p@example.com')}/confirm`, {});
    expect(confirm.status).toBe(200);
    expect((await h.api.get(`${M}/${hash('p@example.com')}`)).data.status).toBe('subscribed');
    expect((await h.control.post(`/_emulator/lists/${LIST_ID}/members/${hash('p@example.com')}/confirm`, {})).status).toBe(400);
  });

  it('the unsubscribe control route simulates the contact unsubscribing', async () => {
    await h.api.post(M, { email_address: 'u@example.com', status: 'subscribed' });
    const res = await h.control.post(`/_emulator/lists/${LIST_ID}/members/u%40example.com/unsubscribe`, {});
    expect(res.status).toBe(200);
    expect((await h.api.get(`${M}/${hash('u@example.com')}`)).data.status).toBe('unsubscribed');
  });
});

describe('customers and the audience', () => {
  beforeEach(async () => {
    await h.api.post('/ecommerce/stores', sampleStore('shop1'));
  });
  const member = async (email: string) => (await h.api.get(`${M}/${hash(email)}`)).data;

  it('a new customer with opt_in_status true creates a subscribed member (source api-ecommerce)', async () => {
    await h.api.post(`${S}/customers`, sampleCustomer('c1', 'yes@example.com', true));
    expect(await member('yes@example.com')).toMatchObject({ status: 'subscribed', source: 'api-ecommerce', merge_fields: expect.objectContaining({ FNAME: 'Ada' }) });
  });

  it('a new customer with opt_in_status false creates a transactional member', async () => {
    await h.api.post(`${S}/customers`, sampleCustomer('c1', 'no@example.com', false));
    expect(await member('no@example.com')).toMatchObject({ status: 'transactional', source: 'api-ecommerce' });
  });

  it('never changes the status of a member that existed before', async () => {
    await h.api.post(M, { email_address: 'un@example.com', status: 'unsubscribed' });
    await h.api.post(M, { email_address: 'tx@example.com', status: 'transactional' });
    await h.api.post(`${S}/customers`, sampleCustomer('c1', 'un@example.com', true));
    await h.api.put(`${S}/customers/c2`, sampleCustomer('c2', 'tx@example.com', false));
    await h.api.patch(`${S}/customers/c2`, { opt_in_status: true });
    expect((await member('un@example.com')).status).toBe('unsubscribed');
    // transactional but created by the member API: not upgraded
    expect((await member('tx@example.com')).status).toBe('transactional');
  });

  it('opt_in_status false → true subscribes a transactional member the e-commerce API created', async () => {
    await h.api.post(`${S}/customers`, sampleCustomer('c1', 'up@example.com', false));
    expect((await member('up@example.com')).status).toBe('transactional');
    await h.api.patch(`${S}/customers/c1`, { opt_in_status: true });
    expect((await member('up@example.com')).status).toBe('subscribed');
  });

  it('opt_in_status false → true via PUT also upgrades; with double opt-in it goes to pending', async () => {
    await h.control.post(`/_emulator/lists/${LIST_ID}/settings`, { double_optin: true });
    await h.api.put(`${S}/customers/c1`, sampleCustomer('c1', 'dbl@example.com', false));
    await h.api.put(`${S}/customers/c1`, sampleCustomer('c1', 'dbl@example.com', true));
    expect((await member('dbl@example.com')).status).toBe('pending');
  });

  it('true → false never changes anything', async () => {
    await h.api.post(`${S}/customers`, sampleCustomer('c1', 'keep@example.com', true));
    await h.api.patch(`${S}/customers/c1`, { opt_in_status: false });
    expect((await member('keep@example.com')).status).toBe('subscribed');
  });

  it('does not re-subscribe an e-commerce member that has unsubscribed', async () => {
    await h.api.post(`${S}/customers`, sampleCustomer('c1', 'gone@example.com', true));
    await h.control.post(`/_emulator/lists/${LIST_ID}/members/${hash('gone@example.com')}/unsubscribe`, {});
    await h.api.patch(`${S}/customers/c1`, { opt_in_status: false });
    await h.api.patch(`${S}/customers/c1`, { opt_in_status: true });
    expect((await member('gone@example.com')).status).toBe('unsubscribed');
  });

  it("an order's inline customer creates the customer and the member the same way", async () => {
    await h.api.post(`${S}/products`, sampleProduct('p1'));
    await h.api.post(`${S}/orders`, sampleOrder('o1', { id: 'c9', email_address: 'inline@example.com', opt_in_status: true }));
    expect((await h.api.get(`${S}/customers/c9`)).data.opt_in_status).toBe(true);
    expect(await member('inline@example.com')).toMatchObject({ status: 'subscribed', source: 'api-ecommerce' });
    await h.api.post(`${S}/orders`, sampleOrder('o2', { id: 'c10', email_address: 'inline2@example.com' }));
    expect((await member('inline2@example.com')).status).toBe('transactional');
    await h.api.post(`${S}/orders`, sampleOrder('o3', { id: 'c10', opt_in_status: true }));
    expect((await member('inline2@example.com')).status).toBe('subscribed');
  });
});
