import type { SyncStateRow } from '../../../db/sync-state';
import { buildLineVariantOperations, buildProductOperations, type OrderDependencies } from '../../../activities/batch/build';
import { productRemoteId, stocklessVariant } from '../../../mapping/product';
import { productWith, settings, variantRow } from './fixtures';

/** The batch backfill's product rules agree with the direct path's (activities/entities/product.ts). */
const STORE = 'shop_1';

function state(over: Partial<SyncStateRow>): SyncStateRow {
  return {
    store_id: STORE, entity_type: 'product', entity_id: '101', status: 'synced', content_hash: 'x', remote_id: null, attempts: 0,
    error_reason: null, error_detail: null, synced_at: null, updated_at: new Date(), ...over,
  };
}

describe('batch products', () => {
  it('a product with a refused variant goes direct, which records the reason on the product', () => {
    const found = productWith({}, [variantRow(), variantRow({ id: '1002', sku: 'MUG-01-US', currency: 'USD' })]);
    const page = buildProductOperations(STORE, settings, [{ id: '101', found, previous: null, orderedWithoutVariant: false, referenced: false }]);
    expect(page.operations).toEqual([]);
    expect(page.direct).toEqual(['101']);
  });

  it('a product sent before under another code goes direct, which follows the rename', () => {
    const page = buildProductOperations(STORE, settings, [
      { id: '101', found: productWith({ status: 'inactive' }), previous: state({ status: 'deleted', remote_id: 'OLD-CODE' }), orderedWithoutVariant: false, referenced: false },
    ]);
    expect(page.operations).toEqual([]);
    expect(page.direct).toEqual(['101']);
  });

  it('deletes an unreferenced inactive product under its trimmed code, the id every path uses', () => {
    const found = productWith({ code: '  MUG 1  ', status: 'inactive' });
    const [op] = buildProductOperations(STORE, settings, [{ id: '101', found, previous: null, orderedWithoutVariant: false, referenced: false }]).operations;
    expect(productRemoteId(found.product.code)).toBe('MUG 1');
    expect(op).toMatchObject({ deletes: true, remoteId: 'MUG 1', operation: { method: 'DELETE', path: `/ecommerce/stores/${STORE}/products/MUG%201` } });
  });

  it('a variant an order needs that the product no longer sells is PUT in the one stock-less shape', () => {
    const found = productWith({}, [variantRow(), variantRow({ id: '1003', sku: 'MUG-01-OLD', status: 'deleted' })]);
    const deps = new Map<string, OrderDependencies>([['900', { customerId: 'c', productIds: ['101'], variants: [{ productCode: 'MUG-ÆØÅ-01', variantId: 'MUG-01-OLD' }] }]]);
    const [op] = buildLineVariantOperations(STORE, settings, deps, new Map([['MUG-ÆØÅ-01', { found, orderedWithoutVariant: false }]]));
    expect(JSON.parse(op.operation.body)).toEqual(stocklessVariant('MUG-01-OLD', 'Mug “Morning” ☕ 350 ml'));
    expect(op.orderIds).toEqual(['900']);
  });
});
