/** Request counters for `GET /_emulator/stats`. */
export interface StatsSnapshot {
  since: string;
  requests: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  maxConcurrency: number;
  inFlight: number;
  batchOperations: number;
  webhookDeliveries: { delivered: number; failed: number };
  /** Orders created (a POST that stored a new order, directly or in a batch), per `store_id/order_id`. */
  orderCreates: Record<string, number>;
  /**
   * How long the emulator took over the calls it answered (faults and rejected calls not counted): the latency slept,
   * and its own time after that (dispatch: validation, storage, the reply's serialisation), in all and per route.
   */
  timing: { all: CallTiming; byRoute: Record<string, CallTiming> };
}

/** Sums (so a reader can take differences between two snapshots) and the p95 of the emulator's own time per call. */
export interface CallTiming {
  count: number;
  latencyMsSum: number;
  serverMsSum: number;
  /** The 95th percentile of the server time, ms (to 0.1 ms; 1,000 ms when above). */
  serverP95Ms: number;
}

/** Server times per call in 0.1 ms buckets up to 1 s, for the p95 without keeping every sample. */
const BUCKETS = 10_000;

class TimingHistogram {
  count = 0;
  latencyMsSum = 0;
  serverMsSum = 0;
  private readonly buckets = new Uint32Array(BUCKETS + 1);

  add(latencyMs: number, serverMs: number): void {
    this.count += 1;
    this.latencyMsSum += latencyMs;
    this.serverMsSum += serverMs;
    this.buckets[Math.min(BUCKETS, Math.max(0, Math.floor(serverMs * 10)))] += 1;
  }

  toJSON(): CallTiming {
    let p95 = 0;
    const rank = Math.ceil(this.count * 0.95);
    for (let i = 0, seen = 0; i <= BUCKETS && this.count > 0; i++) {
      seen += this.buckets[i];
      if (seen >= rank) {
        p95 = (i + 1) / 10;
        break;
      }
    }
    return { count: this.count, latencyMsSum: this.latencyMsSum, serverMsSum: this.serverMsSum, serverP95Ms: Math.min(1_000, p95) };
  }
}

/** One call the emulator answered (HTTP or a batch operation), in the order answered: GET /_emulator/requests. */
export interface LoggedRequest {
  method: string;
  /** The path below /3.0, without the query. */
  path: string;
  status: number;
  at: string;
}

/** The request log keeps the newest calls only. */
export const REQUEST_LOG_LIMIT = 20_000;

export class Stats {
  private log: LoggedRequest[] = [];
  private since = new Date().toISOString();
  private requests = 0;
  private byRoute = new Map<string, number>();
  private byStatus = new Map<string, number>();
  private maxConcurrency = 0;
  private orderCreates = new Map<string, number>();
  private timingAll = new TimingHistogram();
  private timingByRoute = new Map<string, TimingHistogram>();
  /** In-flight /3.0 requests per API key. */
  private readonly inFlightByKey = new Map<string, number>();

  inFlight(key: string): number {
    return this.inFlightByKey.get(key) ?? 0;
  }

  enter(key: string): void {
    const now = this.inFlight(key) + 1;
    this.inFlightByKey.set(key, now);
    if (now > this.maxConcurrency) this.maxConcurrency = now;
  }

  leave(key: string): void {
    const now = this.inFlight(key) - 1;
    if (now <= 0) this.inFlightByKey.delete(key);
    else this.inFlightByKey.set(key, now);
  }

  record(method: string, pattern: string, status: number | 'reset'): void {
    this.requests += 1;
    const route = `${method} ${pattern}`;
    this.byRoute.set(route, (this.byRoute.get(route) ?? 0) + 1);
    const code = String(status);
    this.byStatus.set(code, (this.byStatus.get(code) ?? 0) + 1);
  }

  /** A call answered after `latencyMs` of latency and `serverMs` of the emulator's own time. */
  time(route: string, latencyMs: number, serverMs: number): void {
    this.timingAll.add(latencyMs, serverMs);
    let histogram = this.timingByRoute.get(route);
    if (!histogram) {
      histogram = new TimingHistogram();
      this.timingByRoute.set(route, histogram);
    }
    histogram.add(latencyMs, serverMs);
  }

  /** Every call the store's routes answered, so tests can assert on what was sent and in which order. */
  logRequest(method: string, path: string, status: number): void {
    this.log.push({ method, path, status, at: new Date().toISOString() });
    if (this.log.length > REQUEST_LOG_LIMIT) this.log.splice(0, this.log.length - REQUEST_LOG_LIMIT);
  }

  /** The logged calls, oldest first; `pathPrefix` keeps those under a path. */
  requestLog(pathPrefix = ''): LoggedRequest[] {
    return this.log.filter((r) => r.path.startsWith(pathPrefix));
  }

  /** An order was created: more than one per id means Mailchimp got the same order twice. */
  orderCreated(storeId: string, orderId: string): void {
    const key = `${storeId}/${orderId}`;
    this.orderCreates.set(key, (this.orderCreates.get(key) ?? 0) + 1);
  }

  reset(): void {
    this.log = [];
    this.orderCreates.clear();
    this.since = new Date().toISOString();
    this.requests = 0;
    this.byRoute.clear();
    this.byStatus.clear();
    this.maxConcurrency = 0;
    this.timingAll = new TimingHistogram();
    this.timingByRoute.clear();
  }

  snapshot(extra: { batchOperations: number; webhookDeliveries: { delivered: number; failed: number } }): StatsSnapshot {
    let inFlight = 0;
    for (const n of this.inFlightByKey.values()) inFlight += n;
    return {
      since: this.since,
      requests: this.requests,
      byRoute: Object.fromEntries(this.byRoute),
      byStatus: Object.fromEntries(this.byStatus),
      maxConcurrency: this.maxConcurrency,
      inFlight,
      orderCreates: Object.fromEntries(this.orderCreates),
      timing: { all: this.timingAll.toJSON(), byRoute: Object.fromEntries([...this.timingByRoute].map(([route, h]) => [route, h.toJSON()])) },
      ...extra,
    };
  }
}
