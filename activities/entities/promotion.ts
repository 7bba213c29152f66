import {
  mapPromoCode, mapPromoRule, promoCodeRemoteId, promoRulePatchFrom, ruleKeepsRemovedDate, splitPromoCodeRemoteId,
} from '../../mapping/promo';
import type { PromoCodePayload, PromoRulePayload } from '../../mailchimp/schemas';
import { contentHash, type EntityOutcome, type SyncContext } from '../context';
import { guarded, isUnchanged, recordFailure } from './record';
import { upsert } from './upsert';

/** Promotion rules and their codes. A rule is written before its codes; rows gone from the shop are deleted. */

export function syncPromoRule(ctx: SyncContext, promotionId: string, options: { force?: boolean } = {}): Promise<EntityOutcome> {
  return guarded(ctx, 'promo_rule', promotionId, async () => {
    const { source, state, mailchimp, config } = ctx.deps;
    const previous = await state.get('promo_rule', promotionId);
    const row = await source.promotion(promotionId);
    if (!row) {
      if (previous && previous.status !== 'deleted') await mailchimp.deletePromoRule(config.storeId, previous.remote_id ?? promotionId);
      await state.record('promo_rule', promotionId, { status: 'deleted', remoteId: previous?.remote_id ?? null });
      return { status: 'deleted', entityId: promotionId };
    }
    const mapped = mapPromoRule(row);
    if (mapped.kind !== 'ok') {
      // Sent before, refused now: a fresh sync sends neither the rule nor its codes, so the rule leaves Mailchimp
      // (deleting a rule deletes its codes); its codes are recorded as waiting for it, so they come back with it.
      if (previous?.status === 'synced') {
        await mailchimp.deletePromoRule(config.storeId, previous.remote_id ?? promotionId);
        const failed = await recordFailure(ctx, 'promo_rule', promotionId, mapped.reason);
        await syncCodesOf(ctx, promotionId);
        return failed;
      }
      return recordFailure(ctx, 'promo_rule', promotionId, mapped.reason);
    }
    const payload = mapped.payload;
    const hash = contentHash(payload);
    if (isUnchanged(previous, hash, options.force)) return { status: 'unchanged', entityId: promotionId };

    const { id } = payload;
    // `pending` with a remote id: an earlier run was recreating the rule (recreateRule) and stopped before its codes.
    const interrupted = previous?.status === 'pending' && previous.remote_id != null;
    let keepsRemovedDate = false;
    const create = () => mailchimp.createPromoRule(config.storeId, payload);
    const update = async () => {
      keepsRemovedDate = ruleKeepsRemovedDate(await mailchimp.updatePromoRule(config.storeId, id, promoRulePatchFrom(payload)), payload);
    };
    await upsert(previous?.status === 'synced' || interrupted, create, update);
    if (keepsRemovedDate) await recreateRule(ctx, promotionId, payload);
    else if (interrupted) await resendCodes(ctx, promotionId);
    await state.record('promo_rule', promotionId, { status: 'synced', contentHash: hash, remoteId: id });
    // A rule Mailchimp did not have from the sync (refused until now, say): its codes that waited for it follow.
    if (previous?.status !== 'synced' && !keepsRemovedDate && !interrupted) await syncCodesOf(ctx, promotionId, (status) => status === 'failed');
    return { status: 'synced', entityId: promotionId };
  });
}

/** Syncs the promotion's codes (those whose sync state passes `which`, when given) after its rule changed in Mailchimp. */
async function syncCodesOf(ctx: SyncContext, promotionId: string, which?: (status: string | undefined) => boolean): Promise<void> {
  const codeIds = (await ctx.deps.source.promoCodeIdsOf?.(promotionId)) ?? [];
  const states = which ? await ctx.deps.state.getMany('promo_code', codeIds) : undefined;
  for (const codeId of codeIds) {
    if (which && !which(states?.get(codeId)?.status)) continue;
    await syncPromoCode(ctx, codeId, { force: true });
  }
}

