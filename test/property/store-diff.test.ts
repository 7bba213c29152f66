import { compareStores, type Refusals } from './store-diff';
import type { StoreSnapshot } from './store-snapshot';

/** The comparison itself must catch what it is there to catch, and allow only Mailchimp's one exception. */

const none = (): Refusals => ({ incremental: new Map(), fresh: new Map() });

function store(entries: Array<[string, Record<string, unknown>]>): StoreSnapshot {
  return new Map(entries);
}

const product = (price: number, extra: Record<string, unknown> = {}) => ({ id: 'P-1', title: 'Shoe', variants: { 'P-1-V1': { id: 'P-1-V1', price }, ...extra } });
const order = (customer: string) => ({ id: 'SO-1', customer: { id: customer }, order_total: 10, lines: { 7: { id: '7', quantity: 1 } } });

describe('store comparison', () => {
  it('reports a field that differs, with its path and both values', () => {
    const { diffs } = compareStores(store([['products/P-1', product(10)]]), store([['products/P-1', product(12)]]), none());
    expect(diffs).toEqual(['products/P-1.variants.P-1-V1.price: incremental 10, fresh 12']);
  });

  it('reports an extra variant, a field left set, and resources on one side only', () => {
    const incremental = store([['products/P-1', { ...product(10, { 'P-1-V2': { id: 'P-1-V2', price: 3 } }), vendor: 'Old' }], ['products/P-2', { id: 'P-2' }]]);
    const fresh = store([['products/P-1', { ...product(10), vendor: '' }], ['promo_rules/5', { id: '5' }]]);
    const { diffs } = compareStores(incremental, fresh, none());
    expect(diffs).toEqual([
      'products/P-1.variants.P-1-V2: incremental {"id":"P-1-V2","price":3}, fresh (absent)',
      'products/P-1.vendor: incremental "Old", fresh ""',
      'products/P-2: only in the incremental store',
      'promo_rules/5: only in the fresh store',
    ]);
  });

  it("allows an order to keep the customer it was sent with, and that customer to remain, but nothing else", () => {
    const incremental = store([['orders/SO-1', { ...order('old'), order_total: 11 }], ['customers/old', { id: 'old' }], ['customers/new', { id: 'new' }], ['customers/stray', { id: 'stray' }]]);
    const fresh = store([['orders/SO-1', order('new')], ['customers/new', { id: 'new' }]]);
    const { diffs, notes } = compareStores(incremental, fresh, none());
    expect(diffs).toEqual(['customers/stray: only in the incremental store', 'orders/SO-1.order_total: incremental 11, fresh 10']);
    expect(notes).toEqual(expect.arrayContaining([expect.stringContaining('orders/SO-1 keeps the customer'), 'customers/old remains: an order already sent names it']));
  });

  it('skips only what both syncs refused, and says why a one-sided refusal differs', () => {
    const refused: Refusals = { incremental: new Map([['products/P-1', 'bad price']]), fresh: new Map([['products/P-1', 'bad price'], ['orders/SO-1', 'waits for a product']]) };
    const { diffs, notes } = compareStores(store([['products/P-1', product(10)], ['orders/SO-1', order('a')]]), store([['products/P-1', product(12)]]), refused);
    expect(diffs).toEqual(['orders/SO-1: only in the incremental store (the fresh sync recorded: waits for a product)']);
    expect(notes).toEqual(['products/P-1 is refused by both syncs (bad price): not compared']);
  });

  it('reports what the merchant sees of a resource both syncs refused: its reasons, and whether Mailchimp holds it', () => {
    const refused: Refusals = {
      incremental: new Map([['products/P-1', 'waits for a product'], ['orders/SO-1', 'bad total']]),
      fresh: new Map([['products/P-1', 'bad price'], ['orders/SO-1', 'bad total']]),
    };
    const { diffs, notes } = compareStores(store([['products/P-1', product(10)], ['orders/SO-1', order('a')]]), store([['products/P-1', product(12)]]), refused);
    expect(diffs).toEqual([
      'orders/SO-1: refused by both syncs, but only in the incremental store',
      'products/P-1: refused by both syncs, for other reasons: incremental "waits for a product", fresh "bad price"',
    ]);
    expect(notes).toEqual(['products/P-1 is refused by both syncs (bad price): not compared']);
  });
});
