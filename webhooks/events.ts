import { createHash } from 'node:crypto';
import type { FormObject, FormValue } from './form';

/** An audience webhook delivery, as parsed from the form. */
export interface AudienceWebhookEvent {
  type: string;
  /** "YYYY-MM-DD HH:MM:SS" (Mailchimp's format, UTC). */
  firedAt: string;
  data: FormObject;
  /** The whole parsed form (stored as the event's payload). */
  form: FormObject;
}

export const WEBHOOK_EVENT_SOURCE = 'mailchimp';

export function str(value: FormValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function obj(value: FormValue | undefined): FormObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

/** Null when the form is not an audience event (no type). */
export function toEvent(form: FormObject): AudienceWebhookEvent | null {
  const type = str(form.type)?.trim();
  if (!type) return null;
  return { type, firedAt: str(form.fired_at)?.trim() ?? '', data: obj(form.data), form };
}

function canonical(value: FormValue): unknown {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(canonical);
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical(value[k])]));
}

/**
 * The event's identity: SHA-256 of type, fired_at and data (keys sorted). A redelivery (Mailchimp retries
 * for up to 75 minutes) has the same key, so the UNIQUE(source, event_key) index recognises it.
 */
export function eventKey(event: Pick<AudienceWebhookEvent, 'type' | 'firedAt' | 'data'>): string {
  return createHash('sha256').update(JSON.stringify([event.type, event.firedAt, canonical(event.data)])).digest('hex');
}
