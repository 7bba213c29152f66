import type { Client } from '@temporalio/client';
import { ensureRetentionSchedule, ensureSchedules } from '../client/schedules';
import type { ShopSource } from '../source/shop-source';

export interface WorkerSchedulesTarget {
  storeId: string;
  taskQueue: string;
  /** SYNC_INTERVAL */
  interval: string;
  /** WEBHOOK_EVENT_RETENTION */
  retention: string;
  /** SYNC_SOURCE: the Stripe source gets its changes by webhook, so it has no change-scan schedules. */
  sourceName: string;
}

/**
 * What a worker makes sure of when it starts, so that a fresh deployment runs by itself: the change-scan schedules
 * (created paused while the feature switch is off; existing ones keep their paused state and take the current
 * interval) and the webhook-event retention schedule. Idempotent: every worker of a deployment does it.
 */
export async function ensureWorkerSchedules(client: Client, target: WorkerSchedulesTarget, source: Pick<ShopSource, 'settings'>): Promise<string[]> {
  const ids: string[] = [];
  if (target.sourceName !== 'stripe') {
    const enabled = (await source.settings()).mailchimpSyncEnabled;
    ids.push(...await ensureSchedules(client, { storeId: target.storeId, taskQueue: target.taskQueue, interval: target.interval, paused: !enabled }));
  }
  ids.push(await ensureRetentionSchedule(client, { storeId: target.storeId, taskQueue: target.taskQueue, retention: target.retention }));
  return ids;
}
