import { ActivityCancellationType, proxyActivities, type RetryPolicy } from '@temporalio/workflow';
import type { Activities } from './activity-contract';
import { NON_RETRYABLE_ERROR_TYPES } from './contract';

/**
 * Retries: transient Mailchimp and database errors retry with backoff, without limit (an outage drains afterwards);
 * refusals no retry can fix (NON_RETRYABLE_ERROR_TYPES, workflows/contract.ts) fail at once. Mailchimp's 429 Retry-After is honoured through nextRetryDelay.
 * The backoff stops growing at 30 s: that bounds how long after Mailchimp is back every change made during an outage
 * waits for its next attempt, however long the outage lasted (at 2 minutes, an outage's backlog took 2 minutes and
 * more to drain). The price is one attempt per waiting entity every 30 s while the outage lasts.
 */
const retry: RetryPolicy = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES] };

/**
 * Entity activities heartbeat every 5 s as well (activities/index.ts whileAlive): an attempt lost with its worker, or
 * never received by it, is retried after 20 s; without a heartbeat timeout it waited the whole start-to-close (2 min).
 */
export const entityActivities = proxyActivities<Activities>({ startToCloseTimeout: '2m', heartbeatTimeout: '20s', retry });

/** Page activities heartbeat every 5 s while their worker lives (activities/index.ts whileAlive): a killed worker's page restarts after 20 s. */
export const pageActivities = proxyActivities<Activities>({ startToCloseTimeout: '15m', heartbeatTimeout: '20s', retry });

/**
 * Batch pages wait for Mailchimp to process their batches, at its pace: a longer start-to-close, while the wait itself
 * is bounded by the time without progress (activities/batch/submit.ts); same heartbeat as the other pages.
 */
export const batchPageActivities = proxyActivities<Activities>({ startToCloseTimeout: '1h', heartbeatTimeout: '20s', retry });

/**
 * The batch lane of BACKFILL_MODE=auto: its pages can be taken back by the direct lane (cancelled). A cancel reaches the
 * activity with a heartbeat's answer (the page heartbeats every second, the worker sends one a second at most:
 * workers/worker.ts). The workflow waits until the activity has stopped its batches and released its rows' locks
 * (WAIT_CANCELLATION_COMPLETED) before the direct lane sends them.
 */
export const autoBatchPageActivities = proxyActivities<Activities>({
  startToCloseTimeout: '1h', heartbeatTimeout: '20s', retry, cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
});
