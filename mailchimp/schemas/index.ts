/** Every request body the sync sends to Mailchimp: the client refuses invalid ones, the emulator rejects them. */
export { MAILCHIMP_LIMITS } from './limits';
export { PROMO_TYPES } from './common';
export { validatePayload, formatFieldErrors, type FieldError, type ValidationResult } from './validate';
export { storeSchema, storePatchSchema, type StorePayload, type StorePatchPayload } from './store';
export { customerSchema, customerPatchSchema, type CustomerPayload, type CustomerPatchPayload } from './customer';
export {
  productSchema,
  productPatchSchema,
  productPutSchema,
  variantSchema,
  variantPatchSchema,
  type ProductPayload,
  type ProductPatchPayload,
  type VariantPayload,
  type VariantPatchPayload,
} from './product';
export {
  orderSchema, orderPatchSchema, orderLineSchema, orderLinePatchSchema, type OrderPayload, type OrderPatchPayload, type OrderLinePayload,
  type OrderLinePatchPayload,
} from './order';
export {
  PROMO_TARGETS,
  promoRuleSchema,
  promoRulePatchSchema,
  promoCodeSchema,
  promoCodePatchSchema,
  type PromoRulePayload,
  type PromoRulePatchPayload,
  type PromoCodePayload,
  type PromoCodePatchPayload,
} from './promo';
export {
  MEMBER_WRITE_STATUSES,
  MEMBER_PATCH_STATUSES,
  TAG_STATUSES,
  memberPutSchema,
  memberPostSchema,
  memberPatchSchema,
  memberTagsSchema,
  type MemberPutPayload,
  type MemberPostPayload,
  type MemberPatchPayload,
  type MemberTagsPayload,
} from './member';
export { BATCH_METHODS, batchOperationSchema, batchRequestSchema, type BatchOperation, type BatchRequest } from './batch';
export { listWebhookSchema, type ListWebhookPayload } from './list-webhook';
export {
  cartSchema, cartPatchSchema, cartLineSchema, cartLinePatchSchema, type CartPayload, type CartPatchPayload, type CartLinePayload,
  type CartLinePatchPayload,
} from './cart';
