import type { Activities } from '../activities';
import type { SyncMetrics } from './metrics';

/**
 * Counts what the activities did without touching them: wraps the ones that sync entities and reads their results.
 * syncEntityNow → one entity with its outcome; syncPage → the page's counts; dispatchChanges → the scan time per type.
 */
export function instrumentActivities(activities: Activities, metrics: SyncMetrics): Activities {
  return {
    ...activities,
    async syncEntityNow(input) {
      const outcome = await activities.syncEntityNow(input);
      metrics.countEntities(input.entityType, outcome.status);
      return outcome;
    },
    async syncPage(input) {
      const result = await activities.syncPage(input);
      for (const [outcome, n] of Object.entries(result.counts)) metrics.countEntities(input.entityType, outcome, n);
      return result;
    },
    async dispatchChanges(input) {
      const result = await activities.dispatchChanges(input);
      if (result.state !== 'paused') metrics.markScan(new Date(), input.entityTypes);
      return result;
    },
  };
}
