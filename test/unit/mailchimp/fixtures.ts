/**
 * Valid request bodies, one per schema, each filling every nested container (lines, promos, variants, images,
 * tags, operations) so tests can remove or change one field at a time.
 */
import type {
  CartLinePayload,
  CartPatchPayload,
  CartPayload,
  BatchRequest,
  CustomerPatchPayload,
  CustomerPayload,
  ListWebhookPayload,
  MemberPatchPayload,
  MemberPostPayload,
  MemberPutPayload,
  MemberTagsPayload,
  OrderLinePayload,
  OrderPatchPayload,
  OrderPayload,
  ProductPatchPayload,
  ProductPayload,
  PromoCodePatchPayload,
  PromoCodePayload,
  PromoRulePatchPayload,
  PromoRulePayload,
  StorePatchPayload,
  StorePayload,
  VariantPatchPayload,
  VariantPayload,
} from '../../../mailchimp/schemas';

export const validStore = (): StorePayload => ({
  id: 'shop1',
  list_id: 'a1b2c3d4e5',
  name: 'Test Shop',
  platform: 'custom',
  domain: 'shop.example.com',
  is_syncing: false,
  email_address: 'owner@example.com',
  currency_code: 'EUR',
  money_format: '€',
  primary_locale: 'en',
  timezone: 'Europe/Berlin',
  phone: '+49 30 123456',
  address: { address1: 'Main St 1', city: 'Berlin', country_code: 'DE', longitude: 13.4, latitude: 52.5 },
});

export const validStorePatch = (): StorePatchPayload => ({ name: 'Renamed Shop', currency_code: 'USD', is_syncing: true });

export const validCustomer = (id = 'cust-1'): CustomerPayload => ({
  id,
  email_address: `${id}@example.com`,
  opt_in_status: true,
  company: 'ACME',
  first_name: 'Ada',
  last_name: 'Lovelace',
  address: { address1: 'Main St 1', city: 'London', country_code: 'GB' },
});

export const validCustomerPatch = (): CustomerPatchPayload => ({ opt_in_status: false, first_name: 'Ada' });

export const validVariant = (id = 'var-1'): VariantPayload => ({
  id,
  title: 'Blue, size M',
  url: 'https://shop.example.com/p/1?v=1',
  sku: 'SKU-1',
  price: 19.99,
  inventory_quantity: 3,
  image_url: 'https://shop.example.com/i/1.jpg',
  backorders: 'false',
  visibility: 'visible',
});

export const validVariantPatch = (): VariantPatchPayload => ({ price: 17.5, inventory_quantity: 2 });

export const validProduct = (id = 'prod-1', variantId = 'var-1'): ProductPayload => ({
  id,
  title: 'T-shirt',
  handle: 't-shirt',
  url: 'https://shop.example.com/p/1',
  description: 'A shirt',
  type: 'Apparel',
  vendor: 'ACME',
  image_url: 'https://shop.example.com/i/1.jpg',
  variants: [validVariant(variantId)],
  images: [{ id: 'img-1', url: 'https://shop.example.com/i/1.jpg', variant_ids: [variantId] }],
  published_at_foreign: '2024-05-01T10:00:00Z',
});

export const validProductPatch = (): ProductPatchPayload => ({
  title: 'T-shirt (new)',
  variants: [{ id: 'var-1', title: 'Blue, size M', price: 18 }],
  images: [{ id: 'img-1', url: 'https://shop.example.com/i/2.jpg' }],
});

export const validOrderLine = (id = 'line-1', productId = 'prod-1', variantId = 'var-1'): OrderLinePayload => ({
  id,
  product_id: productId,
  product_variant_id: variantId,
  quantity: 2,
  price: 19.99,
  discount: 0,
});

export const validOrder = (id = '10023', productId = 'prod-1', variantId = 'var-1'): OrderPayload => ({
  id,
  customer: { id: 'cust-1', email_address: 'cust-1@example.com', opt_in_status: false, first_name: 'Ada' },
  financial_status: 'paid',
  fulfillment_status: 'shipped',
  currency_code: 'EUR',
  order_total: 39.98,
  tax_total: 6.38,
  tracking_code: 'prec',
  processed_at_foreign: '2024-05-02T09:30:00+02:00',
  shipping_address: { name: 'Ada Lovelace', address1: 'Main St 1', city: 'London', country_code: 'GB' },
  promos: [{ code: 'SUMMER10', amount_discounted: 4, type: 'fixed' }],
  lines: [validOrderLine('line-1', productId, variantId)],
  outreach: { id: 'camp-1' },
});

