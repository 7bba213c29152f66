import { z } from 'zod';
import { MAILCHIMP_LIMITS as L } from './limits';
import { PROMO_TYPES, isoDateTime, resourceId } from './common';

export const PROMO_TARGETS = ['per_item', 'total', 'shipping'] as const;

const maxChars = (n: number) => `must be at most ${n} characters`;

const promoRuleFields = {
  title: z
    .string()
    .refine((t) => Buffer.byteLength(t, 'utf8') <= L.promoRuleTitleMaxBytes, `must be at most ${L.promoRuleTitleMaxBytes} bytes in UTF-8`)
    .optional(),
  description: z.string().min(1, 'must not be empty').max(L.promoRuleDescriptionMaxLength, maxChars(L.promoRuleDescriptionMaxLength)),
  starts_at: isoDateTime.optional(),
  ends_at: isoDateTime.optional(),
  amount: z.number(),
  /** Free shipping is `fixed` with target `shipping`. */
  type: z.enum(PROMO_TYPES),
  target: z.enum(PROMO_TARGETS),
  enabled: z.boolean().optional(),
  created_at_foreign: isoDateTime.optional(),
  updated_at_foreign: isoDateTime.optional(),
};

interface PromoRuleShape {
  amount?: number;
  type?: (typeof PROMO_TYPES)[number];
  starts_at?: string;
  ends_at?: string;
}

/** Rules that span fields: a percentage is a fraction, and a rule ends after it starts. */
function checkPromoRule(rule: PromoRuleShape, ctx: z.RefinementCtx): void {
  if (rule.type === 'percentage' && rule.amount !== undefined) {
    if (rule.amount < L.percentageAmountMin || rule.amount > L.percentageAmountMax) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['amount'], message: 'must be between 0 and 1 for a percentage rule' });
    }
  }
  if (rule.starts_at !== undefined && rule.ends_at !== undefined) {
    if (Date.parse(rule.ends_at) <= Date.parse(rule.starts_at)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['ends_at'], message: 'must be after starts_at' });
    }
  }
}

/** POST /promo-rules. */
export const promoRuleSchema = z
  .object({ id: resourceId.max(L.promoRuleIdMaxLength, maxChars(L.promoRuleIdMaxLength)), ...promoRuleFields })
  .strip()
  .superRefine(checkPromoRule);

/** PATCH /promo-rules/{promo_rule_id}. The cross-field rules apply to the fields sent together. */
export const promoRulePatchSchema = z.object(promoRuleFields).partial().strip().superRefine(checkPromoRule);

const promoCodeFields = {
  code: z.string().min(1, 'must not be empty').max(L.promoCodeCodeMaxLength, maxChars(L.promoCodeCodeMaxLength)),
  redemption_url: z
    .string()
    .min(1, 'must not be empty')
    .max(L.promoCodeRedemptionUrlMaxLength, maxChars(L.promoCodeRedemptionUrlMaxLength)),
  usage_count: z.number().int('must be a whole number').optional(),
  enabled: z.boolean().optional(),
  created_at_foreign: isoDateTime.optional(),
  updated_at_foreign: isoDateTime.optional(),
};

/** POST /promo-rules/{promo_rule_id}/promo-codes. */
export const promoCodeSchema = z
  .object({ id: resourceId.max(L.promoCodeIdMaxLength, maxChars(L.promoCodeIdMaxLength)), ...promoCodeFields })
  .strip();

/** PATCH /promo-rules/{promo_rule_id}/promo-codes/{promo_code_id}. */
export const promoCodePatchSchema = z.object(promoCodeFields).partial().strip();

export type PromoRulePayload = z.infer<typeof promoRuleSchema>;
export type PromoRulePatchPayload = z.infer<typeof promoRulePatchSchema>;
export type PromoCodePayload = z.infer<typeof promoCodeSchema>;
export type PromoCodePatchPayload = z.infer<typeof promoCodePatchSchema>;
