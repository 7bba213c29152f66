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
      // One of them errored: only the archive says which (a batch that ran clean is the next test's).
      { status: 'finalizing', finished_operations: 2, errored_operations: 1 },
      { status: 'finished', finished_operations: 2, errored_operations: 1, response_body_url: 'http://x/r.tar.gz' },
    ], results);
    const polls: string[] = [];
    await expect(runBatch(client, ops, { pollMs: 1, onPoll: (p) => polls.push(`${p.status} ${p.finished}/${p.total}`) })).resolves.toEqual(results);
    expect(calls).toEqual(['create 2', 'get started', 'get finalizing', 'get finished', 'results http://x/r.tar.gz']);
    expect(polls).toEqual(['started 1/2', 'finalizing 2/2', 'finished 2/2']);
  });

  it('takes a batch whose operations all ran without an error as done, without waiting for its archive, and stops it', async () => {
    // Mailchimp may finalise for hours; finished_operations counts the errored ones too, and none errored.
    const { client, calls } = fakeClient([
      { status: 'started', finished_operations: 1 },
      { status: 'finalizing', finished_operations: 2, errored_operations: 0 },
    ]);
    await expect(runBatch(client, ops, { pollMs: 1 })).resolves.toEqual([
      { operation_id: 'product:1', status_code: 200, response: null },
      { operation_id: 'product:2', status_code: 200, response: null },
    ]);
    expect(calls).toEqual(['create 2', 'get started', 'get finalizing', 'stop b1']);
  });

  it.each([
    ['preprocessing', 0, 0],
    ['finalizing', 2, 1],
  ] as const)('stops a batch stuck in %s and hands every operation on (no results)', async (status, finishedOps, errored) => {
    const { client, calls } = fakeClient([{ status, finished_operations: finishedOps, errored_operations: errored }]);
    const stalls: string[] = [];
    const started = Date.now();
    await expect(runBatch(client, ops, { pollMs: 5, maxPollMs: 5, stallMs: 60, onStall: (p) => stalls.push(`${p.batchId} ${p.status}`) })).resolves.toEqual([]);
    // Stopped only once it stood still for the stall bound, however few polls a loaded machine got in meanwhile.
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
    expect(calls.filter((c) => c === `get ${status}`).length).toBeGreaterThanOrEqual(1);
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
    // Its progress is read first: nothing ran yet.
    expect(calls).toEqual(['create 2', 'get preprocessing', 'stop b1']);
  });

  it('taken back after every operation ran without an error: applies it instead (no take-back, no archive wait)', async () => {
    const { client, calls } = fakeClient([{ status: 'finalizing', finished_operations: 2, errored_operations: 0 }]);
    const abort = new AbortController();
    const running = runBatch(client, ops, { pollMs: 60_000, signal: abort.signal });
    await new Promise((resolve) => setTimeout(resolve, 10));
    abort.abort();
    await expect(running).resolves.toEqual([
      { operation_id: 'product:1', status_code: 200, response: null },
      { operation_id: 'product:2', status_code: 200, response: null },
    ]);
    expect(calls).toEqual(['create 2', 'get finalizing', 'stop b1']);
  });

  it('taken back when it is finished: reads its archive instead', async () => {
    const results = [{ operation_id: 'product:1', status_code: 400, response: {} }];
    const { client, calls } = fakeClient([{ status: 'finished', finished_operations: 2, errored_operations: 1, response_body_url: 'http://x/r.tar.gz' }], results);
    const abort = new AbortController();
    const running = runBatch(client, ops, { pollMs: 60_000, signal: abort.signal });
    await new Promise((resolve) => setTimeout(resolve, 10));
    abort.abort();
    await expect(running).resolves.toEqual(results);
    expect(calls).toEqual(['create 2', 'get finished', 'results http://x/r.tar.gz']);
  });

  it('taken back after its operations ran with an error: stopped and taken back (the archive may take hours)', async () => {
    const { client, calls } = fakeClient([{ status: 'finalizing', finished_operations: 2, errored_operations: 1 }]);
    const abort = new AbortController();
    const running = runBatch(client, ops, { pollMs: 60_000, signal: abort.signal });
    await new Promise((resolve) => setTimeout(resolve, 10));
    abort.abort();
    await expect(running).rejects.toBeInstanceOf(CancelledFailure);
    expect(calls).toEqual(['create 2', 'get finalizing', 'stop b1']);
  });

  it('taken back while its last operations should run within the grace: waits for them, then applies it', async () => {
    const many = Array.from({ length: 100 }, (_, i) => ({ method: 'POST' as const, path: '/x', body: '{}', operation_id: `product:${i}` }));
    const { client, calls } = fakeClient([
      { status: 'started', total_operations: 100, finished_operations: 99 },
      { status: 'started', total_operations: 100, finished_operations: 99 },
      { status: 'finalizing', total_operations: 100, finished_operations: 100, errored_operations: 0 },
    ]);
    const abort = new AbortController();
    const running = runBatch(client, many, { pollMs: 5, graceMs: 10_000, signal: abort.signal });
    abort.abort();
    await expect(running).resolves.toHaveLength(100);
    expect(calls).toEqual(['create 100', 'get started', 'get started', 'get finalizing', 'stop b1']);
  });

  it('taken back while far from its end, or not done within the grace: stopped and taken back', async () => {
    const many = Array.from({ length: 100 }, (_, i) => ({ method: 'POST' as const, path: '/x', body: '{}', operation_id: `product:${i}` }));
    // At its pace so far (1 of 100 in the time it ran), the rest takes far longer than the grace.
    const far = fakeClient([{ status: 'started', total_operations: 100, finished_operations: 1 }]);
    const abortFar = new AbortController();
    const runningFar = runBatch(far.client, many, { pollMs: 20, graceMs: 50, signal: abortFar.signal });
    await new Promise((resolve) => setTimeout(resolve, 5));
    abortFar.abort();
    await expect(runningFar).rejects.toBeInstanceOf(CancelledFailure);
    expect(far.calls).toEqual(['create 100', 'get started', 'stop b1']);
    // Close to its end, but it stops moving: taken back once the grace is over.
    const stuck = fakeClient([{ status: 'started', total_operations: 100, finished_operations: 99 }]);
    const abortStuck = new AbortController();
    const runningStuck = runBatch(stuck.client, many, { pollMs: 5, graceMs: 50, signal: abortStuck.signal });
    abortStuck.abort();
    await expect(runningStuck).rejects.toBeInstanceOf(CancelledFailure);
    expect(stuck.calls[stuck.calls.length - 1]).toBe('stop b1');
    expect(stuck.calls.filter((c) => c === 'get started').length).toBeGreaterThan(1);
  });

  it('submits nothing when the page was taken back already', async () => {
    const { client, calls } = fakeClient([]);
    const abort = new AbortController();
    abort.abort();
    await expect(runBatch(client, ops, { signal: abort.signal })).rejects.toBeInstanceOf(CancelledFailure);
    expect(calls).toEqual([]);
  });
});
