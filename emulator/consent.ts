import type { MemberOrigin, MemberStatus } from './state';

/**
 * What an e-commerce customer write does to the audience (Mailchimp's documented opt_in_status rules):
 * - no member yet: create one, subscribed when opted in (pending when the list uses double opt-in), else transactional;
 * - an existing member keeps its status, except that opting in (the customer was not opted in before) subscribes a
 *   transactional member the e-commerce API itself created;
 * - opting out never changes anything.
 */
export type CustomerAudienceAction =
  | { kind: 'create'; status: MemberStatus }
  | { kind: 'set-status'; status: MemberStatus }
  | { kind: 'none' };

export interface CustomerAudienceInput {
  member: { status: MemberStatus; source: MemberOrigin } | undefined;
  optIn: boolean;
  /** The customer's opt_in_status before this write; undefined for a new customer. */
  previousOptIn: boolean | undefined;
  doubleOptIn: boolean;
}

export function customerAudienceAction(input: CustomerAudienceInput): CustomerAudienceAction {
  const subscribedStatus: MemberStatus = input.doubleOptIn ? 'pending' : 'subscribed';
  if (!input.member) return { kind: 'create', status: input.optIn ? subscribedStatus : 'transactional' };
  if (
    input.optIn &&
    input.previousOptIn !== true &&
    input.member.source === 'api-ecommerce' &&
    input.member.status === 'transactional'
  ) {
    return { kind: 'set-status', status: subscribedStatus };
  }
  return { kind: 'none' };
}
