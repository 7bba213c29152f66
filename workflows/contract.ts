import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { PageCounts } from './activity-contract';
import type { EntityType, ScanScope } from '../mapping/entity-types';
import { NON_RETRYABLE_MAILCHIMP_ERROR_TYPES } from '../mailchimp/error-types';

/**
 * The Temporal contract: what the workflows and everyone who starts, signals or queries them (activities, the CLI,
 * the webhook receivers, scripts, bench, tests) share. Workflow and schedule ids, search attributes, signal and query definitions,
 * the failure types no retry can fix.
 * Workflow-safe (SDK definitions, types and pure lists only), so the workflows and their clients use the same objects.
 * Starting and signalling, typed by the workflow functions: workflows/start.ts.
 */

// ---- workflow ids: every id a workflow of this sync runs under ----

/** One entity's sync: `${storeId}:${entityType}:${entityId}` (a customer's id is its email hash). */
export function entityWorkflowId(storeId: string, entityType: EntityType, entityId: string): string {
  return `${storeId}:${entityType}:${entityId}`;
}

/** The store's full resync: one at a time, so starting it twice follows the running one. */
export function fullResyncWorkflowId(storeId: string): string {
  return `${storeId}:full-resync`;
}

/** A change scan, started by its schedule. */
export function changeScanWorkflowId(storeId: string, scope: ScanScope): string {
  return `${storeId}:scan:${scope}`;
}

/** The daily deletion of old webhook events, started by its schedule. */
export function webhookRetentionWorkflowId(storeId: string): string {
  return `${storeId}:webhook-retention`;
}

// ---- schedule ids: every Temporal Schedule of this sync (client/schedules.ts creates them) ----

/** The change scan of one scope, every SYNC_INTERVAL (its runs: changeScanWorkflowId). */
export function scheduleId(storeId: string, scope: ScanScope): string {
  return `${storeId}-sync-${scope}`;
}

/** The daily deletion of old webhook events (its runs: webhookRetentionWorkflowId). */
export function retentionScheduleId(storeId: string): string {
  return `${storeId}-webhook-retention`;
}

// ---- search attributes ----

export const ENTITY_TYPE_KEY = defineSearchAttributeKey('EntityType', SearchAttributeType.KEYWORD);
export const ENTITY_ID_KEY = defineSearchAttributeKey('EntityId', SearchAttributeType.KEYWORD);
export const STORE_ID_KEY = defineSearchAttributeKey('StoreId', SearchAttributeType.KEYWORD);

/**
 * Every custom search attribute the workflows are started with, all Keyword: the dev server is started with them
 * (services/temporal.ts), docker compose registers them, `mcsync doctor` checks they exist.
 */
export const SEARCH_ATTRIBUTE_KEYS = [ENTITY_TYPE_KEY, ENTITY_ID_KEY, STORE_ID_KEY] as const;
export const SEARCH_ATTRIBUTE_NAMES: readonly string[] = SEARCH_ATTRIBUTE_KEYS.map((key) => key.name);

/**
 * What the Web UI filters by (`EntityType="order" AND ExecutionStatus="Failed"`). `entityType` is an entity type, or
 * `full_resync`, `scan`, `maintenance` for the other workflows, with what they cover as `entityId`.
 */
export function searchAttributesFor(storeId: string, entityType: string, entityId: string): SearchAttributePair[] {
  return [
    { key: ENTITY_TYPE_KEY, value: entityType },
    { key: ENTITY_ID_KEY, value: entityId },
    { key: STORE_ID_KEY, value: storeId },
  ];
}

// ---- signals and queries ----

/** The entity changed in the shop: sync it again (coalesced with any other change that arrives meanwhile). */
export const entityChanged = defineSignal('entityChanged');
/** The contact confirmed the double opt-in (sent by the audience webhook receiver). */
export const optInConfirmed = defineSignal('optInConfirmed');

export interface ResyncProgress {
  phase: string;
  phaseIndex: number;
  phases: string[];
  startedAt: string | null;
  pages: number;
  /** Rows not sent so far, and the Web UI / `temporal workflow list` query that lists their failed workflows. */
  failures?: { count: number; query: string };
  counts: Record<string, PageCounts>;
  done: boolean;
  /** BACKFILL_MODE=auto: pages each lane did, and batch pages the direct lane took back (stopped, then sent direct). */
  lanes?: LaneCounts;
}

export interface LaneCounts {
  direct: number;
  batch: number;
  takenBack: number;
}

/** A full resync's progress (also its result). */
export const progressQuery = defineQuery<ResyncProgress>('progress');

// ---- failures no retry can fix ----

/** Failure types the activities throw (besides Mailchimp's) that no retry can fix. */
export const FAILURE_TYPES = {
  /** The store cannot be set up: no currency, another audience or another currency in Mailchimp. */
  storeSetup: 'StoreSetupError',
  /** The feature switch is off for the shop. */
  syncDisabled: 'SyncDisabled',
} as const;

/** `RetryPolicy.nonRetryableErrorTypes` of every activity: Mailchimp's refusals and the failures above. */
export const NON_RETRYABLE_ERROR_TYPES: readonly string[] = [...NON_RETRYABLE_MAILCHIMP_ERROR_TYPES, FAILURE_TYPES.storeSetup, FAILURE_TYPES.syncDisabled];
