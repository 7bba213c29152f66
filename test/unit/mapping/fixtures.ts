/** Realistic, messy shop rows for the mapping tests. Each builder takes overrides. */
import type { z } from 'zod';
import { validatePayload } from '../../../mailchimp/schemas';
import type {
  OrderLineRow,
  OrderWithContext,
  ProductRow,
  ProductWithVariants,
  PromoCodeRow,
  PromotionRow,
  ShopSettings,
  UserRow,
  VariantRow,
} from '../../../mapping/shop-rows';
import type { Mapped } from '../../../mapping/result';

export const settings: ShopSettings = {
  mailchimpSyncEnabled: true,
  alwaysOptIn: false,
  storeName: 'Zoë’s Bäckerei & Café ☕',
  storeDomain: 'shop.example.com',
  storeCurrency: 'EUR',
};

const t0 = new Date('2026-03-01T09:30:00.000Z');
const t1 = new Date('2026-03-02T17:45:12.345Z');

export function productRow(over: Partial<ProductRow> = {}): ProductRow {
  return {
    id: '101',
    code: 'MUG-ÆØÅ-01',
    title: 'Mug “Morning” ☕ 350 ml',
    description: '<p>Hand-glazed <b>stoneware</b> — dishwasher safe 🍽️</p>\n<ul><li>350 ml</li></ul>',
    category: 'Kitchen & Dining',
    vendor: 'Keramik Müller GmbH',
    seo_url: '/kitchen/mugs/morning-mug',
    image_url: 'https://cdn.example.com/img/mug.jpg',
    status: 'active',
    published_at: new Date('2026-01-15T08:00:00.000Z'),
    created_at: t0,
    updated_at: t1,
    ...over,
  };
}

export function variantRow(over: Partial<VariantRow> = {}): VariantRow {
  return {
    id: '1001',
    product_id: '101',
    sku: 'MUG-01-BLUE',
    title: 'Blue / Blau 🔵',
    price: '14.90',
    currency: 'EUR',
    inventory_quantity: 42,
    image_url: 'https://cdn.example.com/img/mug-blue.jpg',
    status: 'active',
    created_at: t0,
    updated_at: t1,
    ...over,
  };
}

export function productWith(over: Partial<ProductRow> = {}, variants: VariantRow[] = [variantRow()]): ProductWithVariants {
  return { product: productRow(over), variants };
}

export function userRow(over: Partial<UserRow> = {}): UserRow {
  return {
    id: '7',
    email: '  Zoe.Fake@Example.COM ',
    first_name: 'Zoë',
    last_name: 'Ŝmith-O’Connor',
    marketing_opt_in: true,
    marketing_opt_in_at: t0,
    created_at: t0,
    updated_at: t1,
    ...over,
  };
}

export type LineWithContext = OrderWithContext['lines'][number];

export function lineRow(over: Partial<OrderLineRow & { product_code: string; variant_sku: string | null }> = {}): LineWithContext {
  return {
    id: '5001',
    order_id: '900',
    product_id: '101',
    variant_id: '1001',
    quantity: 2,
    unit_price: '14.90',
    discount: '1.49',
    product_code: 'MUG-ÆØÅ-01',
    variant_sku: 'MUG-01-BLUE',
    ...over,
  };
}

export function promotionRow(over: Partial<PromotionRow> = {}): PromotionRow {
  return {
    id: '33',
    title: 'Spring sale 🌸 10 %',
    description: 'Ten percent off everything in spring',
    discount_type: 'percentage',
    amount: '10.00',
    target: 'total',
    starts_at: new Date('2026-03-20T00:00:00.000Z'),
    ends_at: new Date('2026-06-21T00:00:00.000Z'),
    enabled: true,
    created_at: t0,
    updated_at: t1,
    ...over,
  };
}

export function promoCodeRow(over: Partial<PromoCodeRow> = {}): PromoCodeRow {
  return {
    id: '77',
    promotion_id: '33',
    code: 'SPRING10',
    usage_count: 5,
    enabled: true,
    created_at: t0,
    updated_at: t1,
    ...over,
  };
}

export function orderCtx(
  over: Partial<OrderWithContext['order']> = {},
  rest: Partial<Omit<OrderWithContext, 'order'>> = {},
): OrderWithContext {
  return {
    order: {
      id: '900',
      order_number: '10023',
      user_id: '7',
      guest_email: null,
      guest_first_name: null,
      guest_last_name: null,
      status: 'paid',
      currency: 'EUR',
      discount_total: '2.98',
      tax_total: '4.76',
      shipping_total: '4.95',
      order_total: '31.77',
      promo_code: null,
      campaign_id: null,
      landing_site: null,
      ordered_at: new Date('2026-03-05T22:59:59.999Z'),
      updated_at: new Date('2026-03-06T07:00:00.000Z'),
      ...over,
    },
    lines: [lineRow()],
    user: userRow(),
    promotion: null,
    ...rest,
  };
}

/** A guest order: no user, guest columns set. */
export function guestOrderCtx(over: Partial<OrderWithContext['order']> = {}): OrderWithContext {
  return orderCtx(
    { user_id: null, guest_email: 'Ana.Lopez+shop@Mail.example.ES', guest_first_name: 'Ana María', guest_last_name: 'López', ...over },
    { user: null },
  );
}

/** The payload of an ok result, failing the test with the reason otherwise. */
export function payloadOf<T>(m: Mapped<T>): T {
  if (m.kind !== 'ok') throw new Error(`expected ok, got ${m.kind}: ${m.reason}`);
  return m.payload;
}

/** Asserts that the schema accepts the payload unchanged (mapping and schemas agree). */
export function expectSchemaAccepts(schema: z.ZodTypeAny, payload: unknown, label = 'payload'): void {
  const r = validatePayload(schema, payload, label);
  if (!r.ok) throw new Error(`schema rejected ${label}: ${r.message}`);
  expect(r.value).toEqual(payload);
}
