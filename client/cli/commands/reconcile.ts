import { WorkflowNotFoundError } from '@temporalio/client';
import type { EntityType } from '../../../mapping/ids';
import { fullResyncHandle } from '../../../workflows/start';
import type { Drift, TypeSummary, Unsent } from '../../reconcile/compare';
import { patchStore, planFix, removeExtra, type FixPlan, type Removal } from '../../reconcile/fix';
import { reconcile, type ReconcileReport } from '../../reconcile/reconcile';
import { parseScope } from '../args';
import type { CliContext } from '../context';
import { OK_STATUSES, runEntities, type EntityRunResult } from '../entity-run';
import { EXIT } from '../errors';
import { cell, table } from '../format';

async function check(ctx: CliContext, types: EntityType[]): Promise<ReconcileReport> {
  const bar = ctx.progress();
  const report = await reconcile(
    {
      source: ctx.source(), mailchimp: ctx.mailchimp(), storeId: ctx.config.storeId, listId: ctx.config.listId,
      redemptionUrlTemplate: ctx.config.redemptionUrlTemplate, cartUrlTemplate: ctx.config.cartUrlTemplate, cartMaxAge: ctx.config.cartMaxAge,
      failures: await ctx.state().failureReasons(),
    },
    types,
    (what, done, total) => bar.update(done, total, `reading ${what}`),
  );
  const syncing = await stuckSyncing(ctx, report);
  if (syncing) {
    report.drifts.unshift(syncing);
    const summary = report.summaries.find((s) => s.type === 'store');
    if (summary) summary.differing = 1;
  }
  bar.finish(`Compared ${report.summaries.map((s) => s.type).join(', ')}: ${report.drifts.length} drift(s).`);
  return report;
}

/**
 * The store's is_syncing left true with no full resync running (one that ended without clearing it): Mailchimp keeps
 * the store's automations off. A running resync sets it on purpose; without Temporal the check is skipped, said so.
 */
async function stuckSyncing(ctx: CliContext, report: ReconcileReport): Promise<Drift | undefined> {
  if (!report.storeExists || !(await ctx.mailchimp().getStore(report.storeId))?.is_syncing) return undefined;
  let running: boolean;
  try {
    const client = await ctx.temporal();
    running = (await fullResyncHandle(client, report.storeId).describe()).status.name === 'RUNNING';
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) {
      ctx.note(`The store is syncing (is_syncing true); whether a full resync runs is unknown: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
    running = false;
  }
  return running ? undefined : {
    type: 'store', kind: 'field', id: report.storeId, field: 'is_syncing', expected: false, actual: true,
    note: 'no full resync is running: the store\'s automations stay off',
  };
}

/** Shop ids of drifted items the comparison could not name, from the sync state's remote ids (extras need none). */
async function lookupBySyncState(ctx: CliContext, drifts: Drift[]): Promise<Map<string, string>> {
  const wanted = drifts.filter((d) => !d.entityId && d.type !== 'store' && d.kind !== 'extra');
  const out = new Map<string, string>();
  if (wanted.length === 0) return out;
  const rows = await ctx.state().byRemoteIds([...new Set(wanted.map((d) => d.id))]);
  for (const r of rows) out.set(`${r.entity_type}:${r.remote_id}`, r.entity_id);
  for (const d of wanted) if (d.type === 'customer') out.set(`customer:${d.id}`, d.id);
  return out;
}

function summaryTable(summaries: TypeSummary[]): string {
  return table(['type', 'shop', 'mailchimp', 'missing', 'extra', 'differing', 'duplicates', 'unsendable', 'failed'],
    summaries.map((s) => [s.type, s.shop, s.mailchimp, s.missing, s.extra, s.differing, s.duplicates, s.unsendable, s.failed]));
}

const UNSENT_LABEL: Record<Unsent['cause'], string> = {
  refused: 'refused by the mapping', failed: 'recorded as failed', left_out: 'left out of its product',
};

function unsentTable(unsent: Unsent[]): string {
  return table(['type', 'id', 'not sent', 'reason'], unsent.map((u) => [
    u.type, u.entityId !== u.id ? `${u.id} (#${u.entityId})` : u.id, UNSENT_LABEL[u.cause], u.reason,
  ]));
}

export function driftTable(drifts: Drift[]): string {
  return table(['type', 'id', 'drift', 'field', 'shop says', 'mailchimp has'], drifts.map((d) => [
    d.type, d.entityId && d.entityId !== d.id ? `${d.id} (#${d.entityId})` : d.id, d.kind, d.field ?? d.note ?? '',
    d.kind === 'field' ? cell(d.expected) : '', d.kind === 'field' ? cell(d.actual) : '',
  ]));
}

