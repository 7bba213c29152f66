/**
 * Promotions → Mailchimp promo rules; promo codes → promo codes under their rule.
 * The rule id is the promotion id, the code id the promo_codes id.
 */
import type { PromoCodePayload, PromoRulePatchPayload, PromoRulePayload } from '../mailchimp/schemas';
import type { PromoCodeRow, PromotionRow, ShopSettings } from './shop-rows';
import { isoUtc } from './dates';
import { nonNegativeMoney, parseDecimal, percentToFraction } from './money';
import { invalid, ok, type Mapped } from './result';
import { normaliseDomain } from './store';
import { cleanText, quote, truncateChars, truncateUtf8 } from './text';

export const PROMO_RULE_ID_MAX_LENGTH = 50;
export const PROMO_RULE_TITLE_MAX_BYTES = 100;
export const PROMO_RULE_DESCRIPTION_MAX_LENGTH = 255;
export const PROMO_CODE_ID_MAX_LENGTH = 50;
export const PROMO_CODE_CODE_MAX_LENGTH = 50;
export const REDEMPTION_URL_MAX_LENGTH = 2000;
/** The default of PROMO_REDEMPTION_URL. */
export const DEFAULT_REDEMPTION_URL_TEMPLATE = 'https://{domain}/cart?promo={code}';

/**
 * Maps a promotion to a promo rule.
 * - title: control characters removed, cut to 100 UTF-8 bytes on a character boundary (never fails);
 * - description: the title when empty; cut to 255 characters;
 * - amount: percentage → amount / 100 (a fraction 0..1); fixed → the amount of money;
 * - starts_at / ends_at ISO UTC when set; type, target, enabled as stored.
 * Fails: id longer than 50, no title and no description, amount not a number or negative, a percentage over 100,
 * ends_at not after starts_at.
 */
export function mapPromoRule(promotion: PromotionRow): Mapped<PromoRulePayload> {
  const id = promotion.id.trim();
  const subject = `Promotion ${id}`;
  const fail = (what: string, field?: string): Mapped<PromoRulePayload> => invalid(`${subject} was not sent: ${what}`, field);

  if (id === '') return fail('its id is empty', 'id');
  if (id.length > PROMO_RULE_ID_MAX_LENGTH) return fail(`its id is longer than ${PROMO_RULE_ID_MAX_LENGTH} characters`, 'id');

  const fullTitle = cleanText(promotion.title);
  const title = fullTitle === undefined ? undefined : truncateUtf8(fullTitle, PROMO_RULE_TITLE_MAX_BYTES);
  const fullDescription = cleanText(promotion.description) ?? fullTitle;
  if (fullDescription === undefined) return fail('it has neither a title nor a description', 'description');
  const description = truncateChars(fullDescription, PROMO_RULE_DESCRIPTION_MAX_LENGTH);

  let amount: number;
  if (promotion.discount_type === 'percentage') {
    const percent = parseDecimal(promotion.amount);
    const fraction = percentToFraction(promotion.amount);
    if (percent === undefined || fraction === undefined) {
      return fail(`the percentage ${quote(String(promotion.amount))} is not a number`, 'amount');
    }
    if (percent < 0 || percent > 100) return fail(`the percentage ${promotion.amount} is not between 0 and 100`, 'amount');
    amount = fraction;
  } else if (promotion.discount_type === 'fixed') {
    const money = nonNegativeMoney(promotion.amount, 'the amount');
    if (!money.ok) return fail(money.problem, 'amount');
    amount = money.value;
  } else {
    return fail(`its discount type ${quote(String(promotion.discount_type))} is neither percentage nor fixed`, 'type');
  }

  const startsAt = isoUtc(promotion.starts_at);
  const endsAt = isoUtc(promotion.ends_at);
  if (promotion.starts_at !== null && startsAt === undefined) return fail('its start date is not a valid date', 'starts_at');
  if (promotion.ends_at !== null && endsAt === undefined) return fail('its end date is not a valid date', 'ends_at');
  if (startsAt !== undefined && endsAt !== undefined && promotion.ends_at!.getTime() <= promotion.starts_at!.getTime()) {
    return fail(`it ends (${endsAt}) before or when it starts (${startsAt})`, 'ends_at');
  }

  const payload: PromoRulePayload = {
    id,
    description,
    amount,
    type: promotion.discount_type,
    target: promotion.target,
    enabled: promotion.enabled,
  };
  if (title !== undefined && title !== '') payload.title = title;
  if (startsAt !== undefined) payload.starts_at = startsAt;
  if (endsAt !== undefined) payload.ends_at = endsAt;
  return ok(payload);
}

