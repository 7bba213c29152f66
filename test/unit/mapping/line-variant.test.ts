import { codeVariantOf, lineVariantFor, stocklessVariant } from '../../../mapping/product';

/** The variant an order writes for its line when Mailchimp's product lacks it: what the product's own sync writes. */
describe('lineVariantFor', () => {
  const product = { id: 'SHOE', title: 'Red shoe', url: 'https://shop.example/p/shoe', image_url: 'https://img.example/shoe.jpg' };

  it('the code variant carries the product url and image, as the product sync sends it', () => {
    expect(lineVariantFor(product, 'SHOE')).toEqual(codeVariantOf(product));
    expect(lineVariantFor(product, 'SHOE')).toEqual({ id: 'SHOE', title: 'Red shoe', url: product.url, image_url: product.image_url });
  });

  it('any other variant is stock-less, titled after the product', () => {
    expect(lineVariantFor(product, 'SHOE-OLD')).toEqual(stocklessVariant('SHOE-OLD', 'Red shoe'));
  });

  it('empty or missing fields of Mailchimp\'s copy are left out, and an untitled product gives the variant id', () => {
    expect(lineVariantFor({ id: 'X', title: '', url: '', image_url: null }, 'X')).toEqual({ id: 'X', title: 'X' });
  });
});
