import { WorkflowNotFoundError } from '@temporalio/client';
import type { EntityType } from '../../../mapping/ids';
import { entityWorkflowId } from '../../../workflows/contract';
import type { CliContext } from '../context';
import { EXIT } from '../errors';
import { when } from '../format';
import { resolveEntityId } from './entities';
import { workflowUrl } from './switch';

/** Mailchimp's copy of the entity (null: Mailchimp has none), read by the id the sync sent it under. */
async function remoteCopy(ctx: CliContext, type: EntityType, remoteId: string): Promise<Record<string, unknown> | null> {
  const mc = ctx.mailchimp();
  const { storeId } = ctx.config;
  switch (type) {
    case 'product': return mc.getProduct(storeId, remoteId);
    case 'customer': return mc.getCustomer(storeId, remoteId);
    case 'order': return mc.getOrder(storeId, remoteId);
    case 'promo_rule': return mc.getPromoRule(storeId, remoteId);
    case 'promo_code': {
      const code = await ctx.source().promoCode(remoteId);
      return code ? mc.getPromoCode(storeId, code.promotion_id, remoteId) : null;
    }
    case 'cart': return mc.getCart(storeId, remoteId);
  }
}

/** `mcsync show <type> <id>`: the entity's sync state, last error, Mailchimp's copy and its workflow in the Web UI. */
export async function showCommand(ctx: CliContext, type: EntityType, rawId: string): Promise<number> {
  const entityId = await resolveEntityId(ctx, type, rawId);
  const state = await ctx.state().get(type, entityId);
  const remoteId = state?.remote_id ?? entityId;
  const mailchimp = await remoteCopy(ctx, type, remoteId);
  const workflowId = entityWorkflowId(ctx.config.storeId, type, entityId);
  let workflowStatus: string | null = null;
  try {
    workflowStatus = (await (await ctx.temporal()).workflow.getHandle(workflowId).describe()).status.name;
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  const url = workflowUrl(ctx, workflowId);
  const syncState = state && {
    status: state.status, attempts: state.attempts, updatedAt: state.updated_at, syncedAt: state.synced_at ?? null,
    remoteId: state.remote_id, errorReason: state.error_reason, errorDetail: state.error_detail,
  };
  ctx.emit({ type, entityId, syncState, mailchimp, workflow: { id: workflowId, status: workflowStatus, url } });

  ctx.say(`${type} ${entityId}`);
  if (!state) ctx.say('  sync state: never synced');
  else {
    ctx.say(`  sync state: ${state.status} (updated ${when(state.updated_at)}, last synced ${when(state.synced_at ?? null)}, attempts ${state.attempts})`);
    if (state.error_reason) ctx.say(`  last error: ${state.error_reason}${state.error_detail ? `\n              ${state.error_detail}` : ''}`);
  }
  ctx.say(`  workflow:   ${workflowId} (${workflowStatus ?? 'never started'}) ${url}`);
  ctx.say(mailchimp ? `  Mailchimp (${remoteId}):\n${JSON.stringify(mailchimp, null, 2).replace(/^/gm, '    ')}` : `  Mailchimp: has no ${type} ${remoteId}`);
  return state?.status === 'failed' ? EXIT.failure : EXIT.ok;
}
