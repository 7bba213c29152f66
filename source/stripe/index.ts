import type { Knex } from 'knex';
import { env } from '../../config/env';
import { createStripeClient, createStripeReader } from './reader';
import { createStripeSource, type StripeSource } from './source';

export { createStripeSource, type StripeSource } from './source';
export { createStripeClient, createStripeReader, type StripeReader } from './reader';

/**
 * The Stripe source as configured (STRIPE_API_KEY, STRIPE_API_URL, STRIPE_STORE_NAME, STRIPE_CURRENCY). The feature
 * switch lives in the database's shop_settings like for the shop database, but is on when the row is absent: a
 * Stripe account has no shop database to turn it on in.
 */
export function createStripeSourceFromEnv(db: Knex, overrides: { currency?: string } = {}, vars: NodeJS.ProcessEnv = process.env): StripeSource {
  const stripe = createStripeClient({ apiKey: env('STRIPE_API_KEY', vars), apiUrl: env('STRIPE_API_URL', vars) });
  const reader = createStripeReader(stripe, { currency: env('STRIPE_CURRENCY', vars) || overrides.currency });
  return createStripeSource(reader, {
    storeName: env('STRIPE_STORE_NAME', vars),
    async syncEnabled() {
      const row = (await db('shop_settings').where({ name: 'mailchimp_sync_enabled' }).first('value')) as { value: string } | undefined;
      return row === undefined || row.value === '1' || row.value === 'true';
    },
    async setSyncEnabled(enabled) {
      await db('shop_settings').insert({ name: 'mailchimp_sync_enabled', value: enabled ? '1' : '0' }).onConflict('name').merge();
    },
  });
}
