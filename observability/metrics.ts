import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RequestEvent } from '../mailchimp';
import { ENTITY_TYPES } from '../mapping/ids';

/**
 * The sync's Prometheus metrics (prom-client), served at GET /metrics on METRICS_PORT together with Node's default
 * metrics. Temporal's own worker metrics are exported by its runtime on METRICS_PORT+1 and, when `temporalUrl` is
 * given, appended to the same /metrics answer.
 */
export interface SyncMetrics {
  readonly registry: Registry;
  readonly entitiesSynced: Counter<'type' | 'outcome'>;
  readonly mailchimpRequests: Counter<'method' | 'route' | 'status'>;
  readonly mailchimpDuration: Histogram<'method' | 'route'>;
  readonly scheduleLag: Gauge;
  readonly lastScan: Gauge<'type'>;
  readonly connectionWait: Histogram;
  readonly entityStates: Gauge<'type' | 'status'>;
  readonly authFailing: Gauge;
  readonly syncPaused: Gauge<'cause'>;
  /** The worker paused sending (why: the key refused, the audience or the store missing), or resumed (null). */
  setSyncPaused(cause: PausedCause | null): void;
  /** For createMailchimpClient({ onRequest }). */
  onMailchimpRequest(event: RequestEvent): void;
  /** Adds n entities of a type with an outcome (synced, unchanged, skipped, failed, deleted, paused). */
  countEntities(type: string, outcome: string, n?: number): void;
  /** Records that a change scan of these entity types succeeded now (the lag gauge then reports the time since). */
  markScan(at?: Date, types?: readonly string[]): void;
  /** Where the failed/pending gauges read their counts at each scrape (the store's mc_sync_state). */
  watchSyncState(counts: () => Promise<ReadonlyArray<{ entity_type: string; status: string; n: number }>>): void;
}

/** Why the worker stopped sending to Mailchimp (activities/auth-breaker.ts). */
export type PausedCause = 'key' | 'audience' | 'store';
const PAUSED_CAUSES: readonly PausedCause[] = ['key', 'audience', 'store'];

/** The sync-state statuses exported per type (what an alert watches). */
const WATCHED_STATUSES = ['failed', 'pending'] as const;

/** Path segments that name a resource collection; any other segment is an id and becomes `:id`. */
const STATIC_SEGMENTS = new Set([
  '3.0', 'lists', 'members', 'webhooks', 'ecommerce', 'stores', 'products', 'variants', 'images', 'orders', 'lines',
  'carts', 'customers', 'promo-rules', 'promo-codes', 'batches', 'batch-webhooks', 'tags', 'merge-fields', 'notes',
  'events', 'activity', 'actions', 'ping', 'interest-categories', 'interests', 'segments', 'signup-forms',
  '_emulator', 'batch-results',
]);

/** `/ecommerce/stores/shop1/products/42/variants/a-b` → `/ecommerce/stores/:id/products/:id/variants/:id` (bounded label values). */
export function routeOf(path: string): string {
  const bare = path.split('?')[0] ?? '';
  const segments = bare.split('/').filter((s) => s !== '');
  if (segments.length === 0) return '/';
  return `/${segments.map((s) => (STATIC_SEGMENTS.has(s) ? s : ':id')).join('/')}`;
}

