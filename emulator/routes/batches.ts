import { batchRequestSchema } from '../../mailchimp/schemas';
import { batchView } from '../batch-runner';
import { noContent, ok, type Handler } from '../context';
import type { Router } from '../router';
import { page, paging } from '../util';
import { validateBody } from '../validation';
import { collection, found } from './ecommerce';

const postBatch: Handler = ({ body, services }) => {
  const input = validateBody(batchRequestSchema, body, 'batch');
  return ok(batchView(services.batches.submit(input.operations)));
};

const listBatches: Handler = ({ query, services }) => {
  const { items, total } = page(services.state.batches.values(), services.state.batches.size, paging(query));
  return ok(collection('batches', items.map(batchView), total));
};

const getBatch: Handler = ({ params, services }) => ok(batchView(found(services.state.batches.get(params.batch_id))));

const deleteBatch: Handler = ({ params, services }) => {
  found(services.state.batches.get(params.batch_id));
  services.batches.remove(params.batch_id);
  return noContent();
};

export function registerBatchRoutes(router: Router<Handler>): void {
  router.add('GET', '/batches', listBatches);
  router.add('POST', '/batches', postBatch);
  router.add('GET', '/batches/{batch_id}', getBatch);
  router.add('DELETE', '/batches/{batch_id}', deleteBatch);
}
