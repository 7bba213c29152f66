import { promoCodePatchSchema, promoCodeSchema, promoRulePatchSchema, promoRuleSchema } from '../../mailchimp/schemas';
import { noContent, ok, type Handler } from '../context';
import type { Router } from '../router';
import type { Json, PromoRuleRecord, Stamped, StoreRecord } from '../state';
import { page, paging } from '../util';
import { validateBody } from '../validation';
import { STORES, collection, duplicate, findStore, found, stamp, touch } from './ecommerce';

const RULES = `${STORES}/{store_id}/promo-rules`;
const CODES = `${RULES}/{promo_rule_id}/promo-codes`;

function ruleView(rule: Stamped): Json {
  return {
    id: rule.data.id,
    title: '',
    description: rule.data.description,
    starts_at: '',
    ends_at: '',
    amount: rule.data.amount,
    type: rule.data.type,
    target: rule.data.target,
    enabled: true,
    created_at_foreign: '',
    updated_at_foreign: '',
    ...rule.data,
    created_at: rule.created_at,
    updated_at: rule.updated_at,
    _links: [],
  };
}

function codeView(code: Stamped): Json {
  return {
    id: code.data.id,
    code: code.data.code,
    redemption_url: code.data.redemption_url,
    usage_count: 0,
    enabled: true,
    created_at_foreign: '',
    updated_at_foreign: '',
    ...code.data,
    created_at: code.created_at,
    updated_at: code.updated_at,
    _links: [],
  };
}

function findRule(store: StoreRecord, ruleId: string): PromoRuleRecord {
  return found(store.promoRules.get(ruleId));
}

const listRules: Handler = ({ params, query, services }) => {
  const store = findStore(services, params.store_id);
  const { items, total } = page(store.promoRules.values(), store.promoRules.size, paging(query));
  return ok(collection('promo_rules', items.map(ruleView), total, { store_id: params.store_id }));
};

const postRule: Handler = ({ params, body, services }) => {
  const store = findStore(services, params.store_id);
  const input = validateBody(promoRuleSchema, body, 'promo rule');
  if (store.promoRules.has(input.id)) throw duplicate('A promo rule');
  const rule: PromoRuleRecord = { ...stamp({ ...input }), codes: new Map() };
  store.promoRules.set(input.id, rule);
  return ok(ruleView(rule));
};

const getRule: Handler = ({ params, services }) => ok(ruleView(findRule(findStore(services, params.store_id), params.promo_rule_id)));

const patchRule: Handler = ({ params, body, services }) => {
  const rule = findRule(findStore(services, params.store_id), params.promo_rule_id);
  touch(rule, validateBody(promoRulePatchSchema, body, 'promo rule'));
  return ok(ruleView(rule));
};

/** Deleting a rule deletes its codes. */
const deleteRule: Handler = ({ params, services }) => {
  const store = findStore(services, params.store_id);
  findRule(store, params.promo_rule_id);
  store.promoRules.delete(params.promo_rule_id);
  return noContent();
};

const listCodes: Handler = ({ params, query, services }) => {
  const rule = findRule(findStore(services, params.store_id), params.promo_rule_id);
  const { items, total } = page(rule.codes.values(), rule.codes.size, paging(query));
  return ok(collection('promo_codes', items.map(codeView), total, { store_id: params.store_id }));
};

const postCode: Handler = ({ params, body, services }) => {
  const rule = findRule(findStore(services, params.store_id), params.promo_rule_id);
  const input = validateBody(promoCodeSchema, body, 'promo code');
  if (rule.codes.has(input.id)) throw duplicate('A promo code');
  const code = stamp({ ...input });
  rule.codes.set(input.id, code);
  return ok(codeView(code));
};

const getCode: Handler = ({ params, services }) => {
  const rule = findRule(findStore(services, params.store_id), params.promo_rule_id);
  return ok(codeView(found(rule.codes.get(params.promo_code_id))));
};

const patchCode: Handler = ({ params, body, services }) => {
  const rule = findRule(findStore(services, params.store_id), params.promo_rule_id);
  const code = found(rule.codes.get(params.promo_code_id));
  touch(code, validateBody(promoCodePatchSchema, body, 'promo code'));
  return ok(codeView(code));
};

const deleteCode: Handler = ({ params, services }) => {
  const rule = findRule(findStore(services, params.store_id), params.promo_rule_id);
  found(rule.codes.get(params.promo_code_id));
  rule.codes.delete(params.promo_code_id);
  return noContent();
};

export function registerPromoRoutes(router: Router<Handler>): void {
  router.add('GET', RULES, listRules);
  router.add('POST', RULES, postRule);
  router.add('GET', `${RULES}/{promo_rule_id}`, getRule);
  router.add('PATCH', `${RULES}/{promo_rule_id}`, patchRule);
  router.add('DELETE', `${RULES}/{promo_rule_id}`, deleteRule);
  router.add('GET', CODES, listCodes);
  router.add('POST', CODES, postCode);
  router.add('GET', `${CODES}/{promo_code_id}`, getCode);
  router.add('PATCH', `${CODES}/{promo_code_id}`, patchCode);
  router.add('DELETE', `${CODES}/{promo_code_id}`, deleteCode);
}
