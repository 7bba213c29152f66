import { productPatchSchema, productPutSchema, productSchema } from '../../../mailchimp/schemas';
import {
  isProductLive,
  mapProduct,
  planProduct,
  productHandle,
  productPatchFrom,
  productRemoteId,
  productUrl,
  refusedVariantReasons,
  refusedVariantsReason,
  staleVariantIds,
  stocklessVariant,
  variantMatches,
} from '../../../mapping/product';
import { expectSchemaAccepts, payloadOf, productRow, productWith, settings, variantRow } from './fixtures';

describe('mapProduct: product fields', () => {
  const p = payloadOf(mapProduct(productWith(), settings));

  it('maps every product field', () => {
    expect(p).toEqual({
      id: 'MUG-ÆØÅ-01',
      title: 'Mug “Morning” ☕ 350 ml',
      description: '<p>Hand-glazed <b>stoneware</b> — dishwasher safe 🍽️</p>\n<ul><li>350 ml</li></ul>',
      type: 'Kitchen & Dining',
      vendor: 'Keramik Müller GmbH',
      url: 'https://shop.example.com/kitchen/mugs/morning-mug',
      handle: 'morning-mug',
      image_url: 'https://cdn.example.com/img/mug.jpg',
      published_at_foreign: '2026-01-15T08:00:00.000Z',
      variants: [
        {
          id: 'MUG-01-BLUE',
          title: 'Blue / Blau 🔵',
          sku: 'MUG-01-BLUE',
          price: 14.9,
          inventory_quantity: 42,
          image_url: 'https://cdn.example.com/img/mug-blue.jpg',
          url: 'https://shop.example.com/kitchen/mugs/morning-mug',
        },
      ],
    });
    expectSchemaAccepts(productSchema, p, 'product');
    expectSchemaAccepts(productPutSchema, p, 'product');
  });

  it('sends HTML in the description as is but strips control characters', () => {
    const r = payloadOf(mapProduct(productWith({ description: '<div class="x">Tee\u0000 & <i>café</i>\u001B</div>\r\n' }), settings));
    expect(r.description).toBe('<div class="x">Tee & <i>café</i></div>\r\n');
  });

  it('leaves out empty optional fields (description, type, vendor, url, handle, image, published date)', () => {
    const r = payloadOf(
      mapProduct(
        productWith(
          { description: ' \n ', category: null, vendor: '', seo_url: null, image_url: null, published_at: null },
          [variantRow({ image_url: null })],
        ),
        settings,
      ),
    );
    expect(Object.keys(r).sort()).toEqual(['id', 'title', 'variants']);
    expect(Object.keys(r.variants[0]).sort()).toEqual(['id', 'inventory_quantity', 'price', 'sku', 'title']);
    expectSchemaAccepts(productSchema, r, 'product');
  });

  it('trims the title and keeps unicode', () => {
    expect(payloadOf(mapProduct(productWith({ title: '  Ŝtrîpy 🧦 Socks\u0007 ' }), settings)).title).toBe('Ŝtrîpy 🧦 Socks');
  });

  it('published_at_foreign is ISO 8601 in UTC', () => {
    const r = payloadOf(mapProduct(productWith({ published_at: new Date('2026-07-01T02:00:00+02:00') }), settings));
    expect(r.published_at_foreign).toBe('2026-07-01T00:00:00.000Z');
  });
});

describe('product url and handle from seo_url', () => {
  it.each([
    ['/kitchen/mugs/morning-mug', 'https://shop.example.com/kitchen/mugs/morning-mug', 'morning-mug'],
    ['kitchen/mugs/morning-mug', 'https://shop.example.com/kitchen/mugs/morning-mug', 'morning-mug'],
    ['/kitchen/mugs/morning-mug/', 'https://shop.example.com/kitchen/mugs/morning-mug/', 'morning-mug'],
    ['/p/socks?colour=red#top', 'https://shop.example.com/p/socks?colour=red#top', 'socks'],
    ['/café/tasse-à-thé', 'https://shop.example.com/café/tasse-à-thé', 'tasse-à-thé'],
    ['/single', 'https://shop.example.com/single', 'single'],
    ['https://other.example.com/x/y', 'https://other.example.com/x/y', 'y'],
    ['/', 'https://shop.example.com/', undefined],
  ])('seo_url %j → url %j, handle %j', (seo, url, handle) => {
    expect(productUrl(seo, 'shop.example.com')).toBe(url);
    expect(productHandle(seo)).toBe(handle);
    const r = payloadOf(mapProduct(productWith({ seo_url: seo }), settings));
    expect(r.url).toBe(url);
    expect(r.handle).toBe(handle);
  });

  it('builds the url from a domain setting with a scheme or trailing slash', () => {
    expect(productUrl('/a/b', 'https://shop.example.com/')).toBe('https://shop.example.com/a/b');
  });

  it('has no url or handle without seo_url', () => {
    expect(productUrl(null, 'shop.example.com')).toBeUndefined();
    expect(productHandle(null)).toBeUndefined();
    expect(productUrl('  ', 'shop.example.com')).toBeUndefined();
  });
});