function printReport(ctx: CliContext, report: ReconcileReport, title: string): void {
  ctx.say(title);
  if (!report.storeExists) ctx.say(`The Mailchimp store ${report.storeId} does not exist: run \`mcsync resync\` (or \`mcsync enable\`).`);
  ctx.say(summaryTable(report.summaries));
  if (report.unsent.length > 0) {
    ctx.say(`\nNot sent, not drift (the shop's data is refused; \`mcsync errors\`, fix the data, \`mcsync retry-failed\`):\n${unsentTable(report.unsent)}`);
  }
  if (report.drifts.length === 0) ctx.say('\nNo drift: Mailchimp holds what the shop says it should.');
  else ctx.say(`\n${driftTable(report.drifts)}\n\n${report.drifts.length} drift(s).`);
}

export async function reconcileCommand(ctx: CliContext, rawType: string | undefined, options: { fix: boolean; timeoutMs: number }): Promise<number> {
  const { types } = parseScope(rawType);
  const before = await check(ctx, types);
  if (!options.fix || before.drifts.length === 0) {
    ctx.emit({ ...before, fixed: null });
    printReport(ctx, before, 'Reconcile (shop vs Mailchimp):');
    return before.drifts.length > 0 ? EXIT.failure : EXIT.ok;
  }

  printReport(ctx, before, 'Before the fix:');
  const plan = planFix(before.drifts, await lookupBySyncState(ctx, before.drifts));
  const clearSyncing = before.drifts.some((d) => d.type === 'store' && d.field === 'is_syncing');
  const storeProblem = plan.patchStore ? await patchStore(ctx.mailchimp(), await ctx.source().settings(), ctx.config, clearSyncing) : undefined;
  const results = await resyncAll(ctx, plan, options.timeoutMs);
  const bad = results.filter((r) => !OK_STATUSES.has(r.status));
  const removed = await removeAll(ctx, plan.remove);

  const after = await check(ctx, types);
  ctx.emit({ before, fixed: { synced: results, removed: removed.done, notRemoved: removed.failed, unfixable: plan.unfixable, storePatched: plan.patchStore && !storeProblem }, ...after });
  if (storeProblem) ctx.say(`\nThe store was not updated: ${storeProblem}`);
  if (bad.length > 0) ctx.say(`\n${table(['type', 'id', 'status', 'reason'], bad.map((r) => [r.type, r.entityId, r.status, r.reason]))}`);
  if (removed.failed.length > 0) ctx.say(`\n${table(['type', 'id', 'not deleted', 'reason'], removed.failed.map((f) => [f.type, removalLabel(f), 'failed', f.reason]))}`);
  if (plan.unfixable.length > 0) {
    ctx.say(`\n${plan.unfixable.length} drift(s) no repair applies to (duplicates; a missing store: \`mcsync resync\`; items no shop id names).`);
  }
  printReport(ctx, after, '\nAfter the fix:');
  return after.drifts.length > 0 ? EXIT.failure : EXIT.ok;
}

/** Syncs each drifted entity again with force, by its own workflow. */
async function resyncAll(ctx: CliContext, plan: FixPlan, timeoutMs: number): Promise<EntityRunResult[]> {
  const { resync: targets } = plan;
  // The customer workflow takes no `force`: forget the content hash so its sync writes again.
  const customers = targets.filter((t) => t.type === 'customer').map((t) => t.entityId);
  await ctx.state().forgetHashes('customer', customers);
  if (targets.length === 0) return [];
  const bar = ctx.progress();
  bar.update(0, targets.length, 'repairing');
  const results = await runEntities(ctx, targets, {
    extra: { force: true }, timeoutMs, onDone: (done, total) => bar.update(done, total, 'repairing'),
  });
  const bad = results.filter((r) => !OK_STATUSES.has(r.status));
  bar.finish(`Synced ${results.length} entit${results.length === 1 ? 'y' : 'ies'} again with force: ${results.length - bad.length} ok, ${bad.length} failed.`);
  return results;
}

function removalLabel(r: Removal): string {
  return r.part ? `${r.part.kind} ${r.part.id} of ${r.id}` : r.id;
}

/** Deletes the extras from Mailchimp, one at a time in dependency order; a failure is reported, not fatal. */
async function removeAll(ctx: CliContext, removals: Removal[]): Promise<{ done: Removal[]; failed: Array<Removal & { reason: string }> }> {
  const done: Removal[] = [];
  const failed: Array<Removal & { reason: string }> = [];
  for (const r of removals) {
    try {
      await removeExtra(ctx.mailchimp(), ctx.config.storeId, r);
      // Whatever points at the deleted item (the entity, or the parent of a variant or line) writes it again next time.
      await ctx.state().forgetHashOfRemote(r.type, r.id);
      done.push(r);
    } catch (err) {
      failed.push({ ...r, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  if (removals.length > 0) ctx.say(`\nDeleted ${done.length} extra item(s) from Mailchimp${failed.length > 0 ? `, ${failed.length} failed` : ''}.`);
  return { done, failed };
}
