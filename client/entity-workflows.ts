import type { Client } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { entityWorkflowId, type EntityType } from '../mapping/ids';

/**
 * How entity workflows are named and started: one place for the workflow id rule, the search attributes
 * and the memo, shared by the change scanner, the immediate path, the CLI and retries.
 */

export const ENTITY_TYPE_KEY = defineSearchAttributeKey('EntityType', SearchAttributeType.KEYWORD);
export const ENTITY_ID_KEY = defineSearchAttributeKey('EntityId', SearchAttributeType.KEYWORD);
export const STORE_ID_KEY = defineSearchAttributeKey('StoreId', SearchAttributeType.KEYWORD);

export const WORKFLOW_TYPES = {
  entity: 'entitySyncWorkflow',
  customer: 'customerSyncWorkflow',
  fullResync: 'fullResyncWorkflow',
  changeScan: 'changeScanWorkflow',
} as const;

export const ENTITY_CHANGED_SIGNAL = 'entityChanged';
export const OPT_IN_CONFIRMED_SIGNAL = 'optInConfirmed';

export interface EntityTarget {
  storeId: string;
  taskQueue: string;
  /** The double opt-in deadline handed to customer workflows (OPT_IN_TIMEOUT). */
  optInTimeout?: string;
}

export function searchAttributesFor(storeId: string, entityType: string, entityId: string) {
  return [
    { key: ENTITY_TYPE_KEY, value: entityType },
    { key: ENTITY_ID_KEY, value: entityId },
    { key: STORE_ID_KEY, value: storeId },
  ];
}

/** Tells the entity's workflow that the entity changed, starting the workflow when none is running. */
export async function notifyEntityChanged(
  client: Client, target: EntityTarget, entityType: EntityType, entityId: string, extra: Record<string, unknown> = {},
): Promise<string> {
  const workflowId = entityWorkflowId(target.storeId, entityType, entityId);
  const isCustomer = entityType === 'customer';
  const input = isCustomer
    ? { storeId: target.storeId, emailHash: entityId, ...(target.optInTimeout ? { optInTimeout: target.optInTimeout } : {}), ...extra }
    : { storeId: target.storeId, entityType, entityId, ...extra };
  await client.workflow.signalWithStart(isCustomer ? WORKFLOW_TYPES.customer : WORKFLOW_TYPES.entity, {
    workflowId,
    taskQueue: target.taskQueue,
    args: [input],
    signal: ENTITY_CHANGED_SIGNAL,
    signalArgs: [],
    typedSearchAttributes: searchAttributesFor(target.storeId, entityType, entityId),
    memo: { entity: `${entityType} ${entityId}`, store: target.storeId },
  });
  return workflowId;
}

export function fullResyncWorkflowId(storeId: string): string {
  return `${storeId}:full-resync`;
}
