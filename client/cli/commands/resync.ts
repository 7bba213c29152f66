import { WorkflowFailedError } from '@temporalio/client';
import { ENTITY_TYPES } from '../../../mapping/entity-types';
import type { ResyncScope } from '../../../workflows/full-resync';
import { progressQuery, type ResyncProgress } from '../../../workflows/contract';
import { fullResyncHandle } from '../../../workflows/start';
import type { CliContext } from '../context';
import { EXIT } from '../errors';
import { table } from '../format';
import { startFullResync, workflowUrl } from './switch';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Rows handled so far and rows to handle (the shop's count of each phase's type). Pure. */
export function progressTotals(progress: ResyncProgress, shopCounts: Partial<Record<string, number>>): { done: number; total: number } {
  let done = 0;
  let total = 0;
  for (const phase of progress.phases) {
    const c = progress.counts[phase];
    const handled = c ? c.synced + c.unchanged + c.skipped + c.failed + c.deleted + c.paused : 0;
    done += handled;
    total += Math.max(shopCounts[phase] ?? 0, handled);
  }
  return { done, total };
}

export interface ResyncOptions {
  scope: ResyncScope;
  detach: boolean;
  pageSize?: number;
}

export async function resyncCommand(ctx: CliContext, options: ResyncOptions): Promise<number> {
  const client = await ctx.temporal();
  const running = await fullResyncHandle(client, ctx.config.storeId).describe().then((d) => d.status.name === 'RUNNING', () => false);
  const handle = await startFullResync(ctx, options.scope, `mcsync resync --type ${options.scope}`, options.pageSize);
  const url = workflowUrl(ctx, handle.workflowId);
  if (running) ctx.note(`A full resync is already running for store ${ctx.config.storeId}: following it (your --type does not apply to it).`);
  if (options.detach) {
    ctx.emit({ workflowId: handle.workflowId, url, alreadyRunning: running });
    ctx.say(`Full resync ${running ? 'already running' : 'started'}: ${handle.workflowId}`);
    ctx.say(`Follow it in the Web UI: ${url}`);
    return EXIT.ok;
  }
  ctx.note(`Full resync ${handle.workflowId} (${url})`);

  const shopCounts: Record<string, number> = {};
  const source = ctx.source();
  for (const type of ENTITY_TYPES) shopCounts[type] = await source.count(type);
  const bar = ctx.progress();
  let last: ResyncProgress | null = null;
  for (;;) {
    const d = await handle.describe();
    if (d.status.name !== 'RUNNING') break;
    try {
      last = await handle.query(progressQuery);
      const { done, total } = progressTotals(last, shopCounts);
      bar.update(done, total, `phase ${last.phase} (${last.phaseIndex + 1}/${last.phases.length}), ${last.pages} pages`);
    } catch {
      bar.update(0, 0, 'waiting for a worker to pick it up');
    }
    await sleep(ctx.pollMs);
  }

  let result: ResyncProgress;
  try {
    result = await handle.result();
  } catch (err) {
    const reason = err instanceof WorkflowFailedError ? (err.cause?.message ?? err.message) : err instanceof Error ? err.message : String(err);
    bar.finish(`Full resync failed: ${reason}`);
    ctx.emit({ workflowId: handle.workflowId, url, status: 'failed', reason, progress: last });
    return EXIT.failure;
  }
  const { done, total } = progressTotals(result, shopCounts);
  bar.update(done, Math.max(total, done), 'done');
  bar.finish(`Full resync done: ${done} rows in ${result.pages} pages.`);
  const rows = Object.entries(result.counts).map(([type, c]) => [type, c.synced, c.unchanged, c.skipped, c.failed, c.deleted, c.paused]);
  ctx.emit({ workflowId: handle.workflowId, url, status: 'done', progress: result });
  ctx.say(table(['type', 'synced', 'unchanged', 'skipped', 'failed', 'deleted', 'paused'], rows));
  const failed = Object.values(result.counts).reduce((n, c) => n + c.failed, 0);
  if (failed > 0) {
    ctx.say(`${failed} entities failed: see \`mcsync errors\`, or their failed workflows in the Web UI: ${result.failures?.query ?? 'ExecutionStatus="Failed"'}`);
  }
  return failed > 0 ? EXIT.failure : EXIT.ok;
}
