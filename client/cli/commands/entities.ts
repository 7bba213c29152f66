import { describePause, pauseCause, readAuthFailure } from '../../../db/sync-pause';
import type { SyncStateRow } from '../../../db/sync-state';
import { customerIdForEmail, ENTITY_TYPES, type EntityType } from '../../../mapping/ids';
import { customerIdArg, parseScope } from '../args';
import type { CliContext } from '../context';
import { EXIT } from '../errors';
import { table, when } from '../format';
import { OK_STATUSES, runEntities, type EntityRunResult } from '../entity-run';

/** The shop id the entity's workflow is named after: products by id or code, orders by id or order number. */
export async function resolveEntityId(ctx: CliContext, type: EntityType, raw: string): Promise<string> {
  const value = raw.trim();
  if (type === 'customer') return customerIdArg(value, customerIdForEmail);
  const source = ctx.source();
  if (type === 'product' && !/^\d+$/.test(value)) {
    const id = await source.productIdByCode?.(value);
    if (id) return id;
  }
  if (type === 'order') {
    const byId = /^\d+$/.test(value) && (await source.existing('order', [value])).has(value);
    if (!byId) {
      const id = await source.orderIdByNumber?.(value);
      if (id) return id;
    }
  }
  return value;
}

function describe(r: EntityRunResult): string {
  return `${r.type} ${r.entityId}: ${r.status}${r.reason ? ` (${r.reason})` : ''}`;
}

export async function syncCommand(ctx: CliContext, type: EntityType, rawId: string, timeoutMs: number): Promise<number> {
  const entityId = await resolveEntityId(ctx, type, rawId);
  const [result] = await runEntities(ctx, [{ type, entityId }], { timeoutMs });
  ctx.emit(result);
  if (result.status === 'paused') {
    ctx.say(`${type} ${entityId}: not synced, the Mailchimp sync is turned off (\`mcsync enable\`).`);
    return EXIT.failure;
  }
  if (result.status === 'awaiting-confirmation') ctx.say(`${describe(result)}: synced; the workflow now waits for the double opt-in confirmation.`);
  else ctx.say(describe(result));
  return OK_STATUSES.has(result.status) ? EXIT.ok : EXIT.failure;
}

/**
 * Failed entities, then entities sent without some of their parts (a product whose refused variants were left out:
 * synced, with the reason); both are data to fix, so either makes the exit code 1.
 */
export async function errorsCommand(ctx: CliContext, rawType: string | undefined, limit: number): Promise<number> {
  const { types } = parseScope(rawType);
  const all = types.length === ENTITY_TYPES.length;
  const read = async (query: (t: EntityType | undefined) => Promise<SyncStateRow[]>) => {
    const rows = all ? await query(undefined) : (await Promise.all(types.map((t) => query(t)))).flat();
    return rows.sort((a, b) => b.updated_at.getTime() - a.updated_at.getTime()).slice(0, limit);
  };
  const shown = await read((t) => ctx.state().failures(t, limit));
  const partly = await read((t) => ctx.state().partlySent(t, limit));
  // The whole sync paused (a refused key, a missing audience or store) comes first: it holds back every entity.
  const paused = await readAuthFailure(ctx.db(), ctx.config.storeId);
  if (paused) ctx.say(`SYNC PAUSED: ${describePause(paused)}\n`);
  ctx.emit([
    ...(paused ? [{ type: 'sync', entityId: ctx.config.storeId, status: 'paused', cause: pauseCause(paused.reason), failedAt: paused.since.toISOString(), reason: describePause(paused) }] : []),
    ...shown.map((r) => ({
      type: r.entity_type, entityId: r.entity_id, status: 'failed', attempts: r.attempts, failedAt: r.updated_at.toISOString(), reason: r.error_reason, detail: r.error_detail,
    })),
    ...partly.map((r) => ({ type: r.entity_type, entityId: r.entity_id, status: 'synced', syncedAt: r.updated_at.toISOString(), reason: r.error_reason })),
  ]);
  if (shown.length === 0) ctx.say('No failed entities.');
  else {
    ctx.say(table(['type', 'id', 'attempts', 'failed at', 'reason'], shown.map((r) => [r.entity_type, r.entity_id, r.attempts, when(r.updated_at), r.error_reason])));
    ctx.say(`\n${shown.length} failed entit${shown.length === 1 ? 'y' : 'ies'}${shown.length === limit ? ` (first ${limit}; --limit for more)` : ''}. Fix the data, then \`mcsync retry-failed\`.`);
  }
  if (partly.length > 0) {
    ctx.say(`\nSent without some of their parts (${partly.length}):`);
    ctx.say(table(['type', 'id', 'synced at', 'left out'], partly.map((r) => [r.entity_type, r.entity_id, when(r.updated_at), r.error_reason])));
  }
  return paused || shown.length > 0 || partly.length > 0 ? EXIT.failure : EXIT.ok;
}

export async function retryFailedCommand(ctx: CliContext, rawType: string | undefined, timeoutMs: number): Promise<number> {
  const { types } = parseScope(rawType);
  const refs = [];
  for (const type of types) for (const entityId of await ctx.state().idsWithStatus(type, 'failed')) refs.push({ type, entityId });
  if (refs.length === 0) {
    ctx.emit({ retried: 0, succeeded: 0, failed: 0, results: [] });
    ctx.say('No failed entities to retry.');
    return EXIT.ok;
  }
  const bar = ctx.progress();
  bar.update(0, refs.length, 'retrying');
  const results = await runEntities(ctx, refs, { timeoutMs, onDone: (done, total) => bar.update(done, total, 'retrying') });
  const bad = results.filter((r) => !OK_STATUSES.has(r.status));
  bar.finish(`Retried ${results.length}: ${results.length - bad.length} succeeded, ${bad.length} still failing.`);
  ctx.emit({ retried: results.length, succeeded: results.length - bad.length, failed: bad.length, results });
  if (bad.length > 0) ctx.say(table(['type', 'id', 'status', 'reason'], bad.map((r) => [r.type, r.entityId, r.status, r.reason])));
  ctx.say(`Retried ${results.length} failed entit${results.length === 1 ? 'y' : 'ies'}: ${results.length - bad.length} succeeded, ${bad.length} still failing.`);
  return bad.length > 0 ? EXIT.failure : EXIT.ok;
}
