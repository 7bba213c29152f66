import { runBatch } from '../../../activities/batch/submit';
import type { BatchOperationResult, BatchResource, MailchimpClient } from '../../../mailchimp';

/** A Mailchimp client with only the batch calls, answering from a script of batch states. */
function fakeClient(states: Array<Partial<BatchResource>>, results: BatchOperationResult[] = []) {
  const calls: string[] = [];
  let i = 0;
  const client = {
    createBatch: async (ops: unknown[]) => {
      calls.push(`create ${ops.length}`);
      return { id: 'b1', status: 'pending', total_operations: ops.length, finished_operations: 0, errored_operations: 0 } as BatchResource;
    },
    getBatch: async () => {
      const state = states[Math.min(i, states.length - 1)];
      i += 1;
      calls.push(`get ${state.status}`);
      return { id: 'b1', total_operations: 2, errored_operations: 0, ...state } as BatchResource;
    },
    getBatchResults: async (url: string) => {
      calls.push(`results ${url}`);
      return results;
    },
  } as unknown as MailchimpClient;
  return { client, calls };
}

const ops = [
  { method: 'POST' as const, path: '/x', body: '{}', operation_id: 'product:1' },
  { method: 'POST' as const, path: '/x', body: '{}', operation_id: 'product:2' },
];

describe('runBatch', () => {
  it('polls until finished, then reads the results archive', async () => {
    const results = [{ operation_id: 'product:1', status_code: 200, response: {} }];
    const { client, calls } = fakeClient([
      { status: 'started', finished_operations: 1 },
      { status: 'finalizing', finished_operations: 2 },
      { status: 'finished', finished_operations: 2, response_body_url: 'http://x/r.tar.gz' },
    ], results);
    const polls: string[] = [];
    await expect(runBatch(client, ops, { pollMs: 1, onPoll: (p) => polls.push(`${p.status} ${p.finished}/${p.total}`) })).resolves.toEqual(results);
    expect(calls).toEqual(['create 2', 'get started', 'get finalizing', 'get finished', 'results http://x/r.tar.gz']);
    expect(polls).toEqual(['started 1/2', 'finalizing 2/2', 'finished 2/2']);
  });

  it('gives up (retryably) when finished_operations stops moving for longer than the bound', async () => {
    const { client, calls } = fakeClient([{ status: 'finalizing', finished_operations: 2 }]);
    await expect(runBatch(client, ops, { pollMs: 5, maxPollMs: 5, stallMs: 60 })).rejects.toMatchObject({ type: 'BatchStalled', nonRetryable: false });
    expect(calls.filter((c) => c === 'get finalizing').length).toBeGreaterThan(3);
    expect(calls.some((c) => c.startsWith('results'))).toBe(false);
  });

  it('submits nothing for no operations', async () => {
    const { client, calls } = fakeClient([]);
    await expect(runBatch(client, [])).resolves.toEqual([]);
    expect(calls).toEqual([]);
  });
});
