/**
 * The consent policy: the ONE place that decides what a sync does about marketing consent.
 * Pure and total: every combination of its four inputs has a tested answer (test/unit/mapping/consent.test.ts).
 *
 * Mailchimp facts it relies on (reference/mailchimp-api.md, "opt_in_status"):
 * - for an address not in the audience, a customer with opt_in_status true creates a SUBSCRIBED member, false a
 *   TRANSACTIONAL one;
 * - opt_in_status never overwrites a pre-existing member's status, except that false → true on a member the
 *   e-commerce API created upgrades it to subscribed;
 * - a member PUT with status_if_new 'pending' makes Mailchimp send the double opt-in confirmation e-mail.
 */
import type { CustomerRecord, ShopSettings } from './shop-rows';

export type MemberStatus = 'subscribed' | 'unsubscribed' | 'cleaned' | 'pending' | 'transactional' | 'archived';

export interface ConsentInput {
  /** The address's status in the audience; null = not in the audience. */
  memberStatus: MemberStatus | null;
  /** The contact gave marketing consent in the shop. */
  shopOptIn: boolean;
  /** Shop setting: new contacts who consent are subscribed straight away. */
  alwaysOptIn: boolean;
  /** Audience setting: new subscribers must confirm by e-mail. */
  doubleOptIn: boolean;
}

export type MemberAction = { action: 'none' } | { action: 'create_pending' };

export interface ConsentDecision {
  /** opt_in_status to send on the e-commerce customer. */
  customerOptIn: boolean;
  /** create_pending: PUT the member with status_if_new 'pending' BEFORE the customer; Mailchimp e-mails the confirmation. */
  member: MemberAction;
  /** The customer stays transactional until the contact confirms; the caller waits for the confirmation. */
  awaitConfirmation: boolean;
  /** Why, in a sentence for the operator. */
  reason: string;
}

export function decideConsent(input: ConsentInput): ConsentDecision {
  const { memberStatus, shopOptIn, alwaysOptIn, doubleOptIn } = input;

  // Rule 1: a sync never changes an existing member's status. Only a subscribed member gets opt_in_status true
  // (a no-op for them); everyone else gets false, which never changes anything. Sending true to an unsubscribed,
  // cleaned, pending, transactional or archived member could subscribe them without fresh confirmation.
  if (memberStatus !== null) {
    if (memberStatus === 'subscribed') {
      return {
        customerOptIn: true,
        member: { action: 'none' },
        awaitConfirmation: false,
        reason: 'Already subscribed in the audience: opt_in_status true keeps it that way; a sync never changes a member.',
      };
    }
    return {
      customerOptIn: false,
      member: { action: 'none' },
      awaitConfirmation: false,
      reason:
        `Already in the audience as ${memberStatus}: a sync never changes an existing member's status, ` +
        'so opt_in_status is false' +
        (shopOptIn ? ' even though the shop has their consent (subscribing them needs a fresh confirmation).' : '.'),
    };
  }

  // Rule 2: no consent in the shop → a transactional customer, nothing else.
  if (!shopOptIn) {
    return {
      customerOptIn: false,
      member: { action: 'none' },
      awaitConfirmation: false,
      reason: 'New contact without marketing consent: added as transactional (order e-mails only).',
    };
  }

  // Rule 3: consent + double opt-in audience → create the member as pending first (Mailchimp sends the
  // confirmation e-mail); the customer stays transactional for e-commerce until the contact confirms.
  if (doubleOptIn) {
    return {
      customerOptIn: false,
      member: { action: 'create_pending' },
      awaitConfirmation: true,
      reason:
        'New contact with marketing consent on a double opt-in audience: created as pending so Mailchimp e-mails a ' +
        'confirmation; transactional until they confirm.',
    };
  }

  // Rule 4: consent + "always opt-in" shop setting → subscribed.
  if (alwaysOptIn) {
    return {
      customerOptIn: true,
      member: { action: 'none' },
      awaitConfirmation: false,
      reason: 'New contact with marketing consent and "always opt-in" on: added as subscribed.',
    };
  }

  // Rule 5: consent without "always opt-in" → transactional (the shop has not chosen to subscribe consenting buyers).
  return {
    customerOptIn: false,
    member: { action: 'none' },
    awaitConfirmation: false,
    reason: 'New contact with marketing consent, but "always opt-in" is off: added as transactional.',
  };
}

/** Only a new contact who consented depends on the audience's double opt-in setting. */
export function needsAudienceDoubleOptIn(record: Pick<CustomerRecord, 'shopOptIn'>, current: MemberStatus | null): boolean {
  return current === null && record.shopOptIn;
}

/** The consent policy's input for one contact, and its decision (the audience setting is passed in). */
export function consentFor(
  record: Pick<CustomerRecord, 'shopOptIn'>, current: MemberStatus | null, settings: Pick<ShopSettings, 'alwaysOptIn'>, audienceDoubleOptIn: boolean,
): ConsentDecision {
  return decideConsent({
    memberStatus: current,
    shopOptIn: record.shopOptIn,
    alwaysOptIn: settings.alwaysOptIn,
    doubleOptIn: needsAudienceDoubleOptIn(record, current) ? audienceDoubleOptIn : false,
  });
}
