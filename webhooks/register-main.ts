import { env } from '../config/env';
import { prepareConfigOrExit } from '../config/load';
import { secretValues } from '../config/secrets';
import { createLogger } from '../observability/logger';
import { mailchimpFromEnv } from '../wiring/env';
import { registerAudienceWebhook } from './register';

/**
 * `npm run webhooks:register`: registers `<WEBHOOK_PUBLIC_URL>/webhooks/mailchimp/<WEBHOOK_SECRET>` on
 * MAILCHIMP_LIST_ID unless it is there already. The receiver must be reachable (Mailchimp validates with a GET).
 */
async function main(): Promise<void> {
  const secret = env('WEBHOOK_SECRET');
  const logger = createLogger({ level: env('LOG_LEVEL'), secrets: secretValues() });
  const mailchimp = mailchimpFromEnv();
  try {
    const listId = env('MAILCHIMP_LIST_ID');
    const result = await registerAudienceWebhook(mailchimp, listId, env('WEBHOOK_PUBLIC_URL'), secret);
    logger.info({ listId, url: result.url, webhookId: result.id, created: result.created }, result.created ? 'audience webhook registered' : 'audience webhook already registered');
  } catch (err) {
    logger.error({ err: (err as Error).message }, 'audience webhook registration failed');
    process.exitCode = 1;
  } finally {
    mailchimp.close();
  }
}

if (require.main === module) {
  prepareConfigOrExit('webhooks:register');
  void main();
}
