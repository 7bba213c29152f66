import { classifyResponse, type BatchOperationResult, type MailchimpError } from '../../mailchimp';
import { refusesUnknownCustomer } from '../../mailchimp/classify';
import type { EntityType } from '../../mapping/ids';
import type { SyncContext } from '../context';
import type { SyncOutcome } from '../entities';
import { isPermanent, recordMailchimpFailure } from '../entities/record';
import { operationId, type PlannedOperation } from './build';

/** What one operation's result asks of the sync. */
export type ResultVerdict =
  | { kind: 'synced' }
  /** Mailchimp refused the entity for good (validation, compliance): recorded as failed with its message. */
  | { kind: 'failed'; error: MailchimpError }
  /**
   * The direct path takes over: "already exists" on a create (it updates), a missing product or variant for an order
   * (it ensures them and retries), 404, 5xx or 429 inside the batch, or no result at all.
   */
  | { kind: 'direct'; why: string }
  /** The API key was refused: nothing else will work either. */
  | { kind: 'fatal'; error: MailchimpError };

/** Classifies one operation's result the way the direct client classifies a response (mailchimp/classify.ts). */
export function verdictOf(op: PlannedOperation, result: BatchOperationResult | undefined): ResultVerdict {
  if (!result) return { kind: 'direct', why: 'no result in the batch archive' };
  if (result.status_code >= 200 && result.status_code < 300) return { kind: 'synced' };
  // A DELETE of something already gone is done (the direct client's remove() says the same).
  if (op.deletes && result.status_code === 404) return { kind: 'synced' };
  // Status 0 is the direct lane's "no answer at all" (a timeout, a reset: runOperation): not a refusal, so retried.
  if (result.status_code === 0) return { kind: 'direct', why: 'no answer from Mailchimp (a timeout or a reset)' };
  const error = classifyResponse(result.status_code, result.response, {}, {
    method: op.operation.method, path: op.operation.path, entity: op.entity,
  });
  if (error.kind === 'auth') return { kind: 'fatal', error };
  const why = error.message;
  // The direct path sends a customer Mailchimp lost, then the order (self-healing), so this refusal is not final.
  if (refusesUnknownCustomer(error)) return { kind: 'direct', why };
  if (isPermanent(error)) return { kind: 'failed', error };
  return { kind: 'direct', why };
}

/** Index of results by operation id (an operation id the page did not send is ignored). */
export function resultsById(results: readonly BatchOperationResult[]): Map<string, BatchOperationResult> {
  const out = new Map<string, BatchOperationResult>();
  for (const r of results) if (r.operation_id) out.set(r.operation_id, r);
  return out;
}

/**
 * Records every operation's outcome in mc_sync_state: successes in one statement per type (with the hash of what was
 * sent), refusals like guarded()/recordFailure, and hands the rest to `direct` (the entity's direct sync).
 * Returns the outcomes of the recorded ones and the entities handed on.
 */
export async function applyResults(
  ctx: SyncContext, operations: readonly PlannedOperation[], results: readonly BatchOperationResult[],
): Promise<{ outcomes: SyncOutcome[]; direct: Array<{ type: EntityType; entityId: string }> }> {
  const byId = resultsById(results);
  const synced = new Map<EntityType, Array<{ id: string; contentHash: string; remoteId: string; errorReason?: string }>>();
  const outcomes: SyncOutcome[] = [];
  const direct: Array<{ type: EntityType; entityId: string }> = [];
  for (const op of operations) {
    const verdict = verdictOf(op, byId.get(operationId(op.type, op.entityId)));
    switch (verdict.kind) {
      case 'synced': {
        if (op.deletes) {
          await ctx.deps.state.record(op.type, op.entityId, { status: 'deleted', remoteId: op.remoteId });
          outcomes.push({ status: 'deleted', entityId: op.entityId });
          break;
        }
        const list = synced.get(op.type) ?? [];
        list.push({ id: op.entityId, contentHash: op.contentHash, remoteId: op.remoteId, ...(op.warning ? { errorReason: op.warning } : {}) });
        synced.set(op.type, list);
        outcomes.push({ status: 'synced', entityId: op.entityId });
        break;
      }
      case 'failed':
        outcomes.push(await recordMailchimpFailure(ctx, op.type, op.entityId, verdict.error));
        break;
      case 'direct':
        direct.push({ type: op.type, entityId: op.entityId });
        break;
      case 'fatal':
        throw verdict.error;
    }
  }
  for (const [type, list] of synced) await ctx.deps.state.recordSyncedMany(type, list);
  return { outcomes, direct };
}
