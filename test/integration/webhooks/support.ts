import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createAudienceKnowledge, type AudienceMemberRow } from '../../../db/sync-state';
import { createLogger } from '../../../observability/logger';
import { startWebhookServer, WEBHOOK_PATH, type WebhookServer } from '../../../webhooks/server';
import type { SyncHarness } from '../../support/sync-harness';

/** Shared by the webhook and security tests: a receiver on the harness, form posts and the stored events. */

export interface CapturedLogs {
  logger: Logger;
  text(): string;
}

/** A logger (with the production redaction) whose lines are kept in memory. */
export function capturedLogger(secrets: string[]): CapturedLogs {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', secrets, destination }), text: () => chunks.join('') };
}

export function startReceiver(h: SyncHarness, secret: string, logger?: Logger): Promise<WebhookServer> {
  return startWebhookServer({
    port: 0, host: '127.0.0.1', secret, db: h.t.db, listId: h.config.listId, temporalClient: h.client,
    storeId: h.config.storeId, taskQueue: h.config.taskQueue, logger,
  });
}

let clock = Date.UTC(2026, 4, 1, 12, 0, 0);

/** A distinct Mailchimp-style fired_at ("YYYY-MM-DD HH:MM:SS") for each event a test builds. */
export function nextFiredAt(): string {
  clock += 1000;
  return new Date(clock).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '');
}

/** The form Mailchimp posts: type, fired_at and data[...] fields (nested keys written as `merges][FNAME`). */
export function eventForm(type: string, data: Record<string, string>, firedAt = nextFiredAt()): URLSearchParams {
  const form = new URLSearchParams({ type, fired_at: firedAt });
  for (const [key, value] of Object.entries(data)) form.set(`data[${key}]`, value);
  return form;
}

export async function post(server: WebhookServer, secret: string | null, form: URLSearchParams | string, contentType = 'application/x-www-form-urlencoded'): Promise<{ status: number; body: string }> {
  const path = secret === null ? WEBHOOK_PATH : `${WEBHOOK_PATH}/${encodeURIComponent(secret)}`;
  const res = await fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body: form.toString() });
  return { status: res.status, body: await res.text() };
}

export interface StoredEvent {
  id: number;
  event_key: string;
  event_type: string;
  payload: string;
  processed_at: Date | null;
  outcome: string | null;
}

export function storedEvents(h: SyncHarness): Promise<StoredEvent[]> {
  return h.t.db('mc_webhook_events').orderBy('id') as Promise<StoredEvent[]>;
}

/** What the sync knows of the contact (db/sync-state.ts, the receiver's own reader); undefined: nothing. */
export async function audienceRow(h: SyncHarness, hash: string): Promise<AudienceMemberRow | undefined> {
  return (await createAudienceKnowledge(h.t.db, h.config.listId).member(hash)) ?? undefined;
}

export async function optIn(h: SyncHarness, userId: number): Promise<number> {
  const row = (await h.t.db('users').where({ id: userId }).first()) as { marketing_opt_in: number | boolean | string };
  return Number(row.marketing_opt_in);
}
