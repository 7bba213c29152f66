/**
 * Limits Mailchimp documents for the bodies and calls the sync makes (Marketing API v3.0).
 * Only customer `id` is a `maxLength` in the spec; the rest come from field descriptions and guides.
 */
export const MAILCHIMP_LIMITS = {
  /** Customer id, also the inline `customer.id` of orders and carts. */
  customerIdMaxLength: 50,
  promoRuleIdMaxLength: 50,
  /** Measured in UTF-8 bytes, not characters. */
  promoRuleTitleMaxBytes: 100,
  promoRuleDescriptionMaxLength: 255,
  promoCodeIdMaxLength: 50,
  promoCodeCodeMaxLength: 50,
  promoCodeRedemptionUrlMaxLength: 2000,
  /** A percentage promo's amount is a fraction: 0.0 to 1.0 inclusive. */
  percentageAmountMin: 0,
  percentageAmountMax: 1,
  /** `count` on collection GETs. */
  pageSizeMax: 1000,
  /** Simultaneous connections per API key; more get 429. */
  maxConnectionsPerKey: 10,
  /** Mailchimp ends a call after this long. */
  serverTimeoutMs: 120_000,
} as const;