describe('mapProduct: variants', () => {
  const blue = variantRow();
  const red = variantRow({ id: '1002', sku: 'MUG-01-RED', title: 'Red', price: '15.50', inventory_quantity: null, image_url: null });
  const gone = variantRow({ id: '1003', sku: 'MUG-01-GONE', title: 'Discontinued', status: 'deleted' });

  it('maps each active variant: id = sku, title, sku, price as a number, stock, image, url', () => {
    const r = payloadOf(mapProduct(productWith({}, [blue, red]), settings));
    expect(r.variants).toHaveLength(2);
    expect(r.variants[1]).toEqual({
      id: 'MUG-01-RED',
      title: 'Red',
      sku: 'MUG-01-RED',
      price: 15.5,
      image_url: 'https://cdn.example.com/img/mug.jpg',
      url: 'https://shop.example.com/kitchen/mugs/morning-mug',
    });
    expectSchemaAccepts(productSchema, r, 'product');
  });

  it('falls back to the product image when a variant has none', () => {
    const r = payloadOf(mapProduct(productWith({}, [red]), settings));
    expect(r.variants[0].image_url).toBe('https://cdn.example.com/img/mug.jpg');
  });

  it('keeps the variant’s own image when it has one', () => {
    expect(payloadOf(mapProduct(productWith({}, [blue]), settings)).variants[0].image_url).toBe('https://cdn.example.com/img/mug-blue.jpg');
  });

  it('leaves deleted variants out', () => {
    const r = payloadOf(mapProduct(productWith({}, [blue, gone]), settings));
    expect(r.variants.map((v) => v.id)).toEqual(['MUG-01-BLUE']);
  });

  it('uses the product title for a variant with an empty title', () => {
    expect(payloadOf(mapProduct(productWith({}, [variantRow({ title: '  ' })]), settings)).variants[0].title).toBe('Mug “Morning” ☕ 350 ml');
  });

  it('sends an oversold (negative) stock count as 0', () => {
    expect(payloadOf(mapProduct(productWith({}, [variantRow({ inventory_quantity: -3 })]), settings)).variants[0].inventory_quantity).toBe(0);
  });

  it('sends a price of 0.00 (free sample) as 0', () => {
    expect(payloadOf(mapProduct(productWith({}, [variantRow({ price: '0.00' })]), settings)).variants[0].price).toBe(0);
  });

  it('accepts a lowercase variant currency that is the store’s', () => {
    expect(mapProduct(productWith({}, [variantRow({ currency: 'eur' })]), settings).kind).toBe('ok');
  });

  it('ignores the currency of a deleted variant (it is not sent)', () => {
    expect(mapProduct(productWith({}, [blue, { ...gone, currency: 'USD' }]), settings).kind).toBe('ok');
  });
});

describe('mapProduct: variant-less products', () => {
  it.each([
    ['no variants at all', []],
    ['only deleted variants', [variantRow({ status: 'deleted' })]],
  ])('%s → one variant whose id is the product code, with the product title, url and image', (_label, variants) => {
    const r = payloadOf(mapProduct(productWith({}, variants), settings));
    expect(r.variants).toEqual([
      {
        id: 'MUG-ÆØÅ-01',
        title: 'Mug “Morning” ☕ 350 ml',
        url: 'https://shop.example.com/kitchen/mugs/morning-mug',
        image_url: 'https://cdn.example.com/img/mug.jpg',
      },
    ]);
    expectSchemaAccepts(productSchema, r, 'product');
  });

  it('placeholder variant without url and image when the product has none', () => {
    const r = payloadOf(mapProduct(productWith({ seo_url: null, image_url: null }, []), settings));
    expect(r.variants).toEqual([{ id: 'MUG-ÆØÅ-01', title: 'Mug “Morning” ☕ 350 ml' }]);
  });
});

