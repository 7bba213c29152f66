import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { BatchOperationResult, BatchResource, MailchimpClient } from '../../mailchimp';
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
   * Unless the batch's progress says its work is done or about to be (read first, see runBatch): then it is not
   * taken back but applied, and runBatch returns as if nothing had been asked.
   */
  signal?: AbortSignal;
  /**
   * A take-back waits this long at most for a batch whose last operations should run by then, at the pace it has
   * shown (default TAKE_BACK_GRACE_MS).
   */
  graceMs?: number;
}

const DEFAULT_POLL_MS = 250;
const DEFAULT_MAX_POLL_MS = 5000;
export const DEFAULT_STALL_MS = 10 * 60_000;
/**
 * A take-back costs a stop and a direct page for the whole range, and every operation the batch applied costs more
 * there (a create Mailchimp has becomes a fallback to the update). A batch whose remaining operations should run
 * within this, at its pace so far, is waited for instead (its results are then known without its archive: ranClean).
 */
export const TAKE_BACK_GRACE_MS = 3000;

/**
 * Every operation of the batch has run and none returned an error (`finished_operations` counts the errored ones too,
 * `errored_operations` those that returned an error): so each returned a success, and a success's status is all the
 * sync reads of it (apply.ts; their bodies are dropped). Mailchimp may stay in `finalizing` for hours after this,
 * building the results archive; the sync does not wait for an archive that can only say "success" for each.
 */
export function ranClean(batch: Pick<BatchResource, 'status' | 'total_operations' | 'finished_operations' | 'errored_operations'>, submitted: number): boolean {
  return batch.status !== 'pending' && batch.status !== 'preprocessing' && batch.total_operations === submitted
    && batch.finished_operations >= batch.total_operations && batch.errored_operations === 0;
}

/** The results of a batch that ran clean (ranClean): a success for every operation with an id, as its archive would say. */
function cleanResults(operations: readonly BatchOperation[]): BatchOperationResult[] {
  return operations.flatMap((op) => (op.operation_id ? [{ operation_id: op.operation_id, status_code: 200, response: null }] : []));
}

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
 * Submits one batch (POST /batches), waits until Mailchimp has run it and reads the results: from the results archive
 * once the batch is finished, or, when every operation ran and none errored (ranClean), without waiting for the
 * archive (the batch is then stopped: nothing is left to run, and it no longer counts among the pending batches).
 * Every operation the archive names is in the result; an operation missing from it is the caller's to retry.
 * A 429 (too many pending batches), 5xx or timeout on these calls is retried a few times, then thrown.
 * Taken back (`signal`), it reads the batch's progress first: a batch that ran clean, or is finished, is applied, not
 * taken back; one that should run its last operations within `graceMs` at its pace so far is waited for that long;
 * any other is stopped and a CancelledFailure thrown.
 */
export async function runBatch(mailchimp: MailchimpClient, operations: readonly BatchOperation[], options: BatchWaitOptions = {}): Promise<BatchOperationResult[]> {
  if (operations.length === 0) return [];
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const maxPollMs = options.maxPollMs ?? DEFAULT_MAX_POLL_MS;
  const stallMs = options.stallMs ?? DEFAULT_STALL_MS;
  const graceMs = options.graceMs ?? TAKE_BACK_GRACE_MS;
  if (options.signal?.aborted) throw takenBack();
  const created = await retryTransient(() => mailchimp.createBatch(operations), 6);
  const batchId = created.id;
  const submittedAt = Date.now();
  options.onSubmitted?.(batchId);
  let finished = -1;
  let lastMove = Date.now();
  let wait = pollMs;
  /** When a take-back is waiting for the batch's last operations, until when (null: no take-back asked). */
  let graceUntil: number | null = null;
  for (;;) {
    // While a take-back waits, the signal has fired already: the sleep runs its time.
    await sleep(graceUntil === null ? wait : Math.min(wait, pollMs), options.signal);
    const abortedNow = graceUntil === null && options.signal?.aborted === true;
    const batch = await retryTransient(() => mailchimp.getBatch(batchId), 6);
    options.onPoll?.({ batchId, status: batch.status, finished: batch.finished_operations, total: batch.total_operations });
    if (batch.status === 'finished') {
      if (!batch.response_body_url) throw ApplicationFailure.retryable(`Batch ${batchId} finished without a results archive`, 'BatchWithoutResults');
      const url = batch.response_body_url;
      // Only the statuses of successes are used (activities/batch/apply.ts): their bodies are dropped as they stream in.
      return retryTransient(() => mailchimp.getBatchResults(url, { successBodies: false }), 6);
    }
    if (ranClean(batch, operations.length)) {
      // Only tidying: the batch has nothing left to run, and finishes on its own if the stop fails.
      await retryTransient(() => mailchimp.stopBatch(batchId), 6).catch(() => undefined);
      return cleanResults(operations);
    }
    const left = batch.total_operations - batch.finished_operations;
    if (abortedNow) {
      // Its last operations at its pace so far (preprocessing included, so rather slower than it runs).
      const eta = batch.finished_operations > 0 ? (left * (Date.now() - submittedAt)) / batch.finished_operations : Infinity;
      if (left <= 0 || eta > graceMs) return stopTakenBack();
      graceUntil = Date.now() + graceMs;
    } else if (graceUntil !== null && (left <= 0 || Date.now() >= graceUntil)) {
      // Run with errors (their archive may take hours), or not in time: taken back after all.
      return stopTakenBack();
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

  /** Stopped, so it cannot write an older version later than the direct lane's. */
  async function stopTakenBack(): Promise<never> {
    await retryTransient(() => mailchimp.stopBatch(batchId), 6);
    throw takenBack();
  }
}
