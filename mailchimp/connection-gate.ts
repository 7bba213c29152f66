import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';

/**
 * A send order: the requests made inside `inSendOrder(order, ...)` wait for a connection behind every waiter of a lower
 * order (and behind every request made outside any order), in arrival order among equals. The direct backfill gives
 * each page the next order when it starts (activities/batch/page.ts), so the oldest page's requests go first: pages
 * finish one after another instead of all together, and a page reads and records while the others send, instead of
 * every page of the window reading (or recording) at once with the connections idle.
 */
const sendOrders = new AsyncLocalStorage<number>();
let lastSendOrder = 0;

/** The next send order of this process (increasing: a later page waits behind an earlier one). */
export function nextSendOrder(): number {
  lastSendOrder += 1;
  return lastSendOrder;
}

/** Runs `run` with its requests in send order `order` (see sendOrders). */
export function inSendOrder<T>(order: number, run: () => Promise<T>): Promise<T> {
  return sendOrders.run(order, run);
}

/**
 * What the gate's connections did over time, summed since the gate was made (take differences between two readings):
 * how many requests were in flight on average, and how the time splits between requests waiting for a connection
 * (every connection busy: the limit bounds) and connections free with nothing waiting (the requests were not ready).
 */
export interface GateUsage {
  /** Milliseconds since the gate was made. */
  ms: number;
  /** Requests in flight integrated over time (request-milliseconds): ÷ ms, the mean in flight. */
  inFlightMs: number;
  /** The limit integrated over time (it moves with the connection leases): ÷ ms, the mean limit. */
  limitMs: number;
  /** Time with at least one request waiting for a connection. */
  waitingMs: number;
  /** Time with fewer requests in flight than the limit and nothing waiting. */
  freeMs: number;
}

interface Waiter {
  order: number;
  resolve: () => void;
}

/**
 * A counting semaphore: at most `limit` holders at once, the rest wait in send order, then arrival order. The limit
 * is at most the configured cap; a lease keeper (db/connection-leases.ts) moves it between 0 and the cap as this
 * process's share of the key's connections changes.
 */
export class ConnectionGate {
  private active = 0;
  private readonly waiting: Waiter[] = [];
  private cap: number;
  private peak = 0;
  private readonly usageSums: GateUsage = { ms: 0, inFlightMs: 0, limitMs: 0, waitingMs: 0, freeMs: 0 };
  private usageAt: number;

  constructor(
    private max: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!Number.isInteger(max) || max < 1) throw new Error(`A connection limit must be a whole number of at least 1, got ${max}`);
    this.cap = max;
    this.usageAt = now();
  }

  /** The time-weighted accounting up to now (see GateUsage). */
  usage(): GateUsage {
    this.account();
    return { ...this.usageSums };
  }

  /** Adds the time since the last change at the state the gate had through it; called before every change. */
  private account(): void {
    const at = this.now();
    const dt = at - this.usageAt;
    this.usageAt = at;
    if (dt <= 0) return;
    const u = this.usageSums;
    u.ms += dt;
    u.inFlightMs += this.active * dt;
    u.limitMs += this.max * dt;
    if (this.waiting.length > 0) u.waitingMs += dt;
    else if (this.active < this.max) u.freeMs += dt;
  }

  get limit(): number {
    return this.max;
  }

  /** The most this gate may ever let through (the configured limit). */
  get capacity(): number {
    return this.cap;
  }

  get inFlight(): number {
    return this.active;
  }

  get waiters(): number {
    return this.waiting.length;
  }

  /** The most requests in flight or waiting at once since the last call (what this process would use). */
  takePeakDemand(): number {
    const peak = Math.max(this.peak, this.active + this.waiting.length);
    this.peak = this.active + this.waiting.length;
    return peak;
  }

  /** Lowers the cap (never raises it: every client sharing the gate keeps its promise). */
  lowerTo(limit: number): void {
    this.account();
    if (limit >= 1 && limit < this.cap) this.cap = limit;
    if (this.max > this.cap) this.max = this.cap;
  }

  /**
   * Sets the limit (0 up to the cap). Lowering lets the requests in flight finish, and admits nobody new until fewer
   * than `limit` are in flight; raising admits waiters at once.
   */
  setLimit(limit: number): void {
    this.account();
    this.max = Math.max(0, Math.min(Math.floor(limit), this.cap));
    while (this.active < this.max && this.waiting.length > 0) {
      this.active += 1;
      this.waiting.shift()?.resolve();
    }
  }

  /** Resolves with a release function once a slot is free. Calling release more than once does nothing. */
  async acquire(): Promise<() => void> {
    this.peak = Math.max(this.peak, this.active + this.waiting.length + 1);
    this.account();
    if (this.active < this.max) this.active += 1;
    // A releasing holder hands its slot straight to the first waiter, so no newcomer can slip in between.
    else await new Promise<void>((resolve) => this.wait({ order: sendOrders.getStore() ?? 0, resolve }));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.account();
      const next = this.active <= this.max ? this.waiting.shift() : undefined;
      if (next) next.resolve();
      else this.active -= 1;
    };
  }

  /** Queues a waiter behind every waiter of its order or lower (requests outside any send order are order 0). */
  private wait(waiter: Waiter): void {
    let at = this.waiting.length;
    while (at > 0 && this.waiting[at - 1].order > waiter.order) at -= 1;
    this.waiting.splice(at, 0, waiter);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await task();
    } finally {
      release();
    }
  }
}

/** One gate per API key in this process, keyed by a hash so the key itself is not kept as a map key. */
const gates = new Map<string, ConnectionGate>();

/**
 * The gate shared by every client of `apiKey`. When clients ask for different limits, the smallest wins,
 * so no client ever sees more requests in flight for its key than it was configured for.
 */
export function connectionGateFor(apiKey: string, limit: number): ConnectionGate {
  const id = createHash('sha256').update(apiKey).digest('hex');
  const existing = gates.get(id);
  if (existing) {
    existing.lowerTo(limit);
    return existing;
  }
  const gate = new ConnectionGate(limit);
  gates.set(id, gate);
  return gate;
}
