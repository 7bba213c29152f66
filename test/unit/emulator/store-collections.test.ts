import { defaultConfig } from '../../../emulator/config';
import { EmulatorCore } from '../../../emulator/core';
import { ENTITY_TYPE_INFO } from '../../../mapping/entity-types';

/**
 * A new store of the emulator has an empty collection for every entity type of mapping/entity-types.ts (the store
 * literal of emulator/routes/stores.ts, which cannot import mapping/): a sixth type without its collection fails here.
 */
describe('a new emulator store', () => {
  const LIST = 'list1';
  const core = new EmulatorCore({ listId: LIST, doubleOptIn: false, config: defaultConfig() });
  const call = async (method: string, path: string, body?: unknown) =>
    (await core.dispatch({ method, path, query: {}, rawBody: body === undefined ? undefined : JSON.stringify(body) })).reply;

  beforeAll(async () => {
    expect((await call('POST', '/ecommerce/stores', { id: 's1', list_id: LIST, name: 'Shop', currency_code: 'USD' })).status).toBe(200);
    const rule = { id: 'r1', description: 'Ten off', amount: 10, type: 'fixed', target: 'total' };
    expect((await call('POST', '/ecommerce/stores/s1/promo-rules', rule)).status).toBe(200);
  });

  it.each(ENTITY_TYPE_INFO.map((t) => [t.type, t.remoteCollection] as const))('%s: lists its collection (%s), empty', async (_type, collection) => {
    // Promo codes are listed rule by rule (client/reconcile lists them so).
    const path = collection === 'promo-codes' ? '/ecommerce/stores/s1/promo-rules/r1/promo-codes' : `/ecommerce/stores/s1/${collection}`;
    const reply = await call('GET', path);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ total_items: collection === 'promo-rules' ? 1 : 0 });
  });
});
