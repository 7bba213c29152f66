import { mapOrder } from '../../../mapping/order';
import { mapProduct, productRefusal, refusedVariantReasons } from '../../../mapping/product';
import { isSentOrder } from '../../../mapping/sent-order';
import { lineRow, orderCtx, payloadOf, productWith, settings, variantRow } from './fixtures';

/** Orders and the product mapping's refused variants: an order naming one is refused, naming the line. */
describe('orders naming a refused variant', () => {
  const valid = variantRow();
  const foreign = variantRow({ id: '1002', sku: 'MUG-01-US', currency: 'USD' });
  const refused = Object.fromEntries(refusedVariantReasons(productWith({}, [valid, foreign]), settings));

  it('an order for a valid variant of the product is sent', () => {
    const order = orderCtx({}, { refusedVariants: refused });
    expect(payloadOf(mapOrder(order, settings)).lines.map((l) => l.product_variant_id)).toEqual(['MUG-01-BLUE']);
  });

  it('an order with a line naming the refused variant is refused, and the reason names the line and the variant', () => {
    const order = orderCtx({}, { lines: [lineRow(), lineRow({ id: '5002', variant_id: '1002', variant_sku: 'MUG-01-US' })], refusedVariants: refused });
    expect(mapOrder(order, settings)).toEqual({
      kind: 'invalid',
      field: 'lines',
      reason: "Order 10023 was not sent: line 5002 names a variant that is not sent: variant MUG-01-US is priced in USD but the store's currency is EUR",
    });
  });

  it('an order naming a product nothing of which can be sent waits for it: not sent (seed 9001 path 20)', () => {
    const onlyForeign = productWith({}, [foreign]);
    const reason = productRefusal(onlyForeign, settings);
    expect(reason).toMatch(/^Product .+ was not sent: variant MUG-01-US is priced in USD but the store.s currency is EUR$/);
    expect(productRefusal(productWith({}, [valid, foreign]), settings)).toBeUndefined();
    expect(productRefusal(productWith({ status: 'inactive' }, [foreign]), settings)).toBe(reason);
    const order = orderCtx({}, { lines: [lineRow({ id: '5002', variant_id: '1002', variant_sku: 'MUG-01-US' })], refusedProducts: { [onlyForeign.product.id]: reason as string } });
    expect(mapOrder(order, settings)).toEqual({ kind: 'invalid', field: 'lines', reason: `Order 10023 waits for a product: ${reason}` });
    expect(isSentOrder(order, settings)).toBe(false);
  });

  it('without refusals, the same line is sent', () => {
    const order = orderCtx({}, { lines: [lineRow({ id: '5002', variant_id: '1002', variant_sku: 'MUG-01-US' })] });
    expect(payloadOf(mapOrder(order, settings)).lines[0]).toMatchObject({ id: '5002', product_variant_id: 'MUG-01-US' });
  });

  it('a line names the product and variant by the ids the product sync gives them (trimmed code and SKU)', () => {
    const product = payloadOf(mapProduct(productWith({ code: ' MUG 1 ' }, [variantRow({ sku: ' SKU\u0007 1 ' })]), settings));
    const line = payloadOf(mapOrder(orderCtx({}, { lines: [lineRow({ product_code: ' MUG 1 ', variant_sku: ' SKU\u0007 1 ' })] }), settings)).lines[0];
    expect([line.product_id, line.product_variant_id]).toEqual([product.id, product.variants[0].id]);
    const blank = payloadOf(mapOrder(orderCtx({}, { lines: [lineRow({ product_code: ' MUG 1 ', variant_sku: '  ' })] }), settings)).lines[0];
    expect(blank.product_variant_id).toBe('MUG 1');
  });
});
