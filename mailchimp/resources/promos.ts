import { apiPath } from '../api-path';
import {
  promoCodePatchSchema,
  promoCodeSchema,
  promoRulePatchSchema,
  promoRuleSchema,
  type PromoCodePatchPayload,
  type PromoCodePayload,
  type PromoRulePatchPayload,
  type PromoRulePayload,
} from '../schemas';
import type { Transport } from '../transport';
import type { PromoCodeResource, PromoRuleResource } from '../types';
import { idOf } from './collection';

export interface PromoMethods {
  getPromoRule(storeId: string, ruleId: string): Promise<PromoRuleResource | null>;
  createPromoRule(storeId: string, body: PromoRulePayload): Promise<PromoRuleResource>;
  updatePromoRule(storeId: string, ruleId: string, patch: PromoRulePatchPayload): Promise<PromoRuleResource>;
  deletePromoRule(storeId: string, ruleId: string): Promise<void>;
  getPromoCode(storeId: string, ruleId: string, codeId: string): Promise<PromoCodeResource | null>;
  createPromoCode(storeId: string, ruleId: string, body: PromoCodePayload): Promise<PromoCodeResource>;
  updatePromoCode(storeId: string, ruleId: string, codeId: string, patch: PromoCodePatchPayload): Promise<PromoCodeResource>;
  deletePromoCode(storeId: string, ruleId: string, codeId: string): Promise<void>;
}

export function promoMethods(t: Transport): PromoMethods {
  const rules = (storeId: string) => apiPath`/ecommerce/stores/${storeId}/promo-rules`;
  const rule = (storeId: string, ruleId: string) => apiPath`/ecommerce/stores/${storeId}/promo-rules/${ruleId}`;
  const codes = (storeId: string, ruleId: string) => `${rule(storeId, ruleId)}/promo-codes`;
  const code = (storeId: string, ruleId: string, codeId: string) => `${codes(storeId, ruleId)}/${encodeURIComponent(codeId)}`;
  const codeLabel = (ruleId: string, codeId: string) => `promo code ${codeId} of rule ${ruleId}`;
  return {
    getPromoRule: (storeId, ruleId) => t.callOrNull({ method: 'GET', path: rule(storeId, ruleId), entity: `promo rule ${ruleId}` }),
    createPromoRule: (storeId, body) =>
      t.send(promoRuleSchema, { method: 'POST', path: rules(storeId), body, entity: `promo rule ${idOf(body)}` }),
    updatePromoRule: (storeId, ruleId, patch) =>
      t.send(promoRulePatchSchema, { method: 'PATCH', path: rule(storeId, ruleId), body: patch, entity: `promo rule ${ruleId}` }),
    deletePromoRule: (storeId, ruleId) => t.remove({ path: rule(storeId, ruleId), entity: `promo rule ${ruleId}` }),
    getPromoCode: (storeId, ruleId, codeId) =>
      t.callOrNull({ method: 'GET', path: code(storeId, ruleId, codeId), entity: codeLabel(ruleId, codeId) }),
    createPromoCode: (storeId, ruleId, body) =>
      t.send(promoCodeSchema, { method: 'POST', path: codes(storeId, ruleId), body, entity: codeLabel(ruleId, idOf(body)) }),
    updatePromoCode: (storeId, ruleId, codeId, patch) =>
      t.send(promoCodePatchSchema, { method: 'PATCH', path: code(storeId, ruleId, codeId), body: patch, entity: codeLabel(ruleId, codeId) }),
    deletePromoCode: (storeId, ruleId, codeId) => t.remove({ path: code(storeId, ruleId, codeId), entity: codeLabel(ruleId, codeId) }),
  };
}
