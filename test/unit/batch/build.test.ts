import type { SyncStateRow } from '../../../db/sync-state';
import { verdictOf } from '../../../activities/batch/apply';
import {
  buildCustomerOperations, buildLineVariantOperations, buildOrderOperations, buildProductOperations, buildPromoCodeOperations,
  buildPromoRuleOperations, operationId, parseOperationId, type PlannedOperation,
} from '../../../activities/batch/build';
import { productHash } from '../../../activities/entities/product';
import { customerIdForEmail } from '../../../mapping/ids';
import { codeVariantOf, mapProduct } from '../../../mapping/product';
import type { CustomerRecord } from '../../../source/shop-source';
import { guestOrderCtx, lineRow, orderCtx, payloadOf, productWith, promoCodeRow, promotionRow, settings, variantRow } from '../mapping/fixtures';

const STORE = 'shop_1';

function state(over: Partial<SyncStateRow>): SyncStateRow {
  return {
    store_id: STORE, entity_type: 'product', entity_id: '101', status: 'synced', content_hash: 'x', remote_id: null, attempts: 0,
    error_reason: null, error_detail: null, synced_at: null, updated_at: new Date(), ...over,
  };
}

function body(op: PlannedOperation): Record<string, unknown> {
  return JSON.parse(op.operation.body ?? 'null') as Record<string, unknown>;
}

describe('operation ids', () => {
  it('are <type>:<entity id>, read back whatever the id holds (colons, underscores)', () => {
    expect(operationId('order', '10023')).toBe('order:10023');
    expect(parseOperationId(operationId('promo_code', 'a:b_c'))).toEqual({ type: 'promo_code', entityId: 'a:b_c' });
    expect(parseOperationId('customer:')).toEqual({ type: 'customer', entityId: '' });
    expect(parseOperationId('variant:x')).toBeNull();
    expect(parseOperationId('order')).toBeNull();
    expect(parseOperationId(null)).toBeNull();
  });
});

describe('buildProductOperations', () => {
  const found = productWith();
  const payload = payloadOf(mapProduct(found, settings));

  it('POSTs a new live product with all its variants, and records its hash and code on success', () => {
    const page = buildProductOperations(STORE, settings, [{ id: '101', found, previous: null, orderedWithoutVariant: false, referenced: false }]);
    expect(page.direct).toEqual([]);
    expect(page.operations).toHaveLength(1);
    const [op] = page.operations;
    expect(op.operation).toMatchObject({ method: 'POST', path: `/ecommerce/stores/${STORE}/products`, operation_id: 'product:101' });
    expect(body(op)).toEqual(payload);
    expect(op).toMatchObject({ type: 'product', entityId: '101', contentHash: productHash(payload), remoteId: payload.id, entity: `product ${payload.id}` });
  });

  it('adds the variant named after the code when lines without a variant point at it (the hash stays the mapped payload\'s)', () => {
    const [op] = buildProductOperations(STORE, settings, [{ id: '101', found, previous: null, orderedWithoutVariant: true, referenced: false }]).operations;
    expect((body(op).variants as Array<{ id: string }>).map((v) => v.id)).toEqual(['MUG-01-BLUE', payload.id]);
    expect(op.contentHash).toBe(productHash(payload, [], [codeVariantOf(payload)]));
  });

  it('skips an unchanged product and hands updates, inactive and missing products to the direct path', () => {
    const page = buildProductOperations(STORE, settings, [
      { id: '101', found, previous: state({ content_hash: productHash(payload) }), orderedWithoutVariant: false, referenced: false },
      { id: '102', found: productWith({ id: '102' }), previous: state({ entity_id: '102', content_hash: 'old' }), orderedWithoutVariant: false, referenced: false },
      { id: '103', found: productWith({ id: '103', status: 'inactive' }), previous: state({ entity_id: '103', content_hash: 'old' }), orderedWithoutVariant: false, referenced: true },
      { id: '104', found: null, previous: null, orderedWithoutVariant: false, referenced: false },
      { id: '105', found: productWith({ id: '105' }), previous: state({ status: 'failed' }), orderedWithoutVariant: false, referenced: false },
    ]);
    expect(page.unchanged).toEqual(['101']);
    expect(page.direct).toEqual(['102', '103', '104', '105']);
    expect(page.operations).toEqual([]);
  });

  it('POSTs a new inactive product that orders reference as a placeholder with nothing in stock', () => {
    const [op] = buildProductOperations(STORE, settings, [
      { id: '107', found: productWith({ id: '107', status: 'inactive' }), previous: null, orderedWithoutVariant: false, referenced: true },
    ]).operations;
    expect(op.operation.method).toBe('POST');
    expect((body(op).variants as Array<{ inventory_quantity: number }>).map((v) => v.inventory_quantity)).toEqual([0]);
  });

  it('DELETEs an inactive product no order references, by its code', () => {
    const [op] = buildProductOperations(STORE, settings, [
      { id: '106', found: productWith({ id: '106', code: 'OLD-1', status: 'inactive' }), previous: null, orderedWithoutVariant: false, referenced: false },
    ]).operations;
    expect(op.operation).toEqual({ method: 'DELETE', path: `/ecommerce/stores/${STORE}/products/OLD-1`, operation_id: 'product:106' });
    expect(op).toMatchObject({ deletes: true, remoteId: 'OLD-1' });
    expect(verdictOf(op, { operation_id: 'product:106', status_code: 404, response: { title: 'Resource Not Found' } })).toEqual({ kind: 'synced' });
  });
});