export const validOrderPatch = (): OrderPatchPayload => ({
  financial_status: 'refunded',
  customer: { first_name: 'Ada' },
  promos: [{ code: 'SUMMER10', amount_discounted: 4, type: 'fixed' }],
  lines: [{ id: 'line-1', quantity: 1 }],
});

export const validPromoRule = (id = 'rule-1'): PromoRulePayload => ({
  id,
  title: 'Summer sale',
  description: '10 percent off everything',
  starts_at: '2024-06-01T00:00:00Z',
  ends_at: '2024-08-31T23:59:59Z',
  amount: 0.1,
  type: 'percentage',
  target: 'total',
  enabled: true,
});

export const validPromoRulePatch = (): PromoRulePatchPayload => ({ description: '15 percent off', amount: 0.15, type: 'percentage', target: 'total' });

export const validPromoCode = (id = 'code-1'): PromoCodePayload => ({
  id,
  code: 'SUMMER10',
  redemption_url: 'https://shop.example.com/cart?promo=SUMMER10',
  usage_count: 0,
  enabled: true,
});

export const validPromoCodePatch = (): PromoCodePatchPayload => ({ enabled: false, usage_count: 5 });

export const validMemberPut = (email = 'member@example.com'): MemberPutPayload => ({
  email_address: email,
  status_if_new: 'subscribed',
  status: 'subscribed',
  merge_fields: { FNAME: 'Ada', LNAME: 'Lovelace' },
  language: 'en',
  marketing_permissions: [{ marketing_permission_id: 'mp1', enabled: true }],
});

export const validMemberPost = (email = 'member@example.com'): MemberPostPayload => ({
  email_address: email,
  status: 'subscribed',
  merge_fields: { FNAME: 'Ada' },
  tags: ['vip'],
  marketing_permissions: [{ marketing_permission_id: 'mp1', enabled: true }],
});

export const validMemberPatch = (): MemberPatchPayload => ({
  status: 'unsubscribed',
  marketing_permissions: [{ marketing_permission_id: 'mp1', enabled: false }],
});

export const validMemberTags = (): MemberTagsPayload => ({ tags: [{ name: 'customer', status: 'active' }], is_syncing: true });

export const validBatchRequest = (): BatchRequest => ({
  operations: [
    {
      method: 'POST',
      path: '/ecommerce/stores/shop1/products',
      body: JSON.stringify(validProduct('prod-b')),
      operation_id: 'product:prod-b',
    },
  ],
});

export const validListWebhook = (): ListWebhookPayload => ({
  url: 'https://hooks.example.com/mailchimp?secret=s3cret',
  events: { subscribe: true, unsubscribe: true, profile: true, cleaned: true, upemail: true, campaign: false },
  sources: { user: true, admin: true, api: false },
});

export const validCartLine = (id = 'cl-1', productId = 'prod-1', variantId = 'var-1'): CartLinePayload => ({
  id, product_id: productId, product_variant_id: variantId, quantity: 2, price: 19.99,
});

export const validCart = (id = 'cart-1', productId = 'prod-1', variantId = 'var-1'): CartPayload => ({
  id,
  customer: { id: 'cust-1', email_address: 'cust-1@example.com', opt_in_status: false, first_name: 'Ada' },
  campaign_id: 'cmp-1',
  checkout_url: 'https://shop.example.com/cart/cart-1',
  currency_code: 'USD',
  order_total: 39.98,
  tax_total: 3.2,
  lines: [validCartLine('cl-1', productId, variantId)],
});

export const validCartPatch = (): CartPatchPayload => ({
  order_total: 19.99, tax_total: 0, campaign_id: '', checkout_url: 'https://shop.example.com/cart/cart-1', customer: { first_name: 'Ada' },
  lines: [{ id: 'cl-1', quantity: 1 }],
});
