import { storePatchSchema, storeSchema } from '../../../mailchimp/schemas';
import { mapStore, normaliseDomain, PLATFORM_NAME, storePatchFrom } from '../../../mapping/store';
import { expectSchemaAccepts, payloadOf, settings } from './fixtures';

const ids = { storeId: 'shop1', listId: 'a1b2c3d4e5' };

describe('mapStore', () => {
  it('maps id, list_id, name, domain, currency_code and a fixed platform', () => {
    const store = payloadOf(mapStore(settings, ids));
    expect(store).toEqual({
      id: 'shop1',
      list_id: 'a1b2c3d4e5',
      name: 'Zoë’s Bäckerei & Café ☕',
      domain: 'shop.example.com',
      currency_code: 'EUR',
      platform: PLATFORM_NAME,
    });
    expectSchemaAccepts(storeSchema, store, 'store');
  });

  it('uppercases the currency and strips scheme and trailing slash from the domain', () => {
    const store = payloadOf(mapStore({ ...settings, storeCurrency: 'usd', storeDomain: 'https://Shop.Example.com/' }, ids));
    expect(store.currency_code).toBe('USD');
    expect(store.domain).toBe('Shop.Example.com');
    expectSchemaAccepts(storeSchema, store, 'store');
  });

  it('leaves the domain out when the setting is empty', () => {
    expect(payloadOf(mapStore({ ...settings, storeDomain: '  ' }, ids))).not.toHaveProperty('domain');
  });

  it.each([
    [{ ...settings, storeName: ' \u0000 ' }, ids, 'The store was not sent: the shop setting store_name is empty', 'name'],
    [{ ...settings, storeCurrency: 'EURO' }, ids, 'The store was not sent: the store currency "EURO" is not a 3-letter ISO 4217 code', 'currency_code'],
    [settings, { storeId: '', listId: 'x' }, 'The store was not sent: MAILCHIMP_STORE_ID is empty', 'id'],
    [settings, { storeId: 's', listId: ' ' }, 'The store was not sent: MAILCHIMP_LIST_ID is empty', 'list_id'],
  ])('fails with a reason: %#', (s, i, reason, field) => {
    expect(mapStore(s, i)).toEqual({ kind: 'invalid', reason, field });
  });
});

describe('storePatchFrom', () => {
  it('drops id and list_id (a store cannot change audience)', () => {
    const patch = storePatchFrom(payloadOf(mapStore(settings, ids)));
    expect(patch).not.toHaveProperty('id');
    expect(patch).not.toHaveProperty('list_id');
    expect(patch).toMatchObject({ name: settings.storeName, currency_code: 'EUR' });
    expectSchemaAccepts(storePatchSchema, patch, 'store patch');
  });

  it('sends a domain the shop cleared as "" (a PATCH keeps what a body leaves out)', () => {
    const patch = storePatchFrom(payloadOf(mapStore({ ...settings, storeDomain: '  ' }, ids)));
    expect(patch.domain).toBe('');
    expectSchemaAccepts(storePatchSchema, patch, 'store patch');
  });
});

describe('normaliseDomain', () => {
  it.each([
    ['shop.example.com', 'shop.example.com'],
    ['https://shop.example.com', 'shop.example.com'],
    ['http://shop.example.com///', 'shop.example.com'],
    ['  shop.example.com/ ', 'shop.example.com'],
  ])('%j → %j', (input, expected) => {
    expect(normaliseDomain(input)).toBe(expected);
  });
});