describe('promo rules and codes', () => {
  it('POSTs new rules, and codes only under a rule Mailchimp has', () => {
    const rules = buildPromoRuleOperations(STORE, [{ id: '5', row: promotionRow({ id: '5' }), previous: null }]);
    expect(rules.operations.map((o) => [o.operation.method, o.operation.path])).toEqual([['POST', `/ecommerce/stores/${STORE}/promo-rules`]]);
    const code = promoCodeRow({ id: '9', promotion_id: '5' });
    const promotion = promotionRow({ id: '5' });
    const codes = buildPromoCodeOperations(STORE, settings, 'https://{domain}/c/{code}', [
      { id: '9', code, promotion, previous: null, ruleSynced: true },
      { id: '10', code: { ...code, id: '10' }, promotion, previous: null, ruleSynced: false },
    ]);
    expect(codes.operations).toHaveLength(1);
    expect(codes.operations[0].operation.path).toBe(`/ecommerce/stores/${STORE}/promo-rules/5/promo-codes`);
    expect(codes.operations[0].remoteId).toBe('5/9');
    expect(codes.direct).toEqual(['10']);
  });
});

describe('buildCustomerOperations', () => {
  const record = (over: Partial<CustomerRecord> = {}): CustomerRecord => ({
    emailHash: customerIdForEmail('zoe@example.com'), email: 'zoe@example.com', firstName: 'Zoë', lastName: 'Fake', isGuest: false, shopOptIn: true, ...over,
  });
  const audience = (statuses: Record<string, 'subscribed' | 'unsubscribed'>, doubleOptIn = false) => ({ status: (id: string) => statuses[id] ?? null, doubleOptIn });

  it('PUTs each customer with the consent policy\'s opt_in_status for the audience status from the listing', () => {
    const subscribed = record();
    const unsubscribed = record({ emailHash: customerIdForEmail('u@example.com'), email: 'u@example.com' });
    const page = buildCustomerOperations(STORE, { ...settings, alwaysOptIn: true }, audience({ [unsubscribed.emailHash]: 'unsubscribed', [subscribed.emailHash]: 'subscribed' }), [
      { id: subscribed.emailHash, record: subscribed, previous: null },
      { id: unsubscribed.emailHash, record: unsubscribed, previous: null },
    ]);
    expect(page.operations.map((o) => [o.operation.method, o.operation.path, body(o).opt_in_status])).toEqual([
      ['PUT', `/ecommerce/stores/${STORE}/customers/${subscribed.emailHash}`, true],
      ['PUT', `/ecommerce/stores/${STORE}/customers/${unsubscribed.emailHash}`, false],
    ]);
  });

  it('sends a new consenting contact of a double opt-in audience direct (the pending member comes first)', () => {
    const r = record();
    const page = buildCustomerOperations(STORE, settings, audience({}, true), [{ id: r.emailHash, record: r, previous: null }]);
    expect(page.operations).toEqual([]);
    expect(page.direct).toEqual([r.emailHash]);
    const single = buildCustomerOperations(STORE, { ...settings, alwaysOptIn: true }, audience({}, false), [{ id: r.emailHash, record: r, previous: null }]);
    expect(body(single.operations[0]).opt_in_status).toBe(true);
  });

  it('PUTs the address; a customer with an invalid country code is PUT without it and records why with its success', () => {
    const located = record({ address: { city: 'Oslo', country_code: 'no' } });
    const page = buildCustomerOperations(STORE, settings, audience({}), [{ id: located.emailHash, record: located, previous: null }]);
    expect(body(page.operations[0]).address).toMatchObject({ city: 'Oslo', country_code: 'NO', country: 'Norway' });
    expect(page.operations[0].warning).toBeUndefined();
    const invalid = record({ address: { city: 'Oslo', country_code: 'Norge' } });
    const without = buildCustomerOperations(STORE, settings, audience({}), [{ id: invalid.emailHash, record: invalid, previous: null }]);
    expect(without.direct).toEqual([]);
    expect(without.operations).toHaveLength(1);
    expect(JSON.stringify(body(without.operations[0]))).not.toContain('Norge');
    expect(without.operations[0].warning).toEqual(expect.stringContaining('Norge'));
  });
});

