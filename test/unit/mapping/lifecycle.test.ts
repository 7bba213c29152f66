import { consentFor, needsAudienceDoubleOptIn } from '../../../mapping/consent';
import {
  codeVariantOf, goneProductId, goneProductPlaceholder, mapProduct, needsCodeVariant, placeholderOf,
} from '../../../mapping/product';
import { promoCodeRemoteId, splitPromoCodeRemoteId } from '../../../mapping/promo';
import { productWith, settings, variantRow } from './fixtures';

describe('product lifecycle rules', () => {
  it('names the placeholder of a product row gone from the shop deleted-<id>, with one stock-less variant', () => {
    expect(goneProductId('42')).toBe('deleted-42');
    expect(goneProductPlaceholder('42')).toEqual({
      id: 'deleted-42', title: 'Deleted product 42', variants: [{ id: 'deleted-42', title: 'Deleted product 42', inventory_quantity: 0 }],
    });
  });

  it('sends an inactive product that orders name as if active, with nothing in stock', () => {
    const found = productWith({ status: 'inactive' }, [variantRow({ sku: 'A-1', inventory_quantity: 7 }), variantRow({ id: '1002', sku: 'A-2', inventory_quantity: 3 })]);
    const placeholder = placeholderOf(found, settings);
    const active = mapProduct({ ...found, product: { ...found.product, status: 'active' } }, settings);
    expect(placeholder.kind).toBe('ok');
    expect(active.kind).toBe('ok');
    if (placeholder.kind !== 'ok' || active.kind !== 'ok') return;
    expect(placeholder.payload.variants.map((v) => v.inventory_quantity)).toEqual([0, 0]);
    expect(placeholder.payload).toEqual({ ...active.payload, variants: active.payload.variants.map((v) => ({ ...v, inventory_quantity: 0 })) });
  });

  it('builds the code variant from the product and adds it only when a variant-less line needs it', () => {
    const payload = { id: 'P1', title: 'Bread', url: 'https://x.test/p', variants: [{ id: 'SKU-1', title: 'Bread' }] };
    expect(codeVariantOf(payload)).toEqual({ id: 'P1', title: 'Bread', url: 'https://x.test/p' });
    expect(codeVariantOf({ id: 'P1', title: 'Bread' })).toEqual({ id: 'P1', title: 'Bread' });
    expect(needsCodeVariant(payload, true)).toBe(true);
    expect(needsCodeVariant(payload, false)).toBe(false);
    expect(needsCodeVariant({ ...payload, variants: [...payload.variants, codeVariantOf(payload)] }, true)).toBe(false);
  });
});

describe('consent input', () => {
  it('asks the audience about double opt-in only for a new contact who consented', () => {
    expect(needsAudienceDoubleOptIn({ shopOptIn: true }, null)).toBe(true);
    expect(needsAudienceDoubleOptIn({ shopOptIn: false }, null)).toBe(false);
    expect(needsAudienceDoubleOptIn({ shopOptIn: true }, 'subscribed')).toBe(false);
  });

  it('passes the audience setting to the policy only where it matters', () => {
    const newConsenting = consentFor({ shopOptIn: true }, null, { alwaysOptIn: false }, true);
    const known = consentFor({ shopOptIn: true }, 'transactional', { alwaysOptIn: false }, true);
    expect(newConsenting.member).toEqual({ action: 'create_pending' });
    expect(known.member).toEqual({ action: 'none' });
    expect(consentFor({ shopOptIn: true }, null, { alwaysOptIn: false }, false).member).toEqual({ action: 'none' });
  });
});

describe('promo code remote id', () => {
  it('is rule/code, and splits back into the two at the first slash', () => {
    expect(promoCodeRemoteId('7', '70')).toBe('7/70');
    expect(splitPromoCodeRemoteId(promoCodeRemoteId('7', '70'))).toEqual({ ruleId: '7', codeId: '70' });
    expect(splitPromoCodeRemoteId('7/a/b')).toEqual({ ruleId: '7', codeId: 'a/b' });
    expect(splitPromoCodeRemoteId('7')).toEqual({ ruleId: '7', codeId: '' });
  });
});
