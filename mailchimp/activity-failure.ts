import { ApplicationFailure } from '@temporalio/common';
import { MailchimpError, type MailchimpErrorKind } from './mailchimp-error';
import { classifyNetworkError, isNetworkError } from './classify';
import { redactSecrets } from './redact';
import { MAILCHIMP_ERROR_TYPES, NON_RETRYABLE_KINDS } from './error-types';

export { MAILCHIMP_ERROR_TYPES, NON_RETRYABLE_MAILCHIMP_ERROR_TYPES } from './error-types';

/** `details[0]` of a Mailchimp activity failure. */
export interface MailchimpFailureDetails {
  kind: MailchimpErrorKind;
  status: number;
  title: string;
  detail: string;
  fieldErrors: { field: string; message: string }[];
}

/**
 * Turns whatever an activity caught into an ApplicationFailure to throw. Mailchimp errors keep their kind
 * as the failure type; a 429 with Retry-After sets `nextRetryDelay`. Text is scrubbed of `secrets`
 * and of anything shaped like an API key.
 */
export function toActivityFailure(err: unknown, secrets: readonly string[] = []): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const error = err instanceof MailchimpError ? err : isNetworkError(err) ? classifyNetworkError(err, { secrets }) : undefined;
  if (error === undefined) {
    const name = err instanceof Error ? err.name : 'Error';
    const message = err instanceof Error ? err.message : String(err);
    return ApplicationFailure.create({ message: redactSecrets(message, secrets), type: name, nonRetryable: false });
  }
  const scrub = (text: string) => redactSecrets(text, secrets);
  const details: MailchimpFailureDetails = {
    kind: error.kind,
    status: error.status,
    title: scrub(error.title),
    detail: scrub(error.detail),
    fieldErrors: error.fieldErrors.map((e) => ({ field: scrub(e.field), message: scrub(e.message) })),
  };
  return ApplicationFailure.create({
    message: scrub(error.message),
    type: MAILCHIMP_ERROR_TYPES[error.kind],
    nonRetryable: NON_RETRYABLE_KINDS.includes(error.kind),
    details: [details],
    ...(error.kind === 'rate_limited' && error.retryAfterMs !== undefined ? { nextRetryDelay: error.retryAfterMs } : {}),
  });
}
