/** The one classification of Mailchimp failures, and how activities report them to Temporal. */
export { MailchimpError, MAILCHIMP_ERROR_KINDS, type MailchimpErrorKind, type MailchimpErrorInit, type MailchimpErrorJSON } from './mailchimp-error';
export { classifyResponse, classifyNetworkError, isNetworkError, type RequestContext, type HeaderBag } from './classify';
export { toActivityFailure, NON_RETRYABLE_MAILCHIMP_ERROR_TYPES, MAILCHIMP_ERROR_TYPES, type MailchimpFailureDetails } from './activity-failure';
export { redactSecrets, REDACTED } from './redact';
export { parseRetryAfter } from './retry-after';
