import { inspect } from 'node:util';
import { ApplicationFailure } from '@temporalio/common';
import {
  MAILCHIMP_ERROR_KINDS,
  MailchimpError,
  NON_RETRYABLE_MAILCHIMP_ERROR_TYPES,
  classifyResponse,
  redactSecrets,
  toActivityFailure,
  type MailchimpErrorKind,
} from '../../../mailchimp/errors';

const error = (kind: MailchimpErrorKind, extra: Partial<ConstructorParameters<typeof MailchimpError>[0]> = {}) =>
  new MailchimpError({ kind, status: 400, title: 'T', detail: 'D', method: 'POST', path: '/x', ...extra });

describe('toActivityFailure', () => {
  const expected: Record<MailchimpErrorKind, [string, boolean]> = {
    validation: ['MailchimpValidationError', true],
    compliance: ['MailchimpComplianceError', true],
    member_exists: ['MailchimpMemberExistsError', true],
    already_exists: ['MailchimpAlreadyExistsError', false],
    missing_dependency: ['MailchimpMissingDependencyError', false],
    not_found: ['MailchimpNotFoundError', false],
    auth: ['MailchimpAuthError', false],
    rate_limited: ['MailchimpRateLimitedError', false],
    transient: ['MailchimpTransientError', false],
  };

  it.each(MAILCHIMP_ERROR_KINDS.map((k) => [k]))('%s has its type and retryability', (kind) => {
    const failure = toActivityFailure(error(kind));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect([failure.type, failure.nonRetryable]).toEqual(expected[kind]);
  });

  it('lists the non-retryable types for retry policies', () => {
    expect([...NON_RETRYABLE_MAILCHIMP_ERROR_TYPES].sort()).toEqual(
      ['MailchimpComplianceError', 'MailchimpMemberExistsError', 'MailchimpValidationError'].sort(),
    );
  });

  it('reads as a sentence and carries the details', () => {
    const failure = toActivityFailure(
      error('validation', { entity: 'order 10023', fieldErrors: [{ field: 'lines.0.price', message: 'must be a number' }] }),
    );
    expect(failure.message).toBe('Mailchimp rejected order 10023: lines.0.price: must be a number');
    expect(failure.details).toEqual([
      { kind: 'validation', status: 400, title: 'T', detail: 'D', fieldErrors: [{ field: 'lines.0.price', message: 'must be a number' }] },
    ]);
  });

  it('a 429 with Retry-After sets nextRetryDelay', () => {
    const failure = toActivityFailure(classifyResponse(429, { title: 'Too Many Requests', detail: '' }, { 'retry-after': '12' }));
    expect(failure.type).toBe('MailchimpRateLimitedError');
    expect(failure.nextRetryDelay).toBe(12_000);
    expect(toActivityFailure(error('rate_limited', { status: 429 })).nextRetryDelay).toBeUndefined();
  });

  it('network errors become transient failures; other errors stay retryable under their own name', () => {
    expect(toActivityFailure(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })).type).toBe('MailchimpTransientError');
    const other = toActivityFailure(new TypeError('x is not a function'));
    expect([other.type, other.nonRetryable]).toEqual(['TypeError', false]);
  });

  it('passes an ApplicationFailure through', () => {
    const original = ApplicationFailure.nonRetryable('stop', 'Custom');
    expect(toActivityFailure(original)).toBe(original);
  });

  it('never carries the API key, even when a server echoes it', () => {
    const key = 'fake-emulator-key-us1';
    const echoed = classifyResponse(401, { title: 'API Key Invalid', detail: `Key ${key} is invalid` }, {}, { secrets: [key] });
    const failure = toActivityFailure(echoed, [key]);
    for (const text of [echoed.message, JSON.stringify(echoed), inspect(echoed), failure.message, JSON.stringify(failure.details)]) {
      expect(text).not.toContain(key);
    }
    const plain = toActivityFailure(new Error(`boom ${key}`), [key]);
    expect(plain.message).not.toContain(key);
  });
});

describe('redactSecrets', () => {
  it('removes the given secrets, key-shaped strings and auth header values', () => {
    const realLooking = `${'0123456789abcdef'.repeat(2)}-us14`; // shaped like a key, obviously fake
    const text = redactSecrets(`a my-secret b ${realLooking} Authorization: Basic dXNlcjpzZWNyZXQ=`, ['my-secret']);
    expect(text).toBe('a [REDACTED] b [REDACTED] Authorization: Basic [REDACTED]');
  });
});
