import { type ScanScope, TYPES_OF_SCOPE } from '../mapping/entity-types';
import { pageActivities } from './activities-proxy';

export type { ScanScope } from '../mapping/entity-types';

export interface ChangeScanInput {
  storeId: string;
  scope: ScanScope;
}

/**
 * Run by a Temporal Schedule per entity type: hands every entity that a row changed (in any table feeding the type,
 * within the look-back) or deleted (the trigger queue) points at to its entity workflow (activities/scan.ts). Does
 * nothing while the feature switch is off; starts the first full sync when there was none.
 */
export async function changeScanWorkflow(input: ChangeScanInput): Promise<{ dispatched: number; state: string }> {
  const types = TYPES_OF_SCOPE[input.scope];
  if (!types) throw new Error(`Unknown scan scope "${String(input.scope)}": use products, promotions, customers or orders`);
  return pageActivities.dispatchChanges({ entityTypes: types });
}
