import { createHash } from 'node:crypto';
import { boot, LIST_ID, Receiver, sampleCustomer, sampleStore, until, type Harness } from './helpers';

let h: Harness;
let rx: Receiver;
beforeAll(async () => {
  h = await boot();
  rx = await new Receiver().start();
});
afterAll(async () => {
  await h.emu.close();
  await rx.stop();
});
beforeEach(async () => {
  await h.control.post('/_emulator/reset', {});
  rx.requests.length = 0;
  rx.status = 200;
});

const W = `/lists/${LIST_ID}/webhooks`;
const M = `/lists/${LIST_ID}/members`;
const hash = (email: string) => createHash('md5').update(email.toLowerCase()).digest('hex');
const ctl = (email: string, action: string, body: Record<string, unknown> = {}) =>
  h.control.post(`/_emulator/lists/${LIST_ID}/members/${hash(email)}/${action}`, body);
const allSources = { user: true, admin: true, api: true };
const flush = () => h.control.post('/_emulator/webhooks/flush', {});

describe('webhook management', () => {
  it('validates the URL with a GET from the Mailchimp validator', async () => {
    const res = await h.api.post(W, { url: rx.url, events: { subscribe: true }, sources: { user: true } });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ url: rx.url, list_id: LIST_ID, events: expect.objectContaining({ subscribe: true }), sources: expect.objectContaining({ user: true, api: false }) });
    const get = rx.requests.find((r) => r.method === 'GET');
    expect(get?.headers['user-agent']).toBe('MailChimp.com WebHook Validator');
    expect(get?.url).toBe('/hook?secret=s3');
  });

  it('refuses a URL whose check does not answer 2xx', async () => {
    rx.status = 404;
    const res = await h.api.post(W, { url: rx.url });
    expect(res.status).toBe(400);
    expect(res.data.title).toBe('Invalid Resource');
    expect(res.data.errors[0].field).toBe('url');
    const unreachable = await h.api.post(W, { url: 'http://127.0.0.1:1/hook' });
    expect(unreachable.status).toBe(400);
  });

  it('GET, list, PATCH, DELETE', async () => {
    const { data } = await h.api.post(W, { url: rx.url });
    expect((await h.api.get(`${W}/${data.id}`)).data.url).toBe(rx.url);
    expect((await h.api.get(W)).data.webhooks).toHaveLength(1);
    const patched = await h.api.patch(`${W}/${data.id}`, { events: { profile: false }, sources: { api: true } });
    expect(patched.data.events.profile).toBe(false);
    expect(patched.data.sources.api).toBe(true);
    expect((await h.api.delete(`${W}/${data.id}`)).status).toBe(204);
    expect((await h.api.get(`${W}/${data.id}`)).status).toBe(404);
  });
});

