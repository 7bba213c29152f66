import { CancelledFailure } from '@temporalio/common';
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
    stopBatch: async (id: string) => {
      calls.push(`stop ${id}`);
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

  it.each(['preprocessing', 'finalizing'] as const)('stops a batch stuck in %s and hands every operation on (no results)', async (status) => {
    const { client, calls } = fakeClient([{ status, finished_operations: status === 'finalizing' ? 2 : 0 }]);
    const stalls: string[] = [];
    await expect(runBatch(client, ops, { pollMs: 5, maxPollMs: 5, stallMs: 60, onStall: (p) => stalls.push(`${p.batchId} ${p.status}`) })).resolves.toEqual([]);
    expect(calls.filter((c) => c === `get ${status}`).length).toBeGreaterThan(3);
    expect(calls[calls.length - 1]).toBe('stop b1');
    expect(calls.some((c) => c.startsWith('results'))).toBe(false);
    expect(stalls).toEqual([`b1 ${status}`]);
  });

  it('says when Mailchimp has the batch, before waiting for it (the page drops the operations\' bodies then)', async () => {
    const { client, calls } = fakeClient([{ status: 'finished', finished_operations: 2, response_body_url: 'http://x/r.tar.gz' }]);
    await runBatch(client, ops, { pollMs: 1, onSubmitted: (id) => calls.push(`submitted ${id}`) });
    expect(calls).toEqual(['create 2', 'submitted b1', 'get finished', 'results http://x/r.tar.gz']);
  });

  it('submits nothing for no operations', async () => {
    const { client, calls } = fakeClient([]);
    await expect(runBatch(client, [])).resolves.toEqual([]);
    expect(calls).toEqual([]);
  });

  it('stops its batch and throws a CancelledFailure when the page is taken back (aborted) while it waits', async () => {
    const { client, calls } = fakeClient([{ status: 'preprocessing', finished_operations: 0 }]);
    const abort = new AbortController();
    const running = runBatch(client, ops, { pollMs: 60_000, signal: abort.signal });
    await new Promise((resolve) => setTimeout(resolve, 10));
    abort.abort();
    await expect(running).rejects.toBeInstanceOf(CancelledFailure);
    expect(calls).toEqual(['create 2', 'stop b1']);
  });

  it('submits nothing when the page was taken back already', async () => {
    const { client, calls } = fakeClient([]);
    const abort = new AbortController();
    abort.abort();
    await expect(runBatch(client, ops, { signal: abort.signal })).rejects.toBeInstanceOf(CancelledFailure);
    expect(calls).toEqual([]);
  });
});
