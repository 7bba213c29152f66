/**
 * Moved: workflow ids and search attributes are in workflows/contract.ts, starting and signalling in
 * workflows/start.ts. This file only re-exports them until its last importers have moved.
 */
export { entityWorkflowId, fullResyncWorkflowId, searchAttributesFor, ENTITY_ID_KEY, ENTITY_TYPE_KEY, STORE_ID_KEY } from '../workflows/contract';
export { notifyEntityChanged, type EntityTarget } from '../workflows/start';

/** @deprecated start workflows by function reference (workflows/start.ts). */
export const WORKFLOW_TYPES = {
  entity: 'entitySyncWorkflow',
  customer: 'customerSyncWorkflow',
  fullResync: 'fullResyncWorkflow',
  changeScan: 'changeScanWorkflow',
} as const;

/** @deprecated use the signal definitions of workflows/contract.ts. */
export const ENTITY_CHANGED_SIGNAL = 'entityChanged';
/** @deprecated use the signal definitions of workflows/contract.ts. */
export const OPT_IN_CONFIRMED_SIGNAL = 'optInConfirmed';
