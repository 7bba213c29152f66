import { Audience } from './audience';
import { BatchRunner } from './batch-runner';
import { defaultConfig, mergeConfig, type ConfigPatch, type EmulatorConfig } from './config';
import type { ApiReply, ApiRequest, Handler, Services } from './context';
import { ApiError, invalidResource, jsonParseError, methodNotAllowed, notFound } from './problem';
import { Router } from './router';
import { loadSpecValidator, type SpecValidator } from './spec';
import { registerBatchRoutes } from './routes/batches';
import { registerCampaignRoutes } from './routes/campaigns';
import { registerCartRoutes } from './routes/carts';
import { registerCustomerRoutes } from './routes/customers';
import { registerListRoutes } from './routes/lists';
import { registerMemberRoutes } from './routes/members';
import { registerOrderRoutes } from './routes/orders';
import { registerProductRoutes } from './routes/products';
import { registerPromoRoutes } from './routes/promos';
import { registerStoreRoutes } from './routes/stores';
import { registerWebhookRoutes } from './routes/webhooks';
import { EmulatorState } from './state';
import { Stats } from './stats';
import type { Random } from '../util/random';
import { mailchimpTime, randomFor } from './util';
import { WebhookDelivery } from './webhook-delivery';

export interface CoreOptions {
  listId: string;
  doubleOptIn: boolean;
  config: EmulatorConfig;
}

export function buildRouter(): Router<Handler> {
  const router = new Router<Handler>();
  registerListRoutes(router);
  registerMemberRoutes(router);
  registerWebhookRoutes(router);
  registerStoreRoutes(router);
  registerCustomerRoutes(router);
  registerProductRoutes(router);
  registerOrderRoutes(router);
  registerCartRoutes(router);
  registerCampaignRoutes(router);
  registerPromoRoutes(router);
  registerBatchRoutes(router);
  return router;
}

const ORDERS_PATTERN = '/ecommerce/stores/{store_id}/orders';

export interface DispatchResult {
  reply: ApiReply;
  /** The matched route pattern, for stats (`(unmatched)` when none). */
  pattern: string;
}

/** The emulated account: state, config, services and the dispatcher shared by HTTP and batches. */
export class EmulatorCore {
  readonly state = new EmulatorState();
  readonly stats = new Stats();
  readonly router = buildRouter();
  readonly webhooks: WebhookDelivery;
  readonly audience: Audience;
  readonly batches: BatchRunner;
  readonly services: Services;
  random: Random;
  private currentConfig: EmulatorConfig;
  private base = '';
  /** Called after anything that changes the state. */
  onChange: () => void = () => undefined;

  constructor(private readonly options: CoreOptions) {
    this.currentConfig = options.config;
    this.random = randomFor(options.config.seed);
    this.webhooks = new WebhookDelivery(() => this.currentConfig.webhooks);
    this.audience = new Audience(this.state, (event) => this.webhooks.emit(event));
    this.batches = new BatchRunner({
      state: this.state,
      config: () => this.currentConfig,
      random: () => this.random,
      execute: async (request) => (await this.dispatch(request)).reply,
      changed: () => this.onChange(),
      baseUrl: () => this.base,
    });
    this.services = {
      state: this.state,
      audience: this.audience,
      webhooks: this.webhooks,
      batches: this.batches,
      config: () => this.currentConfig,
      baseUrl: () => this.base,
    };
    this.seed();
  }

  config(): EmulatorConfig {
    return this.currentConfig;
  }

  updateConfig(patch: ConfigPatch): EmulatorConfig {
    this.currentConfig = mergeConfig(this.currentConfig, patch);
    if (patch.seed !== undefined) this.random = randomFor(this.currentConfig.seed);
    return this.currentConfig;
  }

  setBaseUrl(url: string): void {
    this.base = url;
  }

  /** Back to the initial audience and nothing else; `config` also restores the start-up config. */
  reset(options: { config?: boolean } = {}): void {
    this.batches.stop();
    this.state.clear();
    if (options.config) this.currentConfig = this.options.config;
    this.random = randomFor(this.currentConfig.seed);
    this.seed();
    this.batches.resume();
    this.onChange();
  }

  private seed(): void {
    this.state.addList(this.options.listId, { doubleOptIn: this.options.doubleOptIn, now: mailchimpTime() });
  }

  /** Routes one call to its handler; every failure becomes a problem document. */
  async dispatch(request: ApiRequest): Promise<DispatchResult> {
    const result = await this.route(request);
    this.stats.logRequest(request.method, request.path, result.reply.status);
    return result;
  }

  private async route(request: ApiRequest): Promise<DispatchResult> {
    const match = this.router.match(request.method, request.path);
    if (match.kind === 'not-found') return { reply: problemReply(notFound()), pattern: '(unmatched)' };
    if (match.kind === 'method-not-allowed') {
      const reply = problemReply(methodNotAllowed(request.method));
      reply.headers = { ...reply.headers, allow: match.allowed.join(', ') };
      return { reply, pattern: match.pattern };
    }
    try {
      let body: unknown;
      if (request.rawBody !== undefined && request.rawBody.trim() !== '') {
        try {
          body = JSON.parse(request.rawBody);
        } catch {
          throw jsonParseError();
        }
      }
      if (body !== undefined && request.method !== 'GET' && request.method !== 'DELETE') {
        const problems = specValidator().problems(request.method, match.pattern, body);
        if (problems && problems.length > 0) throw invalidResource(problems);
      }
      const reply = await match.handler({ params: match.params, query: request.query, body, services: this.services });
      if (request.method !== 'GET' && reply.status < 400) this.onChange();
      if (request.method === 'POST' && match.pattern === ORDERS_PATTERN && reply.status < 300) {
        this.stats.orderCreated(match.params.store_id, String((body as { id?: unknown }).id));
      }
      return { reply, pattern: match.pattern };
    } catch (error) {
      return { reply: problemReply(toApiError(error)), pattern: match.pattern };
    }
  }
}

let loadedSpec: SpecValidator | undefined;

/** Mailchimp's spec, parsed once per process (every emulator instance shares it). */
function specValidator(): SpecValidator {
  loadedSpec ??= loadSpecValidator();
  return loadedSpec;
}

/** Parses the spec and compiles its validators now, so the first calls are not slower than Mailchimp's. */
export function warmSpecValidator(): void {
  specValidator().warm();
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(500, 'Internal Server Error', `The emulator failed: ${(error as Error)?.message ?? String(error)}`);
}

export function problemReply(error: ApiError): ApiReply {
  return { status: error.status, body: error.toBody(), headers: { ...error.headers } };
}

export { defaultConfig };