describe('buildOrderOperations', () => {
  it('POSTs a new order with its customer by id, noting what it needs first; skips pending ones; sends updates direct', () => {
    const order = orderCtx();
    const guest = guestOrderCtx({ id: '901', order_number: '10024' });
    const pending = orderCtx({ id: '902', order_number: '10025', status: 'pending' });
    const sent = orderCtx({ id: '903', order_number: '10026' });
    const page = buildOrderOperations(STORE, settings, [
      { id: '900', found: order, previous: null },
      { id: '901', found: guest, previous: null },
      { id: '902', found: pending, previous: null },
      { id: '903', found: sent, previous: state({ entity_type: 'order', entity_id: '903', content_hash: 'old' }) },
    ]);
    expect(page.operations.map((o) => o.entityId)).toEqual(['900', '901']);
    expect(body(page.operations[0]).customer).toEqual({ id: customerIdForEmail('zoe.fake@example.com') });
    expect(page.dependencies.get('901')?.customerId).toBe(customerIdForEmail('ana.lopez+shop@mail.example.es'));
    expect(page.dependencies.get('900')).toMatchObject({ productIds: ['101'], variants: [{ productCode: 'MUG-ÆØÅ-01', variantId: 'MUG-01-BLUE' }] });
    expect(page.skipped).toEqual([{ id: '902', reason: expect.stringContaining('pending') }]);
    expect(page.direct).toEqual(['903']);
  });

  it('POSTs the addresses and tracking; an order with an invalid country code is POSTed without that address and records why with its success', () => {
    const located = orderCtx({ shipping_city: 'Oslo', shipping_country_code: 'NO', tracking_number: 'T-1' });
    const page = buildOrderOperations(STORE, settings, [{ id: '900', found: located, previous: null }]);
    expect(body(page.operations[0])).toMatchObject({ shipping_address: { city: 'Oslo', country_code: 'NO' }, tracking_number: 'T-1' });
    expect(page.operations[0].warning).toBeUndefined();
    const invalid = orderCtx({ billing_city: 'Oslo', billing_country_code: 'Norge' });
    const without = buildOrderOperations(STORE, settings, [{ id: '900', found: invalid, previous: null }]);
    expect(without.direct).toEqual([]);
    expect(without.operations).toHaveLength(1);
    expect(JSON.stringify(body(without.operations[0]))).not.toContain('Norge');
    expect(without.operations[0].warning).toEqual(expect.stringContaining('Norge'));
  });

  it('with SEND_PENDING_ORDERS, POSTs a new pending order as pending', () => {
    const pending = orderCtx({ status: 'pending' });
    const page = buildOrderOperations(STORE, { ...settings, orders: { sendPending: true, urlTemplate: '' } }, [{ id: '900', found: pending, previous: null }]);
    expect(body(page.operations[0]).financial_status).toBe('pending');
    expect(page.skipped).toEqual([]);
  });

  it('sends an order that went back to pending after it was sent direct (it is deleted from Mailchimp there)', () => {
    const pending = orderCtx({ id: '904', order_number: '10027', status: 'pending' });
    const page = buildOrderOperations(STORE, settings, [
      { id: '904', found: pending, previous: state({ entity_type: 'order', entity_id: '904', remote_id: '10027' }) },
      { id: '905', found: orderCtx({ id: '905', order_number: '10028', status: 'pending' }), previous: state({ entity_type: 'order', entity_id: '905', status: 'deleted', remote_id: '10028' }) },
    ]);
    expect(page.direct).toEqual(['904']);
    expect(page.skipped).toEqual([{ id: '905', reason: expect.stringContaining('pending') }]);
    expect(page.operations).toEqual([]);
  });

  it('PUTs first, with no stock, a variant a line names that the shop no longer sells', () => {
    const found = productWith({}, [variantRow(), variantRow({ id: '1002', sku: 'MUG-OLD', status: 'deleted' })]);
    const order = orderCtx({}, { lines: [lineRow(), lineRow({ id: '2', variant_id: '1002', variant_sku: 'MUG-OLD' })] });
    const page = buildOrderOperations(STORE, settings, [{ id: '900', found: order, previous: null }]);
    const ops = buildLineVariantOperations(STORE, settings, page.dependencies, new Map([['MUG-ÆØÅ-01', { found, orderedWithoutVariant: false, referenced: false }]]));
    expect(ops).toHaveLength(1);
    expect(ops[0].orderIds).toEqual(['900']);
    expect(ops[0].operation.method).toBe('PUT');
    expect(ops[0].operation.path).toBe(`/ecommerce/stores/${STORE}/products/${encodeURIComponent('MUG-ÆØÅ-01')}/variants/MUG-OLD`);
    expect(JSON.parse(ops[0].operation.body)).toEqual({ id: 'MUG-OLD', title: payloadOf(mapProduct(found, settings)).title, inventory_quantity: 0 });
  });
});

