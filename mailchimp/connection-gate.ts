import { createHash } from 'node:crypto';

/** A counting semaphore: at most `limit` holders at once, the rest wait in arrival order. */
export class ConnectionGate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private max: number) {
    if (!Number.isInteger(max) || max < 1) throw new Error(`A connection limit must be a whole number of at least 1, got ${max}`);
  }

  get limit(): number {
    return this.max;
  }

  get inFlight(): number {
    return this.active;
  }

  /** Lowers the limit (never raises it: every client sharing the gate keeps its promise). */
  lowerTo(limit: number): void {
    if (limit >= 1 && limit < this.max) this.max = limit;
  }

  /** Resolves with a release function once a slot is free. Calling release more than once does nothing. */
  async acquire(): Promise<() => void> {
    if (this.active < this.max) this.active += 1;
    // A releasing holder hands its slot straight to the first waiter, so no newcomer can slip in between.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.active <= this.max ? this.waiting.shift() : undefined;
      if (next) next();
      else this.active -= 1;
    };
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