export function createSyncMetrics(options: { defaultMetrics?: boolean } = {}): SyncMetrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const entitiesSynced = new Counter({
    name: 'mcsync_entities_synced_total',
    help: 'Entities handled by the sync activities, by entity type and outcome.',
    labelNames: ['type', 'outcome'] as const,
    registers: [registry],
  });
  const mailchimpRequests = new Counter({
    name: 'mcsync_mailchimp_requests_total',
    help: 'Requests to the Mailchimp Marketing API, by method, route (ids replaced by :id) and HTTP status (0: no response).',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const mailchimpDuration = new Histogram({
    name: 'mcsync_mailchimp_request_duration_seconds',
    help: 'Duration of Mailchimp requests (including the wait for a connection slot).',
    labelNames: ['method', 'route'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  let lastScanAt: number | null = null;
  const scheduleLag = new Gauge({
    name: 'mcsync_schedule_lag_seconds',
    help: 'Seconds since this worker last ran a change scan (0 before the first).',
    registers: [registry],
    collect() {
      this.set(lastScanAt === null ? 0 : (Date.now() - lastScanAt) / 1000);
    },
  });
  const lastScan = new Gauge({
    name: 'mcsync_last_successful_scan_timestamp_seconds',
    help: 'Unix time of the last change scan of each entity type that this worker completed (take the max across workers).',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  const connectionWait = new Histogram({
    name: 'mcsync_mailchimp_connection_wait_seconds',
    help: 'Time a Mailchimp request waited for one of the MAILCHIMP_MAX_CONNECTIONS slots before it was sent.',
    buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  let stateCounts: (() => Promise<ReadonlyArray<{ entity_type: string; status: string; n: number }>>) | undefined;
  const entityStates = new Gauge({
    name: 'mcsync_entities',
    help: 'Entities of the store by type in the failed and pending states (mc_sync_state), read at each scrape.',
    labelNames: ['type', 'status'] as const,
    registers: [registry],
    async collect() {
      if (!stateCounts) return;
      const rows = await stateCounts().catch(() => null);
      if (!rows) return;
      this.reset();
      for (const type of ENTITY_TYPES) {
        for (const status of WATCHED_STATUSES) {
          this.set({ type, status }, rows.find((r) => r.entity_type === type && r.status === status)?.n ?? 0);
        }
      }
    },
  });
  const authFailing = new Gauge({
    name: 'mcsync_mailchimp_auth_failing',
    help: '1 while Mailchimp refuses the API key (its last answer was 401 or 403), 0 once a request succeeds again.',
    registers: [registry],
  });
  authFailing.set(0);
  const syncPaused = new Gauge({
    name: 'mcsync_sync_paused',
    help: '1 while the worker sends nothing to Mailchimp, per cause: key (refused), audience or store (missing in Mailchimp); 0 otherwise.',
    labelNames: ['cause'],
    registers: [registry],
  });
  for (const cause of PAUSED_CAUSES) syncPaused.set({ cause }, 0);
  return {
    registry,
    entitiesSynced,
    mailchimpRequests,
    mailchimpDuration,
    scheduleLag,
    lastScan,
    connectionWait,
    entityStates,
    authFailing,
    syncPaused,
    setSyncPaused(cause) {
      for (const c of PAUSED_CAUSES) syncPaused.set({ cause: c }, c === cause ? 1 : 0);
    },
    onMailchimpRequest(event) {
      const route = routeOf(event.path);
      mailchimpRequests.inc({ method: event.method, route, status: String(event.status) });
      mailchimpDuration.observe({ method: event.method, route }, event.durationMs / 1000);
      if (event.waitMs !== undefined) connectionWait.observe(event.waitMs / 1000);
      if (event.status === 401 || event.status === 403) authFailing.set(1);
      else if (event.status >= 200 && event.status < 300) authFailing.set(0);
    },
    watchSyncState(counts) {
      stateCounts = counts;
    },
    countEntities(type, outcome, n = 1) {
      if (n > 0) entitiesSynced.inc({ type, outcome }, n);
    },
    markScan(at = new Date(), types = []) {
      lastScanAt = at.getTime();
      for (const type of types) lastScan.set({ type }, at.getTime() / 1000);
    },
  };
}

/** What GET /healthz answers: 200 when ok, else 503; `detail` says why. */
export interface Health {
  ok: boolean;
  detail: string;
}

export interface MetricsServer {
  readonly url: string;
  readonly port: number;
  /** The check behind GET /healthz; until one is set the process is still starting (503). */
  setHealth(check: () => Promise<Health>): void;
  close(): Promise<void>;
}

/** Temporal's exposition, or a comment line when it cannot be read (the rest of /metrics still answers). */
async function scrapeTemporal(url: string): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) return `# temporal metrics unavailable: HTTP ${response.status}\n`;
    return await response.text();
  } catch (err) {
    return `# temporal metrics unavailable: ${(err as Error).message.replace(/\s+/g, ' ')}\n`;
  }
}

const STARTING: Health = { ok: false, detail: 'starting' };

/** Serves GET /metrics (ours, then Temporal's when `temporalUrl` is set) and GET /healthz (see setHealth). */
export async function startMetricsServer(options: { metrics: SyncMetrics; port: number; host?: string; temporalUrl?: string }): Promise<MetricsServer> {
  const { registry } = options.metrics;
  let healthCheck: (() => Promise<Health>) | undefined;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      void (async () => {
        try {
          let body = await registry.metrics();
          if (options.temporalUrl) body += `\n${await scrapeTemporal(options.temporalUrl)}`;
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(body);
        } catch (err) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`metrics failed: ${(err as Error).message}`);
        }
      })();
      return;
    }
    if (req.method === 'GET' && path === '/healthz') {
      void (async () => {
        const health = healthCheck ? await healthCheck().catch((err: unknown): Health => ({ ok: false, detail: (err as Error).message })) : STARTING;
        res.writeHead(health.ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify(health));
      })();
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  const host = options.host ?? '0.0.0.0';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/metrics`,
    port,
    setHealth(check) {
      healthCheck = check;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
