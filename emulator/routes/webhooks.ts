import { randomBytes } from 'node:crypto';
import { listWebhookSchema } from '../../mailchimp/schemas';
import { noContent, ok, type Handler, type Services } from '../context';
import { invalidResource } from '../problem';
import type { Router } from '../router';
import { WEBHOOK_EVENTS, WEBHOOK_SOURCES, type Json, type WebhookEvent, type WebhookRecord, type WebhookSource } from '../state';
import { validateBody } from '../validation';
import { validateWebhookUrl } from '../webhook-delivery';
import { found } from './ecommerce';

const WEBHOOKS = '/lists/{list_id}/webhooks';

/** Mailchimp's defaults: every event; user and admin sources, not api. */
const DEFAULT_EVENTS: Record<WebhookEvent, boolean> = { subscribe: true, unsubscribe: true, profile: true, cleaned: true, upemail: true, campaign: true };
const DEFAULT_SOURCES: Record<WebhookSource, boolean> = { user: true, admin: true, api: false };

function webhookView(hook: WebhookRecord): Json {
  return { id: hook.id, url: hook.url, events: hook.events, sources: hook.sources, list_id: hook.list_id, _links: [] };
}

function mergeFlags<K extends string>(keys: readonly K[], base: Record<K, boolean>, patch: Partial<Record<K, boolean | undefined>> | undefined): Record<K, boolean> {
  const out = { ...base };
  for (const key of keys) {
    const value = patch?.[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

async function checkUrl(services: Services, url: string): Promise<void> {
  const problem = await validateWebhookUrl(url, services.config().webhooks.timeoutMs);
  if (problem) throw invalidResource([{ field: 'url', message: problem }]);
}

const postWebhook: Handler = async ({ params, body, services }) => {
  const list = services.audience.list(params.list_id);
  const input = validateBody(listWebhookSchema, body, 'webhook');
  await checkUrl(services, input.url);
  const hook: WebhookRecord = {
    id: randomBytes(5).toString('hex'),
    url: input.url,
    events: mergeFlags(WEBHOOK_EVENTS, DEFAULT_EVENTS, input.events),
    sources: mergeFlags(WEBHOOK_SOURCES, DEFAULT_SOURCES, input.sources),
    list_id: list.id,
  };
  list.webhooks.set(hook.id, hook);
  return ok(webhookView(hook));
};

const listWebhooks: Handler = ({ params, services }) => {
  const list = services.audience.list(params.list_id);
  const hooks = [...list.webhooks.values()].map(webhookView);
  return ok({ webhooks: hooks, list_id: list.id, total_items: hooks.length, _links: [] });
};

const getWebhook: Handler = ({ params, services }) => {
  const list = services.audience.list(params.list_id);
  return ok(webhookView(found(list.webhooks.get(params.webhook_id))));
};

const webhookPatchSchema = listWebhookSchema.partial();

const patchWebhook: Handler = async ({ params, body, services }) => {
  const list = services.audience.list(params.list_id);
  const hook = found(list.webhooks.get(params.webhook_id));
  const input = validateBody(webhookPatchSchema, body, 'webhook');
  if (input.url !== undefined && input.url !== hook.url) {
    await checkUrl(services, input.url);
    hook.url = input.url;
  }
  hook.events = mergeFlags(WEBHOOK_EVENTS, hook.events, input.events);
  hook.sources = mergeFlags(WEBHOOK_SOURCES, hook.sources, input.sources);
  return ok(webhookView(hook));
};

const deleteWebhook: Handler = ({ params, services }) => {
  const list = services.audience.list(params.list_id);
  found(list.webhooks.get(params.webhook_id));
  list.webhooks.delete(params.webhook_id);
  return noContent();
};

export function registerWebhookRoutes(router: Router<Handler>): void {
  router.add('GET', WEBHOOKS, listWebhooks);
  router.add('POST', WEBHOOKS, postWebhook);
  router.add('GET', `${WEBHOOKS}/{webhook_id}`, getWebhook);
  router.add('PATCH', `${WEBHOOKS}/{webhook_id}`, patchWebhook);
  router.add('DELETE', `${WEBHOOKS}/{webhook_id}`, deleteWebhook);
}