describe('mapProduct: not sent', () => {
  it.each(['inactive', 'deleted'] as const)('a %s product is skipped (the caller deletes it)', (status) => {
    expect(mapProduct(productWith({ status }), settings)).toEqual({
      kind: 'skip',
      reason: `Product MUG-ÆØÅ-01 is ${status}: it is removed from Mailchimp, not sent`,
    });
  });

  it.each([
    ['an empty title', productWith({ title: ' \u0000 ' }), 'Product MUG-ÆØÅ-01 was not sent: its title is empty', 'title'],
    ['an empty code', productWith({ code: '  ' }), 'Product #101 was not sent: its product code is empty', 'id'],
    [
      'its only active variant priced in another currency',
      productWith({}, [variantRow({ sku: 'MUG-01-US', currency: 'USD' }), variantRow({ sku: 'OLD', status: 'deleted' })]),
      "Product MUG-ÆØÅ-01 was not sent: variant MUG-01-US is priced in USD but the store's currency is EUR",
      'variants.price',
    ],
    [
      'its only active variant with a negative price',
      productWith({}, [variantRow({ price: '-1.00' })]),
      'Product MUG-ÆØÅ-01 was not sent: the price of variant MUG-01-BLUE "-1.00" is negative',
      'variants.price',
    ],
    [
      'its only active variant with an empty SKU',
      productWith({}, [variantRow({ id: '1009', sku: ' ' })]),
      'Product MUG-ÆØÅ-01 was not sent: variant #1009 has an empty SKU',
      'variants.id',
    ],
    [
      'every active variant refused, each for its reason',
      productWith({}, [variantRow({ id: '1009', sku: ' ' }), variantRow({ id: '1010', sku: 'MUG-01-NAN', price: 'NaN' })]),
      'Product MUG-ÆØÅ-01 was not sent: variant #1009 has an empty SKU; the price of variant MUG-01-NAN "NaN" is not a number',
      'variants.id',
    ],
  ])('fails on %s', (_label, input, reason, field) => {
    expect(mapProduct(input, settings)).toEqual({ kind: 'invalid', reason, field });
  });
});

describe('planProduct: the smallest unit is refused', () => {
  const valid = variantRow();
  it.each([
    ['priced in another currency', variantRow({ id: '1007', sku: 'MUG-01-US', currency: 'USD' }), "variant MUG-01-US is priced in USD but the store's currency is EUR"],
    ['with a negative price', variantRow({ id: '1007', sku: 'MUG-01-NEG', price: '-1.00' }), 'the price of variant MUG-01-NEG "-1.00" is negative'],
    ['with a price that is not a number', variantRow({ id: '1007', sku: 'MUG-01-NAN', price: 'NaN' }), 'the price of variant MUG-01-NAN "NaN" is not a number'],
    ['with an empty SKU', variantRow({ id: '1007', sku: ' ' }), 'variant #1007 has an empty SKU'],
    // Found by the fuzzed mappers (seed -149529542): the reason held the whole 10,000-character SKU.
    ['with a 10,000-character SKU and a price that is not a number', variantRow({ id: '1007', sku: 'S'.repeat(10_000), price: 'abc' }),
      `the price of variant ${'S'.repeat(59)}… "abc" is not a number`],
  ])('a variant %s is left out with its reason; the product is sent with the others', (_label, bad, reason) => {
    const planned = planProduct(productWith({}, [valid, bad]), settings);
    expect(planned.kind).toBe('ok');
    if (planned.kind !== 'ok') return;
    expect(planned.payload.payload.variants.map((v) => v.id)).toEqual(['MUG-01-BLUE']);
    expect(planned.payload.refused).toEqual([{ variantId: '1007', sku: bad.sku.trim(), reason }]);
    expect(payloadOf(mapProduct(productWith({}, [valid, bad]), settings))).toEqual(planned.payload.payload);
    expect(refusedVariantsReason('MUG-ÆØÅ-01', planned.payload.refused)).toBe(`Product MUG-ÆØÅ-01 was sent without a variant: ${reason}`);
  });

  it('has no refusal reason when every variant is sent', () => {
    const planned = planProduct(productWith(), settings);
    expect(planned.kind === 'ok' && planned.payload.refused).toEqual([]);
    expect(refusedVariantsReason('MUG-ÆØÅ-01', [])).toBeUndefined();
  });

  it('names the refused variants by row id for the orders, judging an inactive product as its placeholder', () => {
    const bad = variantRow({ id: '1007', sku: 'MUG-01-US', currency: 'USD' });
    expect(refusedVariantReasons(productWith({ status: 'inactive' }, [valid, bad]), settings)).toEqual(
      new Map([['1007', "variant MUG-01-US is priced in USD but the store's currency is EUR"]]),
    );
    expect(refusedVariantReasons(productWith({}, [valid]), settings)).toEqual(new Map());
  });

  it('refuses no variant of a product that cannot be sent at all (its orders wait for the product)', () => {
    expect(refusedVariantReasons(productWith({ title: '' }, [valid]), settings)).toEqual(new Map());
    expect(refusedVariantReasons(productWith({}, [variantRow({ currency: 'USD' })]), settings)).toEqual(new Map());
  });
});

