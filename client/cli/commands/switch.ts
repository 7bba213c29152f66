import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import type { ResyncScope } from '../../../workflows/full-resync';
import { startFullResync as startResyncWorkflow } from '../../../workflows/start';
import { ensureSchedules, scheduleId, SCAN_SCOPES, setSchedulesPaused } from '../../schedules';
import type { CliContext } from '../context';
import { EXIT } from '../errors';

/** Which of the store's schedules do not exist. */
export async function missingSchedules(client: Client, storeId: string): Promise<string[]> {
  const missing: string[] = [];
  for (const scope of SCAN_SCOPES) {
    const id = scheduleId(storeId, scope);
    try {
      await client.schedule.getHandle(id).describe();
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) missing.push(id);
      else throw err;
    }
  }
  return missing;
}

/** The Web UI's base URL: TEMPORAL_UI_URL, else the dev server's UI on this machine. */
export function uiBase(ctx: CliContext): string {
  return (ctx.config.uiUrl || `http://127.0.0.1:${ctx.config.uiPort}`).replace(/\/+$/, '');
}

export function workflowUrl(ctx: CliContext, workflowId: string): string {
  return `${uiBase(ctx)}/namespaces/${encodeURIComponent(ctx.config.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** The Stripe source gets its changes by webhook: it has no change-scan schedules. */
export function usesSchedules(ctx: CliContext): boolean {
  return ctx.config.sourceName !== 'stripe';
}

/** Starts the store's full resync, or follows the one already running (same id, USE_EXISTING). */
export async function startFullResync(ctx: CliContext, types: ResyncScope, why: string, pageSize?: number) {
  return startResyncWorkflow(await ctx.temporal(), ctx.config, { types, ...(pageSize ? { pageSize } : {}) }, why);
}

export async function enableCommand(ctx: CliContext): Promise<number> {
  const { storeId } = ctx.config;
  await ctx.source().setSyncEnabled(true);
  const client = await ctx.temporal();
  const scheduled = usesSchedules(ctx);
  const missing = scheduled ? await missingSchedules(client, storeId) : [];
  if (missing.length > 0) await ensureSchedules(client, { storeId, taskQueue: ctx.config.taskQueue, interval: ctx.config.syncInterval });
  if (scheduled) await setSchedulesPaused(client, storeId, false, 'mcsync enable');
  const firstSync = (await ctx.state().watermark('full_sync')) === null;
  let workflowId: string | null = null;
  if (firstSync) workflowId = (await startFullResync(ctx, 'all', 'first sync, mcsync enable')).workflowId;
  ctx.emit({ enabled: true, schedulesCreated: missing, schedulesPaused: false, firstFullSyncStarted: firstSync, workflowId });
  ctx.say(`Mailchimp sync is ON for store ${storeId}.`);
  if (!scheduled) ctx.say('SYNC_SOURCE=stripe: changes arrive as Stripe webhooks (no change-scan schedules).');
  else ctx.say(missing.length > 0 ? `Created ${missing.length} schedule(s) and unpaused them.` : 'Schedules unpaused.');
  if (workflowId) ctx.say(`No full sync has happened yet: started the first one (${workflowId}, ${workflowUrl(ctx, workflowId)}).`);
  return EXIT.ok;
}

export async function disableCommand(ctx: CliContext): Promise<number> {
  const { storeId } = ctx.config;
  await ctx.source().setSyncEnabled(false);
  const client = await ctx.temporal();
  const scheduled = usesSchedules(ctx);
  const missing = scheduled ? await missingSchedules(client, storeId) : [];
  if (missing.length > 0) await ensureSchedules(client, { storeId, taskQueue: ctx.config.taskQueue, interval: ctx.config.syncInterval, paused: true });
  if (scheduled) await setSchedulesPaused(client, storeId, true, 'mcsync disable');
  ctx.emit({ enabled: false, schedulesCreated: missing, schedulesPaused: scheduled });
  ctx.say(`Mailchimp sync is OFF for store ${storeId}: schedules paused; entity syncs do nothing until \`mcsync enable\`.`);
  return EXIT.ok;
}
