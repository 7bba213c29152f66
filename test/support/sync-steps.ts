import { notifyEntityChanged, type EntityChangeExtra } from '../../workflows/start';
import type { SyncStateRow } from '../../db/sync-state';
import type { EntityType } from '../../mapping/ids';
import { fullResyncWorkflow } from '../../workflows/full-resync';
import type { ResyncScope } from '../../workflows/full-resync';
import type { SyncHarness } from './sync-harness';

/** Steps the sync integration tests share: run syncs, read the emulator's request counters and the sync state. */

/** Polls `probe` until it returns something truthy; fails with `what` when the deadline passes. */
export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let resyncs = 0;

/** Runs a full resync to completion (on an empty shop it only creates the Mailchimp store). */
export function resync(h: SyncHarness, types: ResyncScope = 'all', pageSize = 50) {
  return h.client.workflow.execute(fullResyncWorkflow, {
    workflowId: `${h.config.storeId}:full-resync:test-${Date.now()}-${++resyncs}`,
    taskQueue: h.config.taskQueue,
    args: [{ storeId: h.config.storeId, types, pageSize }],
  });
}

/** The immediate path: signal-with-start the entity's workflow. Returns its workflow id. */
export function notify(h: SyncHarness, type: EntityType, id: string | number, extra: EntityChangeExtra = {}): Promise<string> {
  return notifyEntityChanged(h.client, { storeId: h.config.storeId, taskQueue: h.config.taskQueue, optInTimeout: h.config.optInTimeout }, type, String(id), extra);
}

/** Notifies the entity's workflow and waits for the run to finish; returns its result (throws WorkflowFailedError). */
export async function syncNow<T = { status: string; entityId: string }>(h: SyncHarness, type: EntityType, id: string | number): Promise<T> {
  const workflowId = await notify(h, type, id);
  return (await h.client.workflow.getHandle(workflowId).result()) as T;
}

export interface EmulatorStats {
  requests: number;
  byRoute: Record<string, number>;
  /** Answers by status code ('reset' for connections cut without an answer). */
  byStatus?: Record<string, number>;
}

export async function stats(h: SyncHarness): Promise<EmulatorStats> {
  return (await h.http.get('/_emulator/stats')).data as EmulatorStats;
}

export async function resetStats(h: SyncHarness): Promise<void> {
  const res = await h.http.post('/_emulator/stats/reset');
  if (res.status !== 200) throw new Error(`stats reset → ${res.status}`);
}

/** Number of requests to one route, e.g. count(s, 'POST', '/ecommerce/stores/{store_id}/orders'). */
export function count(s: EmulatorStats, method: string, route: string): number {
  return s.byRoute[`${method} /3.0${route}`] ?? 0;
}

/** Every write (POST/PUT/PATCH/DELETE) to e-commerce resources and audience members, with its count. */
export function writes(s: EmulatorStats): Record<string, number> {
  return Object.fromEntries(
    Object.entries(s.byRoute).filter(([route]) => /^(POST|PUT|PATCH|DELETE) \/3\.0\/(ecommerce\/stores\/[^/]+\/|lists\/[^/]+\/members)/.test(route)),
  );
}

export async function syncState(h: SyncHarness, type: EntityType, id: string | number): Promise<SyncStateRow | undefined> {
  return (await h.t.db('mc_sync_state').where({ store_id: h.config.storeId, entity_type: type, entity_id: String(id) }).first()) as SyncStateRow | undefined;
}

export function storePath(h: SyncHarness, rest: string): string {
  return `/ecommerce/stores/${h.config.storeId}${rest}`;
}
