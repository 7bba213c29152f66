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
      ...extra,
    };
  }
}
