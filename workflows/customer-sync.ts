import { ApplicationFailure, condition, patched, setHandler, sleep } from '@temporalio/workflow';
import type { SyncOutcome } from './activity-contract';
import { toMs } from '../config/duration';
import { entityActivities } from './activities-proxy';
import { entityChanged, optInConfirmed } from './contract';

export interface CustomerSyncInput {
  storeId: string;
  /** MD5 of the trimmed, lowercased email: the customer id in Mailchimp. */
  emailHash: string;
  /** Skip the first sync and only wait for the confirmation (the member was just created pending). */
  awaitConfirmation?: boolean;
  /** How long to wait for a double opt-in confirmation (default 7 days). */
  optInTimeout?: string | number;
  /** How often to look at the member while waiting, in case the webhook never comes (default 1 hour). */
  pollInterval?: string | number;
}

export type ConsentOutcome = 'subscribed' | 'expired' | 'declined' | 'not-needed';

/**
 * One customer. When the consent policy created a pending member (double opt-in), waits durably for the
 * confirmation (a signal from the audience webhook, or the member found subscribed when polled) until the deadline,
 * and records the outcome in the shop database.
 */
export async function customerSyncWorkflow(input: CustomerSyncInput): Promise<{ outcome: SyncOutcome | null; consent: ConsentOutcome }> {
  let changed = !input.awaitConfirmation;
  let confirmed = false;
  setHandler(entityChanged, () => {
    changed = true;
  });
  setHandler(optInConfirmed, () => {
    confirmed = true;
  });

  let outcome: SyncOutcome | null = null;
  let awaiting = Boolean(input.awaitConfirmation);
  const syncNow = async () => {
    changed = false;
    outcome = await entityActivities.syncEntityNow({ entityType: 'customer', entityId: input.emailHash });
    if (outcome.status === 'failed') throw ApplicationFailure.nonRetryable(outcome.reason, 'EntitySyncFailed');
    if (outcome.awaitConfirmation) awaiting = true;
  };

  if (changed) {
    await sleep(500);
    await syncNow();
  }
  if (!awaiting) return { outcome, consent: 'not-needed' };

  const timeoutMs = toMs(input.optInTimeout ?? '7 days');
  const pollMs = toMs(input.pollInterval ?? '1 hour');
  const deadline = Date.now() + timeoutMs;
  let consent: ConsentOutcome = 'expired';
  while (!confirmed && Date.now() < deadline) {
    await condition(() => confirmed || changed, Math.max(1, Math.min(pollMs, deadline - Date.now())));
    if (changed) await syncNow();
    if (confirmed) break;
    const status = await entityActivities.checkMemberStatus({ emailHash: input.emailHash });
    if (status === 'subscribed') confirmed = true;
    else if (status === 'unsubscribed' || status === 'cleaned') {
      consent = 'declined';
      break;
    }
  }
  if (confirmed) consent = 'subscribed';
  await entityActivities.recordConsentOutcome({ emailHash: input.emailHash, status: consent === 'subscribed' ? 'subscribed' : `pending-${consent}` });
  // Confirmed: the customer is sent again, now with opt_in_status true, as a fresh sync of a subscribed member sends it.
  // Forced: the customer's content hash leaves consent out, so it alone would call the customer unchanged.
  if (consent === 'subscribed' && patched('resend-customer-after-confirmation')) {
    outcome = await entityActivities.syncEntityNow({ entityType: 'customer', entityId: input.emailHash, force: true });
    if (outcome.status === 'failed') throw ApplicationFailure.nonRetryable(outcome.reason, 'EntitySyncFailed');
  }
  return { outcome, consent };
}
