import { WorkflowFailedError } from '@temporalio/client';
import { createAudienceKnowledge } from '../../../db/sync-state';
import { customerIdForEmail } from '../../../mapping/ids';
import { entityWorkflowId, optInConfirmed, searchAttributesFor } from '../../../workflows/contract';
import { customerSyncWorkflow, type ConsentOutcome } from '../../../workflows/customer-sync';
import * as shop from '../../support/shop';
import { remote, startSyncHarness, type SyncHarness } from '../../support/sync-harness';
import { notify, resync, storePath, syncState, waitFor } from '../../support/sync-steps';

interface CustomerResult {
  outcome: { status: string } | null;
  consent: ConsentOutcome;
}

describe('customer sync and the consent rules (customer workflows → emulator)', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
    await resync(h); // empty shop: creates the Mailchimp store
  });
  afterAll(() => h.stop());
  afterEach(async () => {
    await shop.settings(h.t.db); // always_opt_in back on
    await setDoubleOptIn(false);
  });

  async function setDoubleOptIn(on: boolean): Promise<void> {
    const res = await h.http.post(`/_emulator/lists/${h.config.listId}/settings`, { double_optin: on });
    if (res.status !== 200) throw new Error(`double_optin → ${res.status}`);
  }

  async function syncCustomer(email: string): Promise<CustomerResult> {
    const workflowId = await notify(h, 'customer', customerIdForEmail(email));
    return (await h.client.workflow.getHandle(workflowId).result()) as CustomerResult;
  }

  const member = (email: string) => remote<{ status: string }>(h, `/lists/${h.config.listId}/members/${customerIdForEmail(email)}`);
  const customer = (email: string) => remote<{ opt_in_status: boolean; email_address: string }>(h, storePath(h, `/customers/${customerIdForEmail(email)}`));
  const audienceRow = async (email: string) => (await createAudienceKnowledge(h.t.db, h.config.listId).member(customerIdForEmail(email))) ?? undefined;

  async function addMember(email: string, status: 'subscribed' | 'unsubscribed'): Promise<void> {
    const res = await h.http.post(`/3.0/lists/${h.config.listId}/members`, { email_address: email, status });
    if (res.status !== 200) throw new Error(`member POST → ${res.status} ${JSON.stringify(res.data)}`);
  }

  it('subscribes a new contact who opted in when always_opt_in is on and the audience has no double opt-in', async () => {
    const u = await shop.user(h.t.db, { email: 'opted.in@example.com', marketing_opt_in: true });
    await expect(syncCustomer(u.email)).resolves.toMatchObject({ consent: 'not-needed', outcome: { status: 'synced' } });
    expect(await member(u.email)).toMatchObject({ status: 'subscribed' });
    expect(await customer(u.email)).toMatchObject({ opt_in_status: true, email_address: 'opted.in@example.com' });
    expect(await syncState(h, 'customer', customerIdForEmail(u.email))).toMatchObject({ status: 'synced' });
  });

  it('adds a contact without consent as transactional', async () => {
    const u = await shop.user(h.t.db, { email: 'no.consent@example.com', marketing_opt_in: false });
    await syncCustomer(u.email);
    expect(await member(u.email)).toMatchObject({ status: 'transactional' });
    expect(await customer(u.email)).toMatchObject({ opt_in_status: false });
  });

  it('adds a guest (who cannot give consent) as transactional', async () => {
    const p = await shop.product(h.t.db);
    await shop.order(h.t.db, { guest_email: ' Guest.Buyer@Example.org', guest_first_name: 'Gus' }, [{ product_id: p.id }]);
    await syncCustomer('guest.buyer@example.org');
    expect(await member('guest.buyer@example.org')).toMatchObject({ status: 'transactional' });
    expect(await customer('guest.buyer@example.org')).toMatchObject({ opt_in_status: false, email_address: 'guest.buyer@example.org' });
  });

  it('adds a consenting contact as transactional when always_opt_in is off', async () => {
    await shop.settings(h.t.db, { always_opt_in: '0' });
    const u = await shop.user(h.t.db, { email: 'consent.no.always@example.com', marketing_opt_in: true });
    await syncCustomer(u.email);
    expect(await member(u.email)).toMatchObject({ status: 'transactional' });
    expect(await customer(u.email)).toMatchObject({ opt_in_status: false });
  });

  it('never resubscribes an existing unsubscribed member, even when the shop has their consent', async () => {
    const u = await shop.user(h.t.db, { email: 'left.us@example.com', marketing_opt_in: true });
    await addMember(u.email, 'unsubscribed');
    await syncCustomer(u.email);
    expect(await member(u.email)).toMatchObject({ status: 'unsubscribed' });
    expect(await customer(u.email)).toMatchObject({ opt_in_status: false });

    // A later change of the customer (another sync) does not resubscribe them either.
    await h.t.db('users').where({ id: u.id }).update({ first_name: 'Changed' });
    await syncCustomer(u.email);
    expect(await member(u.email)).toMatchObject({ status: 'unsubscribed' });
  });

  it('never downgrades an existing subscriber, even when the shop has no consent', async () => {
    const u = await shop.user(h.t.db, { email: 'fan@example.com', marketing_opt_in: false });
    await addMember(u.email, 'subscribed');
    await syncCustomer(u.email);
    expect(await member(u.email)).toMatchObject({ status: 'subscribed' });
    expect(await customer(u.email)).toMatchObject({ opt_in_status: true });
  });

  it('does not subscribe a contact who unsubscribed after the first sync when their consent changes in the shop', async () => {
    const u = await shop.user(h.t.db, { email: 'changed.mind@example.com', marketing_opt_in: true });
    await syncCustomer(u.email);
    expect(await member(u.email)).toMatchObject({ status: 'subscribed' });
    const res = await h.http.post(`/_emulator/lists/${h.config.listId}/members/${customerIdForEmail(u.email)}/unsubscribe`, {});
    expect(res.status).toBe(200);
    await h.t.db('users').where({ id: u.id }).update({ last_name: 'Again' });
    await syncCustomer(u.email);
    expect(await member(u.email)).toMatchObject({ status: 'unsubscribed' });
  });

  describe('double opt-in audience', () => {
    beforeEach(() => setDoubleOptIn(true));

    async function waitUntilPending(email: string): Promise<void> {
      await waitFor(`${email} pending in the audience, and its customer sent`, async () =>
        (await member(email))?.status === 'pending' && (await customer(email)) !== null && (await audienceRow(email)) !== undefined);
    }

    async function confirmInEmulator(email: string): Promise<void> {
      const res = await h.http.post(`/_emulator/lists/${h.config.listId}/members/${customerIdForEmail(email)}/confirm`, {});
      if (res.status !== 200) throw new Error(`confirm → ${res.status} ${JSON.stringify(res.data)}`);
    }

    function startCustomerWorkflow(email: string, options: { optInTimeout?: string; pollInterval?: string }) {
      const hash = customerIdForEmail(email);
      return h.client.workflow.start(customerSyncWorkflow, {
        workflowId: entityWorkflowId(h.config.storeId, 'customer', hash),
        taskQueue: h.config.taskQueue,
        args: [{ storeId: h.config.storeId, emailHash: hash, ...options }],
        typedSearchAttributes: searchAttributesFor(h.config.storeId, 'customer', hash),
      });
    }

    it('creates a pending member, keeps the customer transactional, and records the confirmation signalled by the webhook', async () => {
      const u = await shop.user(h.t.db, { email: 'double.signal@example.com', marketing_opt_in: true });
      const workflowId = await notify(h, 'customer', customerIdForEmail(u.email));
      await waitUntilPending(u.email);
      expect(await customer(u.email)).toMatchObject({ opt_in_status: false });
      expect(await audienceRow(u.email)).toMatchObject({ status: 'pending' });

      await confirmInEmulator(u.email);
      const handle = h.client.workflow.getHandle(workflowId);
      await handle.signal(optInConfirmed);

      await expect(handle.result()).resolves.toMatchObject({ consent: 'subscribed' });
      expect(await audienceRow(u.email)).toMatchObject({ status: 'subscribed' });
      expect(await member(u.email)).toMatchObject({ status: 'subscribed' });
      // Confirmed, the customer is sent again as a fresh sync of a subscribed member sends it.
      expect(await customer(u.email)).toMatchObject({ opt_in_status: true });
    });

    it('finds the confirmation by polling the member when no signal comes', async () => {
      const u = await shop.user(h.t.db, { email: 'double.poll@example.com', marketing_opt_in: true });
      const handle = await startCustomerWorkflow(u.email, { pollInterval: '1s' });
      await waitUntilPending(u.email);
      await confirmInEmulator(u.email);

      await expect(handle.result()).resolves.toMatchObject({ consent: 'subscribed' });
      expect(await audienceRow(u.email)).toMatchObject({ status: 'subscribed' });
      expect(await customer(u.email)).toMatchObject({ opt_in_status: true });
    });

    it('records the expiry when the deadline passes without a confirmation; the contact stays pending and transactional', async () => {
      const u = await shop.user(h.t.db, { email: 'double.late@example.com', marketing_opt_in: true });
      const handle = await startCustomerWorkflow(u.email, { optInTimeout: '3s', pollInterval: '1s' });

      await expect(handle.result()).resolves.toMatchObject({ consent: 'expired' });
      expect(await audienceRow(u.email)).toMatchObject({ status: 'pending-expired' });
      expect(await member(u.email)).toMatchObject({ status: 'pending' });
      expect(await customer(u.email)).toMatchObject({ opt_in_status: false });
    });

    it('does not ask an existing member again: only new contacts get a pending member', async () => {
      const u = await shop.user(h.t.db, { email: 'already.there@example.com', marketing_opt_in: true });
      await addMember(u.email, 'unsubscribed');
      await expect(syncCustomer(u.email)).resolves.toMatchObject({ consent: 'not-needed' });
      expect(await member(u.email)).toMatchObject({ status: 'unsubscribed' });
    });
  });

  it('fails the workflow with the reason when the email is invalid', async () => {
    const u = await shop.user(h.t.db, { email: 'not an email' });
    const err = await syncCustomer(u.email).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect((err as WorkflowFailedError).cause?.message).toMatch(/not a valid address/);
  });
});
