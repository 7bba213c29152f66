import type { EntityType } from '../mapping/ids';
import { pageActivities } from './activities-proxy';

export type ScanScope = 'products' | 'promotions' | 'customers' | 'orders';

const TYPES: Record<ScanScope, EntityType[]> = {
  products: ['product'],
  promotions: ['promo_rule', 'promo_code'],
  customers: ['customer'],
  orders: ['order'],
};

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
  const types = TYPES[input.scope];
  if (!types) throw new Error(`Unknown scan scope "${String(input.scope)}": use products, promotions, customers or orders`);
  return pageActivities.dispatchChanges({ entityTypes: types });
}