describe('verdictOf: an operation result read like a direct response', () => {
  const [op] = buildOrderOperations(STORE, settings, [{ id: '900', found: orderCtx(), previous: null }]).operations;
  const result = (status_code: number, response: unknown) => ({ operation_id: op.operation.operation_id, status_code, response });

  it('2xx is synced; a refusal is failed with Mailchimp\'s message and field errors', () => {
    expect(verdictOf(op, result(200, { id: '10023' }))).toEqual({ kind: 'synced' });
    const refused = verdictOf(op, result(400, { title: 'Invalid Resource', detail: 'bad', errors: [{ field: 'lines.0.price', message: 'must be a number' }] }));
    expect(refused.kind).toBe('failed');
    if (refused.kind !== 'failed') return;
    expect(refused.error.message).toBe('Mailchimp rejected order 10023: lines.0.price: must be a number');
    expect(refused.error.fieldErrors).toEqual([{ field: 'lines.0.price', message: 'must be a number' }]);
  });

  it('already exists, a missing product, 5xx, 429 and a missing result go direct; a refused key is fatal', () => {
    const exists = { title: 'Bad Request', detail: 'An order with the provided ID already exists in the account.' };
    expect(verdictOf(op, result(400, exists)).kind).toBe('direct');
    expect(verdictOf(op, result(400, { title: 'Bad Request', detail: 'A product with the provided ID does not exist in the account for this list.' })).kind).toBe('direct');
    expect(verdictOf(op, result(503, '')).kind).toBe('direct');
    expect(verdictOf(op, result(429, { title: 'Too Many Requests', detail: '' })).kind).toBe('direct');
    expect(verdictOf(op, undefined).kind).toBe('direct');
    // The direct lane's status 0: no answer at all (a timeout, a reset), retried, never recorded as a refusal.
    expect(verdictOf(op, result(0, { title: 'ECONNRESET', detail: 'the connection was reset', errors: [] })).kind).toBe('direct');
    expect(verdictOf(op, result(401, { title: 'API Key Invalid', detail: '' })).kind).toBe('fatal');
  });
});
