import * as schemas from '../../../mailchimp/schemas';
import { unknownFields } from '../../../mailchimp/schemas/validate';

/** In tests the client refuses fields its schemas do not know, so a misspelled field is reported, not dropped. */
describe('unknown fields', () => {
  const product = { id: 'p1', title: 'Shoe', variants: [{ id: 'v1', title: 'Shoe', prce: 5 }], descripton: 'typo' };

  it('are found at any depth, in arrays too', () => {
    expect(unknownFields(schemas.productSchema, product, []).map((e) => e.field).sort()).toEqual(['descripton', 'variants.0.prce']);
  });

  it('are stripped by default and refused when asked', () => {
    const stripped = schemas.validatePayload(schemas.productSchema, product, 'product p1');
    expect(stripped.ok).toBe(true);
    if (stripped.ok) expect(stripped.value).not.toHaveProperty('descripton');
    const refused = schemas.validatePayload(schemas.productSchema, product, 'product p1', { rejectUnknownFields: true });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.message).toBe('product p1: variants.0.prce: is not a field of this resource (it would be dropped); descripton: is not a field of this resource (it would be dropped)');
  });

  it('a valid body has none', () => {
    const valid = { id: 'p1', title: 'Shoe', description: 'ok', variants: [{ id: 'v1', title: 'Shoe', price: 5 }] };
    expect(schemas.validatePayload(schemas.productSchema, valid, 'product p1', { rejectUnknownFields: true }).ok).toBe(true);
  });
});
