import { feedKey, laterOf, rereadFrom } from '../../../activities/scan';

describe('change scan cursors', () => {
  it('re-reads the look-back before the cursor, from the smallest id', () => {
    expect(rereadFrom({ updatedAt: '2026-06-01T00:05:00.250Z', id: '42' }, 5 * 60_000)).toEqual({ updatedAt: '2026-06-01T00:00:00.250Z', id: '0' });
    expect(rereadFrom({ updatedAt: '2026-06-01T00:05:00.250Z', id: '42' }, 0)).toEqual({ updatedAt: '2026-06-01T00:05:00.250Z', id: '0' });
  });

  it('keeps the later keyset position, comparing whole-number ids as numbers', () => {
    const at = '2026-06-01T00:00:00.000Z';
    expect(laterOf({ updatedAt: at, id: '9' }, { updatedAt: at, id: '10' })).toEqual({ updatedAt: at, id: '10' });
    expect(laterOf({ updatedAt: at, id: '10' }, { updatedAt: at, id: '9' })).toEqual({ updatedAt: at, id: '10' });
    expect(laterOf({ updatedAt: '2026-06-01T00:00:00.001Z', id: '1' }, { updatedAt: at, id: '99' })).toEqual({ updatedAt: '2026-06-01T00:00:00.001Z', id: '1' });
    expect(laterOf({ updatedAt: at, id: 'store_name' }, { updatedAt: at, id: 'store_domain' })).toEqual({ updatedAt: at, id: 'store_name' });
  });

  it('main tables keep their entity type\'s watermark (the full resync moves it); the others their own name, settings one per type', () => {
    expect(feedKey('products', 'product')).toBe('product');
    expect(feedKey('users', 'customer')).toBe('customer');
    expect(feedKey('product_variants', 'product')).toBe('product_variants');
    expect(feedKey('order_lines', 'order')).toBe('order_lines');
    expect(feedKey('shop_settings', 'product')).toBe('shop_settings:product');
    expect(feedKey('shop_settings', 'promo_code')).toBe('shop_settings:promo_code');
  });
});
