import type { BatchOperationResult, MailchimpClient } from '../../mailchimp';
import type { BatchOperation } from '../../mailchimp/schemas';
import { forEachConcurrent } from '../../util/concurrency';

/**
 * Requests queued at once; the client's connection gate (MAILCHIMP_MAX_CONNECTIONS) decides how many are in flight,
 * so this only has to keep the gate busy.
 */
const QUEUED = 64;

/**
 * The direct backfill's transport: each operation of a page's group sent as its own request, the results in the
 * shape of a batch's results archive, so the page's builders and apply.ts serve both modes. Resolves once every
 * operation has its answer.
 */
export async function sendEach(mailchimp: MailchimpClient, operations: readonly BatchOperation[]): Promise<BatchOperationResult[]> {
  const results: BatchOperationResult[] = [];
  await forEachConcurrent(operations, QUEUED, async (operation) => {
    results.push(await mailchimp.runOperation(operation));
  });
  return results;
}
