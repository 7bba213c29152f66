import { WorkflowFailedError, type Client } from '@temporalio/client';
import { createAudienceKnowledge } from '../../db/sync-state';
import { forEachConcurrent } from '../../util/concurrency';
import { notifyEntityChanged, type EntityChangeExtra } from '../../workflows/start';
import type { EntityType } from '../../mapping/ids';
import type { CliContext } from './context';

/** Running entity workflows from the CLI: notify (signal-with-start) and wait for the outcome. */

export type RunStatus =
  | 'synced' | 'unchanged' | 'deleted' | 'skipped' | 'paused' | 'failed' | 'timeout' | 'awaiting-confirmation';

export interface EntityRunResult {
  type: EntityType;
  entityId: string;
  workflowId: string;
  status: RunStatus;
  reason?: string;
}

export interface EntityTargetRef {
  type: EntityType;
  entityId: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface OutcomeLike {
  status?: string;
  reason?: string;
}

function fromOutcome(outcome: OutcomeLike | null | undefined): { status: RunStatus; reason?: string } {
  const status = (outcome?.status ?? 'unchanged') as RunStatus;
  return outcome?.reason ? { status, reason: outcome.reason } : { status };
}

function failureReason(err: unknown): string {
  if (err instanceof WorkflowFailedError) {
    const cause = err.cause;
    return cause?.message ?? err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * Waits until the entity's latest workflow run is closed. A customer workflow that waits for a double opt-in
 * confirmation stays open for days: it counts as done once the sync state shows this sync's outcome.
 */
export async function waitForEntity(
  ctx: CliContext, client: Client, ref: EntityTargetRef, workflowId: string, startedAt: Date, timeoutMs: number,
): Promise<EntityRunResult> {
  const handle = client.workflow.getHandle(workflowId);
  const deadline = Date.now() + timeoutMs;
  const interval = Math.min(ctx.pollMs, 500);
  const base = { type: ref.type, entityId: ref.entityId, workflowId };
  for (;;) {
    const description = await handle.describe();
    const state = description.status.name;
    if (state === 'COMPLETED') {
      const result = (await handle.result()) as OutcomeLike & { outcome?: OutcomeLike | null };
      return { ...base, ...fromOutcome(ref.type === 'customer' ? result.outcome : result) };
    }
    if (state === 'FAILED') {
      try {
        await handle.result();
      } catch (err) {
        return { ...base, status: 'failed', reason: failureReason(err) };
      }
    }
    if (state !== 'RUNNING') return { ...base, status: 'failed', reason: `the workflow was ${state.toLowerCase().replace(/_/g, ' ')}` };
    if (ref.type === 'customer') {
      const row = await ctx.state().get('customer', ref.entityId);
      if (row && row.updated_at >= startedAt && row.status === 'synced') {
        // Synced, and the sync created a pending member: the workflow now waits for the confirmation.
        const status = await createAudienceKnowledge(ctx.db(), ctx.config.listId).status(ref.entityId);
        if (status === 'pending') return { ...base, status: 'awaiting-confirmation' };
      }
    }
    if (Date.now() >= deadline) return { ...base, status: 'timeout', reason: `still running after ${Math.round(timeoutMs / 1000)} s` };
    await sleep(interval);
  }
}

/**
 * Notifies every entity's workflow (with `extra` in a new run's input, e.g. { force: true }) and waits for each,
 * a few at a time, reporting progress.
 */
export async function runEntities(
  ctx: CliContext, refs: EntityTargetRef[], options: { extra?: EntityChangeExtra; timeoutMs: number; onDone?: (done: number, total: number) => void },
): Promise<EntityRunResult[]> {
  const client = await ctx.temporal();
  const target = { storeId: ctx.config.storeId, taskQueue: ctx.config.taskQueue, optInTimeout: ctx.config.optInTimeout };
  const results: EntityRunResult[] = [];
  let done = 0;
  await forEachConcurrent(refs, 8, async (ref) => {
    const startedAt = new Date(await ctx.source().now());
    const workflowId = await notifyEntityChanged(client, target, ref.type, ref.entityId, options.extra ?? {});
    results.push(await waitForEntity(ctx, client, ref, workflowId, startedAt, options.timeoutMs));
    done += 1;
    options.onDone?.(done, refs.length);
  });
  return results;
}

export const OK_STATUSES: ReadonlySet<RunStatus> = new Set(['synced', 'unchanged', 'deleted', 'skipped', 'awaiting-confirmation']);
