import { ApplicationFailure } from '@temporalio/common';
import { mapStore, storePatchFrom } from '../mapping/store';
import { FAILURE_TYPES } from '../workflows/contract';
import type { SyncContext } from './context';

/**
 * Creates the Mailchimp store, or checks and updates the one that exists. A store bound to another audience or
 * priced in another currency is refused: Mailchimp cannot move a store, and every price must be in its currency.
 */
export async function setupStore(ctx: SyncContext): Promise<{ created: boolean }> {
  const { mailchimp, config } = ctx.deps;
  const mapped = mapStore(ctx.settings, { storeId: config.storeId, listId: config.listId });
  if (mapped.kind !== 'ok') throw ApplicationFailure.nonRetryable(mapped.reason, FAILURE_TYPES.storeSetup);
  const payload = mapped.payload;
  const existing = await mailchimp.getStore(config.storeId);
  if (!existing) {
    await mailchimp.createStore({ ...payload, is_syncing: false });
    await ctx.deps.state.record('store', config.storeId, { status: 'synced', remoteId: config.storeId });
    return { created: true };
  }
  if (existing.list_id !== config.listId) {
    throw ApplicationFailure.nonRetryable(
      `Mailchimp store ${config.storeId} belongs to audience ${existing.list_id}, but MAILCHIMP_LIST_ID is ${config.listId}. ` +
        'A store can never move to another audience: set MAILCHIMP_LIST_ID to its audience, or use a new MAILCHIMP_STORE_ID.',
      FAILURE_TYPES.storeSetup,
    );
  }
  if (String(existing.currency_code).toUpperCase() !== payload.currency_code) {
    throw ApplicationFailure.nonRetryable(
      `Mailchimp store ${config.storeId} is in ${existing.currency_code}, but the shop's store_currency is ${payload.currency_code}. ` +
        'Every price must be in the store\'s currency: fix store_currency, or use a new MAILCHIMP_STORE_ID.',
      FAILURE_TYPES.storeSetup,
    );
  }
  await mailchimp.updateStore(config.storeId, storePatchFrom(payload));
  return { created: false };
}

export async function setStoreSyncing(ctx: SyncContext, isSyncing: boolean): Promise<void> {
  await ctx.deps.mailchimp.updateStore(ctx.deps.config.storeId, { is_syncing: isSyncing });
}
