import { apiPath } from '../api-path';
import { parseBatchResults, type BatchOperationResult } from '../batch-results';
import { batchRequestSchema, type BatchOperation } from '../schemas';
import type { Transport } from '../transport';
import type { BatchResource } from '../types';

export interface BatchMethods {
  /** POST /batches. Each operation's `body` is a JSON string. */
  createBatch(operations: readonly BatchOperation[]): Promise<BatchResource>;
  getBatch(batchId: string): Promise<BatchResource>;
  /** Downloads and reads a finished batch's `response_body_url` archive. */
  getBatchResults(responseBodyUrl: string): Promise<BatchOperationResult[]>;
  /** DELETE /batches/{id}: stops a batch that has not finished (one already gone is fine). */
  stopBatch(batchId: string): Promise<void>;
}

export function batchMethods(t: Transport): BatchMethods {
  return {
    createBatch: (operations) =>
      t.send(batchRequestSchema, { method: 'POST', path: '/batches', body: { operations }, entity: `batch of ${operations.length} operations` }),
    getBatch: (batchId) => t.call({ method: 'GET', path: apiPath`/batches/${batchId}`, entity: `batch ${batchId}` }),
    getBatchResults: async (responseBodyUrl) => parseBatchResults(await t.download(responseBodyUrl)),
    stopBatch: (batchId) => t.remove({ path: apiPath`/batches/${batchId}`, entity: `batch ${batchId}` }),
  };
}
