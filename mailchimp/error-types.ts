import type { MailchimpErrorKind } from './mailchimp-error';

/**
 * The Temporal failure `type` of each Mailchimp error kind, and the kinds no retry can fix. Pure (no I/O, no SDK), so
 * the workflows' retry policy (workflows/contract.ts) reads the same list the activities classify with.
 */

/** The Temporal failure `type` of each kind, e.g. `MailchimpValidationError`. */
export const MAILCHIMP_ERROR_TYPES: Readonly<Record<MailchimpErrorKind, string>> = {
  validation: 'MailchimpValidationError',
  already_exists: 'MailchimpAlreadyExistsError',
  member_exists: 'MailchimpMemberExistsError',
  missing_dependency: 'MailchimpMissingDependencyError',
  not_found: 'MailchimpNotFoundError',
  compliance: 'MailchimpComplianceError',
  auth: 'MailchimpAuthError',
  rate_limited: 'MailchimpRateLimitedError',
  transient: 'MailchimpTransientError',
};

/** Kinds that sending the same request again can never fix: the entity fails until its data changes. */
export const NON_RETRYABLE_KINDS: readonly MailchimpErrorKind[] = ['validation', 'compliance', 'member_exists'];

/** For `RetryPolicy.nonRetryableErrorTypes`. */
export const NON_RETRYABLE_MAILCHIMP_ERROR_TYPES: readonly string[] = NON_RETRYABLE_KINDS.map((kind) => MAILCHIMP_ERROR_TYPES[kind]);
