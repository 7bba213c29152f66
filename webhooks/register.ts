import type { MailchimpClient } from '../mailchimp';
import { REDACTED, redactSecrets } from '../mailchimp/redact';
import { WEBHOOK_PATH } from './server';

/** Events we act on (campaign events are not used); our own API writes are excluded by source. */
export const WEBHOOK_EVENTS = { subscribe: true, unsubscribe: true, profile: true, cleaned: true, upemail: true, campaign: false } as const;
export const WEBHOOK_SOURCES = { user: true, admin: true, api: false } as const;

/** `<publicUrl>/webhooks/mailchimp/<secret>`: the URL Mailchimp calls. Contains the secret: never log it. */
export function webhookUrl(publicUrl: string, secret: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${WEBHOOK_PATH}/${encodeURIComponent(secret)}`;
}

/** The same URL with the secret replaced, for logs and messages. */
export function redactedWebhookUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${WEBHOOK_PATH}/${REDACTED}`;
}

export interface RegistrationResult {
  id: string;
  created: boolean;
  /** The registered URL with the secret redacted. */
  url: string;
}

/**
 * Registers the audience webhook unless a webhook with our URL already exists (idempotent: run it at every start).
 * Mailchimp validates the URL with a GET when creating it, so the receiver must already be listening.
 * Errors never carry the secret.
 */
export async function registerAudienceWebhook(mailchimp: MailchimpClient, listId: string, publicUrl: string, secret: string): Promise<RegistrationResult> {
  if (!secret) throw new Error('WEBHOOK_SECRET is empty: refusing to register a webhook anyone could call.');
  const url = webhookUrl(publicUrl, secret);
  const shown = redactedWebhookUrl(publicUrl);
  try {
    const existing = (await mailchimp.listListWebhooks(listId)).find((hook) => hook.url === url);
    if (existing) return { id: existing.id, created: false, url: shown };
    const hook = await mailchimp.createListWebhook(listId, { url, events: { ...WEBHOOK_EVENTS }, sources: { ...WEBHOOK_SOURCES } });
    return { id: hook.id, created: true, url: shown };
  } catch (err) {
    const message = redactSecrets(err instanceof Error ? err.message : String(err), [secret, encodeURIComponent(secret), url]);
    throw new Error(`Could not register the audience webhook ${shown} on list ${listId}: ${message}`);
  }
}
