import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { BatchOperationResult, MailchimpClient } from '../../mailchimp';
import type { BatchOperation } from '../../mailchimp/schemas';
import { retryTransient } from '../retry';

export interface BatchWaitOptions {
  /** First wait between polls; it grows ×1.5 while nothing moves, back to this after progress. */
  pollMs?: number;
  /** Longest wait between polls. */
  maxPollMs?: number;
  /**
   * The wait is bounded by the time since `finished_operations` last moved (Mailchimp can sit in `preprocessing` or
   * `finalizing` for hours): after this long without progress the batch is stopped and every operation is handed to
   * the direct path (no result is "the caller's to retry"), so a stuck batch never stops the sync.
   */
  stallMs?: number;
  /** Called after every poll (the activity heartbeats with it). */
  onPoll?: (progress: { batchId: string; status: string; finished: number; total: number }) => void;
  /** Called once Mailchimp has accepted the batch (POST /batches answered), before the wait. */
  onSubmitted?: (batchId: string) => void;
  /** Called when a stalled batch was stopped and its operations handed to the direct path (for the logs). */
  onStall?: (progress: { batchId: string; status: string; finished: number; total: number }) => void;
  /**
   * The page was taken back (BACKFILL_MODE=auto: the activity was cancelled): the batch is stopped (DELETE) and
   * runBatch throws a CancelledFailure, before submitting when it is aborted already. Nothing is recorded for its
   * operations; the direct lane sends them again (creates Mailchimp has become updates, so no order twice).
   */
  signal?: AbortSignal;
}

const DEFAULT_POLL_MS = 250;
const DEFAULT_MAX_POLL_MS = 5000;
export const DEFAULT_STALL_MS = 10 * 60_000;

/** Waits `ms`, or less when `signal` aborts meanwhile. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

function takenBack(): CancelledFailure {
  return new CancelledFailure('The page was taken back by the direct lane: its batch is stopped');
}

/**
 * Submits one batch (POST /batches), waits until Mailchimp calls it finished and reads the results archive.
 * Every operation the archive names is in the result; an operation missing from it is the caller's to retry.
 * A 429 (too many pending batches), 5xx or timeout on these calls is retried a few times, then thrown.
 */
export async function runBatch(mailchimp: MailchimpClient, operations: readonly BatchOperation[], options: BatchWaitOptions = {}): Promise<BatchOperationResult[]> {
  if (operations.length === 0) return [];
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const maxPollMs = options.maxPollMs ?? DEFAULT_MAX_POLL_MS;
  const stallMs = options.stallMs ?? DEFAULT_STALL_MS;
  if (options.signal?.aborted) throw takenBack();
  const created = await retryTransient(() => mailchimp.createBatch(operations), 6);
  const batchId = created.id;
  options.onSubmitted?.(batchId);
  let finished = -1;
  let lastMove = Date.now();
  let wait = pollMs;
  for (;;) {
    await sleep(wait, options.signal);
    if (options.signal?.aborted) {
      // Stopped, so it cannot write an older version later than the direct lane's.
      await retryTransient(() => mailchimp.stopBatch(batchId), 6);
      throw takenBack();
    }
    const batch = await retryTransient(() => mailchimp.getBatch(batchId), 6);
    options.onPoll?.({ batchId, status: batch.status, finished: batch.finished_operations, total: batch.total_operations });
    if (batch.status === 'finished') {
      if (!batch.response_body_url) throw ApplicationFailure.retryable(`Batch ${batchId} finished without a results archive`, 'BatchWithoutResults');
      const url = batch.response_body_url;
      // Only the statuses of successes are used (activities/batch/apply.ts): their bodies are dropped as they stream in.
      return retryTransient(() => mailchimp.getBatchResults(url, { successBodies: false }), 6);
    }
    if (batch.finished_operations !== finished) {
      finished = batch.finished_operations;
      lastMove = Date.now();
      wait = pollMs;
    } else {
      wait = Math.min(maxPollMs, Math.round(wait * 1.5));
    }
    const still = Date.now() - lastMove;
    if (still > stallMs) {
      // Stopped first, so it cannot write an older version later; what it already did is repeated harmlessly by the
      // direct path (creates of what exists become updates, so no order is created twice).
      await retryTransient(() => mailchimp.stopBatch(batchId), 6);
      options.onStall?.({ batchId, status: batch.status, finished: batch.finished_operations, total: batch.total_operations });
      return [];
    }
  }
}
