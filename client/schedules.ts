import { Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { toMs } from '../config/duration';
import { retentionScheduleId, scheduleId } from '../workflows/contract';
import { changeScanAction, webhookRetentionAction } from '../workflows/start';

import { SCAN_SCOPES, type ScanScope } from '../mapping/entity-types';

/** The schedule ids are the Temporal contract's (workflows/contract.ts). */
export { SCAN_SCOPES, retentionScheduleId, scheduleId };
export type ScanScopeName = ScanScope;

export interface ScheduleTarget {
  storeId: string;
  taskQueue: string;
  /** e.g. '1m', '30s' */
  interval: string;
  /** The state of schedules created now (existing ones keep theirs): paused while the feature switch is off. */
  paused?: boolean;
}

/** One Temporal Schedule per entity type, visible and pausable in the Web UI. Creating them twice is harmless. */
export async function ensureSchedules(client: Client, target: ScheduleTarget): Promise<string[]> {
  const ids: string[] = [];
  for (const scope of SCAN_SCOPES) {
    const id = scheduleId(target.storeId, scope);
    const action = changeScanAction(target, scope);
    const spec = { intervals: [{ every: toMs(target.interval) }] };
    try {
      await client.schedule.create({
        scheduleId: id,
        spec,
        action,
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1m' },
        memo: { store: target.storeId, scope },
        state: { note: `Finds ${scope} changed in the shop database and syncs them to Mailchimp.`, paused: target.paused ?? false },
      });
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(id).update((previous) => ({ ...previous, spec, action }));
    }
    ids.push(id);
  }
  return ids;
}

export async function setSchedulesPaused(client: Client, storeId: string, paused: boolean, note: string): Promise<void> {
  for (const scope of SCAN_SCOPES) {
    const handle = client.schedule.getHandle(scheduleId(storeId, scope));
    if (paused) await handle.pause(note);
    else await handle.unpause(note);
  }
}


/** The daily schedule that deletes processed webhook events older than `retention` (WEBHOOK_EVENT_RETENTION). Idempotent. */
export async function ensureRetentionSchedule(client: Client, target: { storeId: string; taskQueue: string; retention: string }): Promise<string> {
  const id = retentionScheduleId(target.storeId);
  const action = webhookRetentionAction(target, target.retention);
  const spec = { intervals: [{ every: 86_400_000 }] };
  try {
    await client.schedule.create({
      scheduleId: id, spec, action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      state: { note: `Deletes processed audience and Stripe webhook events older than ${target.retention} (WEBHOOK_EVENT_RETENTION).` },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(id).update((previous) => ({ ...previous, spec, action }));
  }
  return id;
}
