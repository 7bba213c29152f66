import type { Audience } from './audience';
import type { EmulatorConfig } from './config';
import type { EmulatorState } from './state';
import type { Query } from './util';
import type { WebhookDelivery } from './webhook-delivery';
import type { BatchRunner } from './batch-runner';

/** One Mailchimp API call, from HTTP or from a batch operation. */
export interface ApiRequest {
  method: string;
  /** Path below /3.0, e.g. `/lists/abc/members`. */
  path: string;
  query: Query;
  rawBody: string | undefined;
}

export interface ApiReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What route handlers may use. */
export interface Services {
  readonly state: EmulatorState;
  readonly audience: Audience;
  readonly webhooks: WebhookDelivery;
  readonly batches: BatchRunner;
  config(): EmulatorConfig;
  /** Base URL of this server (for response_body_url). */
  baseUrl(): string;
}

export interface HandlerContext {
  params: Record<string, string>;
  query: Query;
  body: unknown;
  services: Services;
}

export type Handler = (ctx: HandlerContext) => ApiReply | Promise<ApiReply>;

export const ok = (body: unknown): ApiReply => ({ status: 200, body });
export const noContent = (): ApiReply => ({ status: 204 });
