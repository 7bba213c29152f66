import { ApplicationFailure } from '@temporalio/common';
import { classifyFailures } from '../../../activities/failures';
import { MailchimpError, NON_RETRYABLE_MAILCHIMP_ERROR_TYPES } from '../../../mailchimp/errors';
import { FAILURE_TYPES, NON_RETRYABLE_ERROR_TYPES } from '../../../workflows/contract';

describe('activity failures', () => {
  it('turns a 429 into a retryable failure that waits as long as Retry-After says', async () => {
    const activities = classifyFailures({
      async call(): Promise<void> {
        throw new MailchimpError({ kind: 'rate_limited', status: 429, title: 'Too Many Requests', detail: 'slow down', retryAfterMs: 7000 });
      },
    });
    const failure = await activities.call().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).type).toBe('MailchimpRateLimitedError');
    expect((failure as ApplicationFailure).nonRetryable).toBe(false);
    expect((failure as ApplicationFailure).nextRetryDelay).toBe(7000);
  });

  it('makes a validation refusal non-retryable, and passes results through', async () => {
    const activities = classifyFailures({
      async bad(): Promise<void> {
        throw new MailchimpError({ kind: 'validation', status: 400, title: 'Invalid Resource', detail: 'bad', fieldErrors: [{ field: 'price', message: 'must be a number' }] });
      },
      async good(x: number): Promise<number> {
        return x + 1;
      },
    });
    const failure = (await activities.bad().catch((e: unknown) => e)) as ApplicationFailure;
    expect(failure.type).toBe('MailchimpValidationError');
    expect(failure.nonRetryable).toBe(true);
    expect(await activities.good(1)).toBe(2);
  });

  it('the workflows retry policy treats every non-retryable Mailchimp kind as non-retryable, and the refusals of the activities (FAILURE_TYPES)', () => {
    expect([...NON_RETRYABLE_ERROR_TYPES].sort()).toEqual([...NON_RETRYABLE_MAILCHIMP_ERROR_TYPES, ...Object.values(FAILURE_TYPES)].sort());
    expect([...NON_RETRYABLE_ERROR_TYPES].sort()).toEqual(
      ['MailchimpComplianceError', 'MailchimpMemberExistsError', 'MailchimpValidationError', 'StoreSetupError', 'SyncDisabled'].sort(),
    );
  });
});
