import { apiPath } from '../api-path';
import { readBatchResults, type BatchOperationResult, type ReadResultsOptions } from '../batch-results';
import { MailchimpError } from '../mailchimp-error';
import { batchRequestSchema, type BatchOperation } from '../schemas';
import type { Transport } from '../transport';
import type { BatchResource } from '../types';

export interface BatchMethods {
  /** POST /batches. Each operation's `body` is a JSON string. */
  createBatch(operations: readonly BatchOperation[]): Promise<BatchResource>;
  getBatch(batchId: string): Promise<BatchResource>;
  /** Downloads and reads a finished batch's `response_body_url` archive, as it streams in. */
  getBatchResults(responseBodyUrl: string, options?: ReadResultsOptions): Promise<BatchOperationResult[]>;
  /** DELETE /batches/{id}: stops a batch that has not finished (one already gone is fine). */
  stopBatch(batchId: string): Promise<void>;
  /**
   * Sends one batch operation as its own request (the direct backfill) and answers what a batch's results archive
   * would say of it: a refusal is a result (its status and problem body), not an error. No response at all (a
   * timeout, a reset) is status 0; a throttling 403 without a body is a 429.
   */
  runOperation(operation: BatchOperation): Promise<BatchOperationResult>;
}

export function batchMethods(t: Transport): BatchMethods {
  return {
    createBatch: (operations) =>
      t.send(batchRequestSchema, { method: 'POST', path: '/batches', body: { operations }, entity: `batch of ${operations.length} operations` }),
    getBatch: (batchId) => t.call({ method: 'GET', path: apiPath`/batches/${batchId}`, entity: `batch ${batchId}` }),
    getBatchResults: (responseBodyUrl, options) => t.downloadStream(responseBodyUrl, (body) => readBatchResults(body, options)),
    stopBatch: (batchId) => t.remove({ path: apiPath`/batches/${batchId}`, entity: `batch ${batchId}` }),
    runOperation: async (operation) => {
      const operationId = operation.operation_id ?? null;
      try {
        const response = await t.call<unknown>({
          method: operation.method, path: operation.path, query: operation.params,
          // The body as the builder serialised it (checked against its schema there), not parsed and serialised again.
          bodyJson: operation.body, entity: operationId ?? operation.path,
        });
        return { operation_id: operationId, status_code: 200, response: response ?? null };
      } catch (err) {
        if (!(err instanceof MailchimpError)) throw err;
        const status = err.kind === 'rate_limited' ? 429 : err.status;
        return { operation_id: operationId, status_code: status, response: { title: err.title, status, detail: err.detail, errors: err.fieldErrors } };
      }
    },
  };
}