/**
 * The PATCH body that updates a promo rule Mailchimp has: everything but `id`; a title emptied in the shop is sent as
 * "" (a PATCH only changes what it sends). Dates cannot be emptied this way: see ruleKeepsRemovedDate.
 */
export function promoRulePatchFrom(payload: PromoRulePayload): PromoRulePatchPayload {
  const { id: _id, ...rest } = payload;
  return { title: '', ...rest };
}

/**
 * Whether Mailchimp's rule (as its PATCH answered) keeps a start or end date the promotion no longer has. Both are
 * date-times, so "" is refused, and there is no PUT for promo rules: the rule is deleted and created again with its
 * codes (safe: orders name their promos by code text, not by rule).
 */
export function ruleKeepsRemovedDate(remote: { starts_at?: unknown; ends_at?: unknown }, payload: PromoRulePayload): boolean {
  const kept = (value: unknown) => typeof value === 'string' && value !== '';
  return (payload.starts_at === undefined && kept(remote.starts_at)) || (payload.ends_at === undefined && kept(remote.ends_at));
}

/**
 * The redemption URL: `template` with every {domain} replaced by the store's bare domain and every {code} by the
 * URL-encoded code (encodeURIComponent).
 */
export function redemptionUrl(template: string, domain: string, code: string): string {
  return template.split('{domain}').join(normaliseDomain(domain)).split('{code}').join(encodeURIComponent(code));
}

/**
 * Maps a promo code of `promotion`.
 * - id, code (trimmed, control characters removed), redemption_url from `template`, usage_count, enabled (the code's).
 * Fails: the code belongs to another promotion, id or code empty or longer than 50, usage_count negative or not a whole
 * number, a redemption URL longer than 2000 characters.
 */
export function mapPromoCode(
  code: PromoCodeRow,
  promotion: PromotionRow,
  settings: ShopSettings,
  template: string = DEFAULT_REDEMPTION_URL_TEMPLATE,
): Mapped<PromoCodePayload> {
  const id = code.id.trim();
  const subject = `Promo code ${id}`;
  const fail = (what: string, field?: string): Mapped<PromoCodePayload> => invalid(`${subject} was not sent: ${what}`, field);

  if (id === '') return fail('its id is empty', 'id');
  if (id.length > PROMO_CODE_ID_MAX_LENGTH) return fail(`its id is longer than ${PROMO_CODE_ID_MAX_LENGTH} characters`, 'id');
  if (code.promotion_id.trim() !== promotion.id.trim()) {
    return fail(`it belongs to promotion ${code.promotion_id}, not ${promotion.id}`, 'promotion_id');
  }
  const text = cleanText(code.code);
  if (text === undefined) return fail('its code is empty', 'code');
  if (text.length > PROMO_CODE_CODE_MAX_LENGTH) {
    return fail(`the code ${quote(text)} is longer than ${PROMO_CODE_CODE_MAX_LENGTH} characters`, 'code');
  }
  if (!Number.isInteger(code.usage_count) || code.usage_count < 0) {
    return fail(`its usage count ${code.usage_count} is not a whole number of 0 or more`, 'usage_count');
  }
  const url = redemptionUrl(template, settings.storeDomain, text);
  if (url.length > REDEMPTION_URL_MAX_LENGTH) {
    return fail(`its redemption URL is longer than ${REDEMPTION_URL_MAX_LENGTH} characters`, 'redemption_url');
  }
  return ok({ id, code: text, redemption_url: url, usage_count: code.usage_count, enabled: code.enabled });
}

/** Where a promo code is in Mailchimp, as the sync state and reconcile key it: `<rule id>/<code id>`. */
export function promoCodeRemoteId(ruleId: string, codeId: string): string {
  return `${ruleId}/${codeId}`;
}

/** The rule and code of a promoCodeRemoteId (split at the first "/"; without one, all of it is the rule). */
export function splitPromoCodeRemoteId(remoteId: string): { ruleId: string; codeId: string } {
  const at = remoteId.indexOf('/');
  return at < 0 ? { ruleId: remoteId, codeId: '' } : { ruleId: remoteId.slice(0, at), codeId: remoteId.slice(at + 1) };
}
