import { ScheduleNotFoundError, WorkflowNotFoundError } from '@temporalio/client';
import { describePause, pauseCause, readAuthFailure } from '../../../db/sync-pause';
import { ENTITY_TYPES } from '../../../mapping/ids';
import { progressQuery, type ResyncProgress } from '../../../workflows/contract';
import { fullResyncHandle } from '../../../workflows/start';
import { scheduleId, SCAN_SCOPES } from '../../schedules';
import type { CliContext } from '../context';
import { classifyError, EXIT } from '../errors';
import { table, when } from '../format';
import { progressTotals } from './resync';
import { usesSchedules } from './switch';

export interface ScheduleStatus {
  id: string;
  exists: boolean;
  paused: boolean | null;
  lastRun: string | null;
  nextRun: string | null;
}

export async function statusCommand(ctx: CliContext): Promise<number> {
  const { storeId } = ctx.config;
  const source = ctx.source();
  const settings = await source.settings();
  const counts = await ctx.state().countsByStatus();
  const fullSync = await ctx.state().watermark('full_sync');
  const entities = [];
  for (const type of ENTITY_TYPES) {
    const of = (status: string) => counts.find((c) => c.entity_type === type && c.status === status)?.n ?? 0;
    entities.push({
      type, shop: await source.count(type), synced: of('synced'), pending: of('pending'), failed: of('failed'), skipped: of('skipped'), deleted: of('deleted'),
    });
  }

  // A service that cannot be reached is reported in its section; the rest is still shown, and the exit code is 3.
  const problems: string[] = [];
  const reach = async <T>(what: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await what();
    } catch (err) {
      const classified = classifyError(err);
      if (classified.exitCode !== EXIT.unreachable) throw err;
      problems.push(classified.message);
      return undefined;
    }
  };
  const authFailure = await readAuthFailure(ctx.db(), storeId);
  if (authFailure) {
    problems.push(describePause(authFailure));
  }
  const storeRead = await reach(async () => ({ store: await ctx.mailchimp().getStore(storeId) }));
  const store = storeRead?.store ?? null;
  const client = await reach(() => ctx.temporal());
  const schedules: ScheduleStatus[] = [];
  for (const scope of usesSchedules(ctx) ? SCAN_SCOPES : []) {
    const id = scheduleId(storeId, scope);
    if (!client) {
      schedules.push({ id, exists: false, paused: null, lastRun: null, nextRun: null });
      continue;
    }
    try {
      const d = await client.schedule.getHandle(id).describe();
      const last = d.info.recentActions[d.info.recentActions.length - 1];
      schedules.push({
        id, exists: true, paused: d.state.paused,
        lastRun: last ? last.takenAt.toISOString() : null,
        nextRun: d.info.nextActionTimes[0]?.toISOString() ?? null,
      });
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
      schedules.push({ id, exists: false, paused: null, lastRun: null, nextRun: null });
    }
  }

  let resync: { workflowId: string; status: string; progress: ResyncProgress | null } | null = null;
  if (client) {
    const handle = fullResyncHandle(client, storeId);
    try {
      const d = await handle.describe();
      const progress = d.status.name === 'RUNNING' ? await handle.query(progressQuery).catch(() => null) : null;
      resync = { workflowId: handle.workflowId, status: d.status.name, progress };
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }

  ctx.emit({
    storeId, source: ctx.config.sourceName ?? 'shop-db', enabled: settings.mailchimpSyncEnabled, firstFullSyncDone: fullSync !== null, fullSyncAt: fullSync?.updatedAt ?? null,
    entities,
    store: !storeRead ? { reachable: false, exists: null, isSyncing: null }
      : store ? { reachable: true, exists: true, isSyncing: Boolean(store.is_syncing), name: store.name } : { reachable: true, exists: false, isSyncing: null },
    mailchimpAuth: authFailure ? { failing: true, cause: pauseCause(authFailure.reason), since: authFailure.since.toISOString(), reason: authFailure.reason } : { failing: false },
    temporalReachable: Boolean(client), schedules, fullResync: resync, problems,
  });
  ctx.say(`Store ${storeId}: sync ${settings.mailchimpSyncEnabled ? 'ENABLED' : 'DISABLED'}; ` +
    (fullSync ? `last full sync started ${when(fullSync.updatedAt)}` : 'no full sync yet'));
  if (authFailure) ctx.say(`SYNC PAUSED: ${describePause(authFailure)} It resumes by itself once Mailchimp takes requests again.`);
  ctx.say(!storeRead ? 'Mailchimp store: Mailchimp cannot be reached'
    : store ? `Mailchimp store "${String(store.name)}": is_syncing ${Boolean(store.is_syncing)}` : 'Mailchimp store: not created yet');
  ctx.say('');
  ctx.say(table(['type', 'shop', 'synced', 'pending', 'failed', 'skipped', 'deleted'],
    entities.map((e) => [e.type, e.shop, e.synced, e.pending, e.failed, e.skipped, e.deleted])));
  ctx.say('(shop customers are registered users; guest buyers are customers in Mailchimp too)');
  ctx.say('');
  if (!usesSchedules(ctx)) ctx.say('Source: Stripe (SYNC_SOURCE=stripe): changes arrive as Stripe webhooks, no change-scan schedules.');
  else {
    ctx.say(table(['schedule', 'state', 'last run', 'next run'],
      schedules.map((s) => [s.id, !client ? 'unknown' : s.exists ? (s.paused ? 'paused' : 'active') : 'missing', when(s.lastRun), when(s.nextRun)])));
  }
  ctx.say('');
  if (!client) ctx.say('Full resync: Temporal cannot be reached.');
  else if (!resync) ctx.say('Full resync: none has run under this id.');
  else if (resync.progress) {
    const { done, total } = progressTotals(resync.progress, Object.fromEntries(entities.map((e) => [e.type, e.shop])));
    ctx.say(`Full resync ${resync.workflowId}: RUNNING, phase ${resync.progress.phase}, ${done}/${total} rows, ${resync.progress.pages} pages`);
  } else ctx.say(`Full resync ${resync.workflowId}: ${resync.status}`);
  for (const problem of problems) ctx.note(`mcsync: ${problem}`);
  return problems.length > 0 ? EXIT.unreachable : EXIT.ok;
}