describe('webhook events', () => {
  async function hook(events: Record<string, boolean> = {}, sources: Record<string, boolean> = allSources): Promise<void> {
    const res = await h.api.post(W, { url: rx.url, events, sources });
    expect(res.status).toBe(200);
  }

  it('subscribe: a form post with the documented fields (API source)', async () => {
    await hook();
    await h.api.post(M, { email_address: 'Sub@Example.com', status: 'subscribed', merge_fields: { FNAME: 'Sue', LNAME: 'B' } });
    const post = await until(() => rx.posts('subscribe')[0]);
    expect(post.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const f = post.form;
    expect(f.get('fired_at')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(f.get('data[id]')).toBe(hash('sub@example.com'));
    expect(f.get('data[email]')).toBe('Sub@Example.com');
    expect(f.get('data[email_type]')).toBe('html');
    expect(f.get('data[list_id]')).toBe(LIST_ID);
    expect(f.get('data[merges][FNAME]')).toBe('Sue');
    expect(f.get('data[merges][LNAME]')).toBe('B');
  });

  it('confirming a pending member fires subscribe with source user', async () => {
    await hook({}, { user: true, admin: false, api: false });
    await h.api.post(M, { email_address: 'pend@example.com', status: 'pending' });
    await ctl('pend@example.com', 'confirm');
    const post = await until(() => rx.posts('subscribe')[0]);
    expect(post.form.get('data[email]')).toBe('pend@example.com');
  });

  it('unsubscribe carries data[action] and data[reason]', async () => {
    await hook();
    await h.api.post(M, { email_address: 'un@example.com', status: 'subscribed' });
    await ctl('un@example.com', 'unsubscribe');
    const post = await until(() => rx.posts('unsubscribe')[0]);
    expect(post.form.get('data[action]')).toBe('unsub');
    expect(post.form.get('data[reason]')).toBe('manual');
    expect(post.form.get('data[email]')).toBe('un@example.com');
    expect(post.form.get('data[list_id]')).toBe(LIST_ID);
  });

  it('profile, cleaned and upemail', async () => {
    await hook();
    await h.api.post(M, { email_address: 'old@example.com', status: 'subscribed' });
    await ctl('old@example.com', 'profile', { merge_fields: { FNAME: 'Newname' } });
    const profile = await until(() => rx.posts('profile')[0]);
    expect(profile.form.get('data[merges][FNAME]')).toBe('Newname');
    await ctl('old@example.com', 'change-email', { new_email: 'new@example.com' });
    const up = await until(() => rx.posts('upemail')[0]);
    expect(up.form.get('data[old_email]')).toBe('old@example.com');
    expect(up.form.get('data[new_email]')).toBe('new@example.com');
    expect(up.form.get('data[new_id]')).toBe(hash('new@example.com'));
    expect((await h.api.get(`${M}/${hash('new@example.com')}`)).status).toBe(200);
    await ctl('new@example.com', 'clean');
    const cleaned = await until(() => rx.posts('cleaned')[0]);
    expect(cleaned.form.get('data[email]')).toBe('new@example.com');
    expect(cleaned.form.get('data[reason]')).toBe('hard');
    expect((await h.api.get(`${M}/${hash('new@example.com')}`)).data.status).toBe('cleaned');
  });

  it('API member writes fire with source api: profile via PATCH, unsubscribe via PATCH', async () => {
    await hook();
    await h.api.post(M, { email_address: 'api@example.com', status: 'subscribed' });
    await h.api.patch(`${M}/${hash('api@example.com')}`, { merge_fields: { FNAME: 'X' } });
    await h.api.patch(`${M}/${hash('api@example.com')}`, { status: 'unsubscribed' });
    await until(() => rx.posts('unsubscribe')[0]);
    expect(rx.posts('profile')).toHaveLength(1);
  });

  it('honours the sources flags', async () => {
    await hook({}, { user: true, admin: true, api: false });
    await h.api.post(M, { email_address: 'src@example.com', status: 'subscribed' });
    await h.api.patch(`${M}/${hash('src@example.com')}`, { status: 'unsubscribed' });
    await h.api.patch(`${M}/${hash('src@example.com')}`, { status: 'subscribed' });
    await ctl('src@example.com', 'unsubscribe');
    await until(() => rx.posts('unsubscribe')[0]);
    await flush();
    expect(rx.posts('subscribe')).toHaveLength(0);
    expect(rx.posts('unsubscribe')).toHaveLength(1);
  });

  it('honours the events flags', async () => {
    await hook({ subscribe: false, unsubscribe: true });
    await h.api.post(M, { email_address: 'ev@example.com', status: 'subscribed' });
    await ctl('ev@example.com', 'unsubscribe');
    await until(() => rx.posts('unsubscribe')[0]);
    await flush();
    expect(rx.posts('subscribe')).toHaveLength(0);
  });

  it('e-commerce customer creation subscribing a member fires subscribe (source api)', async () => {
    await hook();
    await h.api.post('/ecommerce/stores', sampleStore('shop1'));
    await h.api.post('/ecommerce/stores/shop1/customers', sampleCustomer('c1', 'shopper@example.com', true));
    const post = await until(() => rx.posts('subscribe')[0]);
    expect(post.form.get('data[email]')).toBe('shopper@example.com');
  });
});
