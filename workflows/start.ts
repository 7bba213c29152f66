import type { Client, ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import { toMs } from '../config/duration';
import type { EntityType, ScanScope } from '../mapping/entity-types';
import { changeScanWorkflow } from './change-scan';
import {
  changeScanWorkflowId, entityChanged, entityWorkflowId, fullResyncWorkflowId, optInConfirmed, searchAttributesFor,
  webhookRetentionWorkflowId,
} from './contract';
import { customerSyncWorkflow, type CustomerSyncInput } from './customer-sync';
import { entitySyncWorkflow, type EntitySyncInput } from './entity-sync';
import { fullResyncWorkflow, type FullResyncInput } from './full-resync';
import { webhookRetentionWorkflow } from './webhook-retention';

/**
 * Starting, signalling and scheduling the workflows, by function reference: the compiler checks every input
 * against the workflow's own signature, and no workflow or signal name is written as a string anywhere. Used by the
 * activities (change scan, first sync, failed rows), the CLI, the webhook receivers, scripts and bench. Not imported
 * by any workflow (this file is for clients; ids, search attributes, signals and queries are in ./contract.ts).
 */

/** Where workflows of a store run. */
export interface WorkflowTarget {
  storeId: string;
  taskQueue: string;
}

export interface EntityTarget extends WorkflowTarget {
  /** The double opt-in deadline handed to customer workflows (OPT_IN_TIMEOUT). */
  optInTimeout?: string;
}

/** Input fields a change may hand to a new run of the entity's workflow (a running one keeps its input). */
export type EntityChangeExtra = Partial<Pick<EntitySyncInput, 'coalesceMs' | 'force'> & Pick<CustomerSyncInput, 'awaitConfirmation'>>;

/**
 * Tells the entity's workflow that the entity changed, starting the workflow when none is running (customers:
 * customerSyncWorkflow, keyed by email hash; the others: entitySyncWorkflow). Returns the workflow id.
 */
export async function notifyEntityChanged(
  client: Client, target: EntityTarget, entityType: EntityType, entityId: string, extra: EntityChangeExtra = {},
): Promise<string> {
  const workflowId = entityWorkflowId(target.storeId, entityType, entityId);
  const common = {
    workflowId,
    taskQueue: target.taskQueue,
    signal: entityChanged,
    signalArgs: [] as [],
    typedSearchAttributes: searchAttributesFor(target.storeId, entityType, entityId),
    memo: { entity: `${entityType} ${entityId}`, store: target.storeId },
  };
  if (entityType === 'customer') {
    const input: CustomerSyncInput = {
      storeId: target.storeId, emailHash: entityId, ...(target.optInTimeout ? { optInTimeout: target.optInTimeout } : {}), ...extra,
    };
    await client.workflow.signalWithStart(customerSyncWorkflow, { ...common, args: [input] });
  } else {
    const input: EntitySyncInput = { storeId: target.storeId, entityType, entityId, ...extra };
    await client.workflow.signalWithStart(entitySyncWorkflow, { ...common, args: [input] });
  }
  return workflowId;
}

/** The audience webhook saw the contact confirm: the customer's workflow stops waiting for the double opt-in. */
export async function confirmOptIn(client: Client, storeId: string, emailHash: string): Promise<void> {
  await client.workflow.getHandle(entityWorkflowId(storeId, 'customer', emailHash)).signal(optInConfirmed);
}

/**
 * Starts the store's full resync, or follows the one already running (one id per store, USE_EXISTING). `why` goes
 * into the memo the Web UI shows ("full resync (first sync)").
 */
export function startFullResync(client: Client, target: WorkflowTarget, input: Omit<FullResyncInput, 'storeId' | 'resume'>, why: string) {
  return client.workflow.start(fullResyncWorkflow, {
    workflowId: fullResyncWorkflowId(target.storeId),
    taskQueue: target.taskQueue,
    args: [{ storeId: target.storeId, ...input }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: searchAttributesFor(target.storeId, 'full_resync', input.types ?? 'all'),
    memo: { entity: `full resync (${why})`, store: target.storeId },
  });
}

/** The store's full resync (running or not): `.query(progressQuery)` and `.result()` are typed. */
export function fullResyncHandle(client: Client, storeId: string) {
  return client.workflow.getHandle<typeof fullResyncWorkflow>(fullResyncWorkflowId(storeId));
}

/** What a change-scan schedule starts. */
export function changeScanAction(target: WorkflowTarget, scope: ScanScope): ScheduleOptionsStartWorkflowAction<typeof changeScanWorkflow> {
  return {
    type: 'startWorkflow',
    workflowType: changeScanWorkflow,
    workflowId: changeScanWorkflowId(target.storeId, scope),
    taskQueue: target.taskQueue,
    args: [{ storeId: target.storeId, scope }],
    typedSearchAttributes: searchAttributesFor(target.storeId, 'scan', scope),
    memo: { entity: `change scan of ${scope}`, store: target.storeId },
  };
}

/** What the webhook-retention schedule starts: deletes processed events older than `retention`. */
export function webhookRetentionAction(target: WorkflowTarget, retention: string): ScheduleOptionsStartWorkflowAction<typeof webhookRetentionWorkflow> {
  return {
    type: 'startWorkflow',
    workflowType: webhookRetentionWorkflow,
    workflowId: webhookRetentionWorkflowId(target.storeId),
    taskQueue: target.taskQueue,
    args: [{ olderThanMs: toMs(retention) }],
    typedSearchAttributes: searchAttributesFor(target.storeId, 'maintenance', 'webhook-retention'),
    memo: { entity: `webhook events older than ${retention}`, store: target.storeId },
  };
}