describe('ids and variants Mailchimp keeps', () => {
  it('the product id is the trimmed code, everywhere', () => {
    expect(productRemoteId('  CODE 1 ')).toBe('CODE 1');
    expect(payloadOf(mapProduct(productWith({ code: ' CODE 1 ' }), settings)).id).toBe('CODE 1');
  });

  it('a variant kept for old orders has no stock, and only an id and title', () => {
    expect(stocklessVariant('SKU-9', 'Mug')).toEqual({ id: 'SKU-9', title: 'Mug', inventory_quantity: 0 });
  });

  it('variantMatches: what Mailchimp shows for a field never sent ("" or 0) equals a field left out', () => {
    const wanted = { id: 'A', title: 'Mug', sku: 'A', price: 5 };
    expect(variantMatches({ id: 'A', title: 'Mug', sku: 'A', price: 5, url: '', image_url: '', inventory_quantity: 0 }, wanted)).toBe(true);
    expect(variantMatches({ id: 'A', title: 'Mug', sku: 'A', price: 5, url: 'https://x', image_url: '', inventory_quantity: 0 }, wanted)).toBe(false);
    expect(variantMatches({ id: 'A', title: 'Mug', sku: 'A', price: 6 }, wanted)).toBe(false);
    expect(variantMatches({ id: 'A', title: 'Mug', sku: 'A', price: 5, inventory_quantity: 3 }, wanted)).toBe(false);
    expect(variantMatches(undefined, wanted)).toBe(false);
  });

  it('staleVariantIds: what Mailchimp has and nothing wants', () => {
    expect(staleVariantIds(['A', 'B', 'C', 'B'], [{ id: 'A', title: 'a' }, { id: 'D', title: 'd' }])).toEqual(['B', 'C']);
    expect(staleVariantIds([], [{ id: 'A', title: 'a' }])).toEqual([]);
  });
});

describe('isProductLive', () => {
  it.each([
    ['active', true],
    ['inactive', false],
    ['deleted', false],
  ] as const)('a %s product is live: %s', (status, live) => {
    expect(isProductLive(productRow({ status }))).toBe(live);
  });
});

describe('productPatchFrom', () => {
  it('sends every field but id and variants, as mapped', () => {
    const p = payloadOf(mapProduct(productWith(), settings));
    const { id: _id, variants: _variants, ...fields } = p;
    expect(productPatchFrom(p)).toEqual(fields);
  });
  it('clears optional text fields the shop emptied, so the PATCH does not keep the old values', () => {
    const p = payloadOf(mapProduct(productWith({ description: null, category: null, vendor: null, seo_url: null, image_url: null }), settings));
    const patch = productPatchFrom(p);
    expect(patch).toMatchObject({ description: '', type: '', vendor: '', url: '', handle: '', image_url: '' });
    expect(patch).not.toHaveProperty('id');
    expect(patch).not.toHaveProperty('variants');
    expect(productPatchSchema.safeParse(patch).success).toBe(true);
  });
});