/**
 * A start or end date the promotion lost cannot be emptied by a PATCH (promoRulePatchFrom): the rule is deleted and
 * created again, then every code the shop has for it is written under it. The rule's state says `pending` meanwhile,
 * so a run that stops half-way is finished by the next one (its codes are written again).
 */
async function recreateRule(ctx: SyncContext, promotionId: string, payload: PromoRulePayload): Promise<void> {
  const { mailchimp, state, config } = ctx.deps;
  await state.record('promo_rule', promotionId, { status: 'pending', remoteId: payload.id });
  await mailchimp.deletePromoRule(config.storeId, payload.id);
  await mailchimp.createPromoRule(config.storeId, payload);
  await resendCodes(ctx, promotionId);
}

async function resendCodes(ctx: SyncContext, promotionId: string): Promise<void> {
  const codeIds = (await ctx.deps.source.promoCodeIdsOf?.(promotionId)) ?? [];
  for (const codeId of codeIds) await syncPromoCode(ctx, codeId, { force: true, ruleWritten: true });
}

/** `ruleWritten`: the caller has just written the code's rule (recreateRule), so it is not synced first. */
export function syncPromoCode(ctx: SyncContext, codeId: string, options: { force?: boolean; ruleWritten?: boolean } = {}): Promise<EntityOutcome> {
  return guarded(ctx, 'promo_code', codeId, async () => {
    const { source, state, mailchimp, config } = ctx.deps;
    const previous = await state.get('promo_code', codeId);
    const row = await source.promoCode(codeId);
    const promotion = row ? await source.promotion(row.promotion_id) : null;
    if (!row || !promotion) {
      const ruleId = previous?.remote_id ? splitPromoCodeRemoteId(previous.remote_id).ruleId : undefined;
      if (previous && previous.status !== 'deleted' && ruleId) {
        await mailchimp.deletePromoCode(config.storeId, ruleId, codeId);
      }
      await state.record('promo_code', codeId, { status: 'deleted', remoteId: previous?.remote_id ?? null });
      return { status: 'deleted', entityId: codeId };
    }
    const rule = options.ruleWritten ? { status: 'synced' as const, entityId: promotion.id } : await ensurePromoRule(ctx, promotion.id);
    if (rule.status === 'failed') return recordFailure(ctx, 'promo_code', codeId, `Promo code ${row.code} waits for its promotion: ${rule.reason}`);

    const mapped = mapPromoCode(row, promotion, ctx.settings, config.redemptionUrlTemplate);
    if (mapped.kind !== 'ok') return recordFailure(ctx, 'promo_code', codeId, mapped.reason);
    const payload = mapped.payload;
    const hash = promoCodeHash(payload, promotion.id);
    if (isUnchanged(previous, hash, options.force)) return { status: 'unchanged', entityId: codeId };

    const { id, ...patch } = payload;
    const create = () => mailchimp.createPromoCode(config.storeId, promotion.id, payload);
    const update = () => mailchimp.updatePromoCode(config.storeId, promotion.id, id, patch);
    // A code moved to another promotion: it is written under its new rule and removed from the old one.
    const previousRule = previous?.status === 'synced' && previous.remote_id ? splitPromoCodeRemoteId(previous.remote_id).ruleId : undefined;
    const moved = previousRule !== undefined && previousRule !== promotion.id;
    await upsert(previous?.status === 'synced' && !moved, create, update);
    if (moved) await mailchimp.deletePromoCode(config.storeId, previousRule, codeId);
    await state.record('promo_code', codeId, { status: 'synced', contentHash: hash, remoteId: promoCodeRemoteId(promotion.id, id) });
    return { status: 'synced', entityId: codeId };
  });
}

/** A code's hash covers its rule too: a code moved to another promotion is written again. */
export function promoCodeHash(payload: PromoCodePayload, ruleId: string): string {
  return contentHash({ payload, rule: ruleId });
}

async function ensurePromoRule(ctx: SyncContext, promotionId: string): Promise<EntityOutcome> {
  const previous = await ctx.deps.state.get('promo_rule', promotionId);
  if (previous?.status === 'synced') return { status: 'unchanged', entityId: promotionId };
  return syncPromoRule(ctx, promotionId);
}
