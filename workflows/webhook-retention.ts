import { proxyActivities } from '@temporalio/workflow';
import type { RetentionActivities } from './activity-contract';

const { purgeWebhookEvents } = proxyActivities<RetentionActivities>({
  startToCloseTimeout: '10m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5m' },
});

/** Run daily by the `<store>-webhook-retention` schedule: deletes processed webhook events older than the retention. */
export async function webhookRetentionWorkflow(input: { olderThanMs: number }): Promise<{ deleted: number }> {
  return purgeWebhookEvents(input);
}
