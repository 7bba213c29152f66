import { patchStore, planFix, removeExtra } from '../../../client/reconcile/fix';
import type { MailchimpClient } from '../../../mailchimp';
import { settings } from '../mapping/fixtures';

/** A Mailchimp client that records the calls it gets. */
function recorder(): { client: MailchimpClient; calls: Array<[string, ...unknown[]]> } {
  const calls: Array<[string, ...unknown[]]> = [];
  const client = new Proxy({}, {
    get: (_target, name: string) => async (...args: unknown[]) => {
      calls.push([name, ...args]);
      return {};
    },
  }) as MailchimpClient;
  return { client, calls };
}

describe('--fix deletes each kind of extra through the Mailchimp client', () => {
  it('an entity by its Mailchimp id, a promo code under its rule, a variant of its product, a line of its order', async () => {
    const { client, calls } = recorder();
    const plan = planFix([
      { type: 'product', kind: 'extra', id: 'OLD' },
      { type: 'product', kind: 'extra', id: 'MUG', entityId: '1', part: { kind: 'variant', id: 'GHOST' } },
      { type: 'order', kind: 'extra', id: 'SO-1', entityId: '2', part: { kind: 'line', id: 'l9' } },
      { type: 'order', kind: 'extra', id: 'SO-9' },
      { type: 'customer', kind: 'extra', id: 'c0ffee' },
      { type: 'promo_rule', kind: 'extra', id: '34' },
      { type: 'promo_code', kind: 'extra', id: '33/ghost-code' },
    ]);
    for (const r of plan.remove) await removeExtra(client, 'shop1', r);
    expect(calls).toEqual([
      ['deleteOrderLine', 'shop1', 'SO-1', 'l9'],
      ['deleteOrder', 'shop1', 'SO-9'],
      ['deletePromoCode', 'shop1', '33', 'ghost-code'],
      ['deletePromoRule', 'shop1', '34'],
      ['deleteVariant', 'shop1', 'MUG', 'GHOST'],
      ['deleteProduct', 'shop1', 'OLD'],
      ['deleteCustomer', 'shop1', 'c0ffee'],
    ]);
  });

  it('the store is PATCHed from the shop settings with the store mapping (never its list), is_syncing cleared on demand', async () => {
    const { client, calls } = recorder();
    expect(await patchStore(client, settings, { storeId: 'shop1', listId: 'l1' })).toBeUndefined();
    expect(calls).toEqual([['updateStore', 'shop1', expect.objectContaining({ name: settings.storeName, domain: 'shop.example.com', currency_code: 'EUR' })]]);
    expect(calls[0][2]).not.toHaveProperty('list_id');
    const stuck = recorder();
    await patchStore(stuck.client, settings, { storeId: 'shop1', listId: 'l1' }, true);
    expect(stuck.calls).toEqual([['updateStore', 'shop1', expect.objectContaining({ name: settings.storeName, is_syncing: false })]]);
    const refused = recorder();
    expect(await patchStore(refused.client, { ...settings, storeName: ' ' }, { storeId: 'shop1', listId: 'l1' })).toMatch(/store_name is empty/);
    expect(refused.calls).toEqual([]);
  });
});
