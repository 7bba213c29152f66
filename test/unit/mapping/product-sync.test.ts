import type { SyncStateRow } from '../../../db/sync-state';
import { isNewProduct, productHash, renamedFromId } from '../../../activities/entities/product';
import { planProduct } from '../../../mapping/product';
import { productWith, settings, variantRow } from './fixtures';

/** The product sync's pure decisions: a rename, a create, the content hash with refused variants. */
function state(over: Partial<SyncStateRow>): SyncStateRow {
  return {
    store_id: 's', entity_type: 'product', entity_id: '101', status: 'synced', content_hash: 'x', remote_id: 'OLD', attempts: 0,
    error_reason: null, error_detail: null, synced_at: null, updated_at: new Date(), ...over,
  };
}

describe('renamedFromId', () => {
  it('is the id a synced product was sent under when its code has changed since', () => {
    expect(renamedFromId(state({}), 'NEW')).toBe('OLD');
  });
  it('is nothing when the code is the same, the product was never sent, or is no longer in Mailchimp', () => {
    expect(renamedFromId(state({}), 'OLD')).toBeUndefined();
    expect(renamedFromId(null, 'NEW')).toBeUndefined();
    expect(renamedFromId(state({ remote_id: null }), 'NEW')).toBeUndefined();
    expect(renamedFromId(state({ status: 'deleted' }), 'NEW')).toBeUndefined();
    expect(renamedFromId(state({ status: 'failed' }), 'NEW')).toBeUndefined();
  });
});

describe('isNewProduct', () => {
  it('a product synced or failed before may be in Mailchimp; a deleted or never-sent one is created', () => {
    expect(isNewProduct(state({}))).toBe(false);
    expect(isNewProduct(state({ status: 'failed' }))).toBe(false);
    expect(isNewProduct(state({ status: 'deleted' }))).toBe(true);
    expect(isNewProduct(null)).toBe(true);
  });
});

describe('productHash', () => {
  const plan = (currency: string) => {
    const planned = planProduct(productWith({}, [variantRow(), variantRow({ id: '1002', sku: 'B', currency })]), settings);
    if (planned.kind !== 'ok') throw new Error('expected a product');
    return planned.payload;
  };
  it('is the payload hash when nothing is refused (hashes recorded before stay valid)', () => {
    const { payload } = plan('EUR');
    expect(productHash(payload, [])).toBe(productHash(payload));
  });
  it('changes when a refused variant is refused for another reason, though the payload is the same', () => {
    const usd = plan('USD');
    const gbp = plan('GBP');
    expect(usd.payload).toEqual(gbp.payload);
    expect(productHash(usd.payload, usd.refused)).not.toBe(productHash(gbp.payload, gbp.refused));
    expect(productHash(usd.payload, usd.refused)).not.toBe(productHash(usd.payload));
  });
});
