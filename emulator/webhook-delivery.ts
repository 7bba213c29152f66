import type { AudienceEvent } from './audience';
import type { WebhookRecord } from './state';
import { firedAt, sleep } from './util';

export const VALIDATOR_USER_AGENT = 'MailChimp.com WebHook Validator';
export const DELIVERY_USER_AGENT = 'MailChimp';

export interface DeliveryStats {
  delivered: number;
  failed: number;
}

/** The form fields Mailchimp posts for an audience event. */
export function eventForm(event: AudienceEvent, when: Date = new Date()): URLSearchParams {
  const { member, list } = event;
  const form = new URLSearchParams();
  form.set('type', event.type);
  form.set('fired_at', firedAt(when));
  if (event.type === 'cleaned') {
    form.set('data[list_id]', list.id);
    form.set('data[campaign_id]', event.data.campaign_id ?? '');
    form.set('data[reason]', event.data.reason ?? 'hard');
    form.set('data[email]', member.email_address);
    return form;
  }
  if (event.type === 'upemail') {
    form.set('data[list_id]', list.id);
    form.set('data[new_id]', event.data.new_id);
    form.set('data[new_email]', event.data.new_email);
    form.set('data[old_email]', event.data.old_email);
    return form;
  }
  if (event.type === 'unsubscribe') {
    form.set('data[action]', event.data.action ?? 'unsub');
    form.set('data[reason]', event.data.reason ?? 'manual');
  }
  form.set('data[id]', member.id);
  form.set('data[email]', member.email_address);
  form.set('data[email_type]', member.email_type);
  form.set('data[ip_opt]', member.ip_opt);
  form.set('data[ip_signup]', member.ip_signup);
  form.set('data[web_id]', String(member.web_id));
  form.set('data[merges][EMAIL]', member.email_address);
  for (const [tag, value] of Object.entries(member.merge_fields)) {
    if (typeof value === 'string' || typeof value === 'number') form.set(`data[merges][${tag}]`, String(value));
  }
  form.set('data[list_id]', list.id);
  if (event.type === 'unsubscribe') form.set('data[campaign_id]', event.data.campaign_id ?? '');
  return form;
}

/** Checks a webhook URL the way Mailchimp does; returns an error message or null. */
export async function validateWebhookUrl(url: string, timeoutMs: number): Promise<string | null> {
  try {
    const response = await fetch(url, { method: 'GET', headers: { 'user-agent': VALIDATOR_USER_AGENT }, signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer().catch(() => undefined);
    if (response.status < 200 || response.status >= 300) {
      return `We couldn't verify the URL is working. Please double check and try again. HTTP Code: ${response.status}`;
    }
    return null;
  } catch (error) {
    return `We couldn't verify the URL is working. Please double check and try again. (${(error as Error).message})`;
  }
}

/** Posts events to the matching webhooks, one delivery at a time per webhook (so each receiver sees them in order). */
export class WebhookDelivery {
  readonly stats: DeliveryStats = { delivered: 0, failed: 0 };
  private readonly queues = new Map<string, Promise<void>>();
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly options: () => { timeoutMs: number; retries: number }) {}

  emit(event: AudienceEvent): void {
    for (const hook of event.list.webhooks.values()) {
      if (!hook.events[event.type] || !hook.sources[event.source]) continue;
      const form = eventForm(event);
      this.enqueue(hook, form);
    }
  }

  /** Resolves once every queued delivery has been attempted. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private enqueue(hook: WebhookRecord, form: URLSearchParams): void {
    const previous = this.queues.get(hook.id) ?? Promise.resolve();
    const next = previous.then(() => this.deliver(hook.url, form));
    this.queues.set(hook.id, next);
    this.pending.add(next);
    void next.finally(() => {
      this.pending.delete(next);
      if (this.queues.get(hook.id) === next) this.queues.delete(hook.id);
    });
  }

  private async deliver(url: string, form: URLSearchParams): Promise<void> {
    const { timeoutMs, retries } = this.options();
    for (let attempt = 0; attempt <= retries; attempt += 1) {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': DELIVERY_USER_AGENT },
          body: form.toString(),
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) {
          this.stats.delivered += 1;
          return;
        }
      } catch {
        // retried below
      }
      if (attempt < retries) await sleep(100 * 2 ** attempt);
    }
    this.stats.failed += 1;
  }
}
