import type { Client } from '@temporalio/client';

export interface TemporalCounts {
  /** Executions on the task queue (each continue-as-new run counts). */
  workflows: number;
  /** Activity attempts started (retries included). */
  activityAttempts: number;
  /** Activities scheduled. */
  activities: number;
  /** Σ (completed − started) of the full resync's activities, ms. */
  resyncActivityMs: number;
}

function ms(t: unknown): number {
  const time = t as { seconds?: { toNumber?: () => number } | number; nanos?: number } | null | undefined;
  if (!time) return 0;
  const seconds = typeof time.seconds === 'number' ? time.seconds : (time.seconds?.toNumber?.() ?? Number(time.seconds ?? 0));
  return seconds * 1000 + (time.nanos ?? 0) / 1e6;
}

/** Workflows and activities on a task queue, read from visibility and the histories. */
export async function temporalCounts(client: Client, taskQueue: string, resyncWorkflowId: string): Promise<TemporalCounts> {
  const query = `TaskQueue = "${taskQueue}"`;
  const counts: TemporalCounts = { workflows: 0, activityAttempts: 0, activities: 0, resyncActivityMs: 0 };
  for await (const info of client.workflow.list({ query })) {
    counts.workflows += 1;
    const history = await client.workflow.getHandle(info.workflowId, info.runId).fetchHistory();
    const started = new Map<string, number>();
    for (const event of history.events ?? []) {
      if (event.activityTaskScheduledEventAttributes) counts.activities += 1;
      const s = event.activityTaskStartedEventAttributes;
      if (s) {
        counts.activityAttempts += s.attempt ?? 1;
        started.set(String(event.eventId), ms(event.eventTime));
      }
      const done = event.activityTaskCompletedEventAttributes ?? event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes;
      if (done && info.workflowId === resyncWorkflowId) {
        const t0 = started.get(String(done.startedEventId));
        if (t0 !== undefined) counts.resyncActivityMs += ms(event.eventTime) - t0;
      }
    }
  }
  return counts;
}
