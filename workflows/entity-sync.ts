import { ApplicationFailure, continueAsNew, setHandler, sleep } from '@temporalio/workflow';
import type { SyncOutcome } from './activity-contract';
import type { EntityType } from '../mapping/ids';
import { entityActivities } from './activities-proxy';
import { entityChanged } from './contract';

export interface EntitySyncInput {
  storeId: string;
  entityType: Exclude<EntityType, 'customer'>;
  entityId: string;
  /** Wait this long after a change before syncing, so a burst of changes becomes one write. */
  coalesceMs?: number;
  force?: boolean;
}

const DEFAULT_COALESCE_MS = 500;
const RUNS_BEFORE_CONTINUE_AS_NEW = 200;

/**
 * One product, order or promotion: syncs it, and again for every change signalled while it runs.
 * Fails (visibly, with the reason) when the entity cannot be sent until its data is fixed.
 */
export async function entitySyncWorkflow(input: EntitySyncInput): Promise<SyncOutcome> {
  let changed = true;
  setHandler(entityChanged, () => {
    changed = true;
  });
  let outcome: SyncOutcome | undefined;
  for (let runs = 0; changed; runs++) {
    if (runs >= RUNS_BEFORE_CONTINUE_AS_NEW) await continueAsNew<typeof entitySyncWorkflow>({ ...input, force: false });
    await sleep(input.coalesceMs ?? DEFAULT_COALESCE_MS);
    changed = false;
    outcome = await entityActivities.syncEntityNow({ entityType: input.entityType, entityId: input.entityId, force: input.force });
    if (outcome.status === 'failed') {
      throw ApplicationFailure.nonRetryable(outcome.reason, 'EntitySyncFailed', { detail: outcome.detail ?? null });
    }
  }
  return outcome as SyncOutcome;
}
