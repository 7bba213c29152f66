import { randomBytes } from 'node:crypto';
import type { EmulatorConfig } from './config';
import type { ApiReply, ApiRequest } from './context';
import { tooManyRequests } from './problem';
import type { BatchOperationRecord, BatchRecord, EmulatorState, Json } from './state';
import type { Random } from '../util/random';
import { mailchimpTime, type Query } from './util';

export interface BatchRunnerDeps {
  state: EmulatorState;
  config(): EmulatorConfig;
  random(): Random;
  /** Runs one operation through the same handlers as HTTP requests. */
  execute(request: ApiRequest): Promise<ApiReply>;
  /** Called after every change to a batch. */
  changed(): void;
  baseUrl(): string;
}

export function batchView(batch: BatchRecord): Json {
  return {
    id: batch.id,
    status: batch.status,
    total_operations: batch.total_operations,
    finished_operations: batch.finished_operations,
    errored_operations: batch.errored_operations,
    submitted_at: batch.submitted_at,
    completed_at: batch.completed_at,
    response_body_url: batch.response_body_url,
    _links: [],
  };
}

/**
 * Executes batches at the account's processing rate (`opsPerSecond`), interleaving all unfinished batches and
 * each batch's operations shuffled, then waits `finalizeDelayMs` before calling a batch finished.
 */
export class BatchRunner {
  operationsExecuted = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly finalizers = new Map<string, NodeJS.Timeout>();
  private running = false;
  private stopped = false;
  private tokens = 0;
  private lastTick = 0;
  private cursor = 0;

  constructor(private readonly deps: BatchRunnerDeps) {}

  submit(operations: BatchOperationRecord[]): BatchRecord {
    const { state, config, random } = this.deps;
    const pending = this.pendingCount();
    if (pending >= config().batches.maxPending) {
      throw tooManyRequests(`You have more than ${config().batches.maxPending} pending batches. Please wait for some to finish.`);
    }
    const ordered = [...operations];
    if (config().batches.shuffle) random().shuffle(ordered);
    const preprocessMs = config().batches.preprocessMs;
    const batch: BatchRecord = {
      id: randomBytes(5).toString('hex'),
      status: preprocessMs > 0 ? 'preprocessing' : 'pending',
      total_operations: ordered.length,
      finished_operations: 0,
      errored_operations: 0,
      submitted_at: mailchimpTime(),
      completed_at: '',
      response_body_url: '',
      operations: ordered,
      next: 0,
      results: [],
    };
    if (preprocessMs > 0) batch.preprocessed_at = new Date(Date.now() + preprocessMs).toISOString();
    state.batches.set(batch.id, batch);
    this.kick();
    return batch;
  }

  pendingCount(): number {
    let pending = 0;
    for (const batch of this.deps.state.batches.values()) if (batch.status !== 'finished') pending += 1;
    return pending;
  }

  remove(id: string): void {
    this.deps.state.batches.delete(id);
    const finalizer = this.finalizers.get(id);
    if (finalizer) clearTimeout(finalizer);
    this.finalizers.delete(id);
  }

  /** Picks up unfinished batches (after loading a state file or a reset). */
  resume(): void {
    this.stopped = false;
    for (const batch of this.deps.state.batches.values()) {
      if (batch.status === 'finalizing') this.finish(batch);
    }
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const t of this.finalizers.values()) clearTimeout(t);
    this.finalizers.clear();
  }

  /** Batches that still have operations to run. */
  private active(): BatchRecord[] {
    const out: BatchRecord[] = [];
    const now = Date.now();
    for (const batch of this.deps.state.batches.values()) {
      if (batch.status === 'preprocessing' && batch.preprocessed_at && Date.parse(batch.preprocessed_at) <= now) batch.status = 'pending';
      if ((batch.status === 'pending' || batch.status === 'started') && batch.next < batch.total_operations) out.push(batch);
    }
    return out;
  }

  /** Batches still being split before they start. */
  private preprocessing(): boolean {
    for (const batch of this.deps.state.batches.values()) if (batch.status === 'preprocessing') return true;
    return false;
  }

  private kick(): void {
    if (this.stopped || this.timer || this.running) return;
    this.lastTick = Date.now();
    this.schedule();
  }

  private schedule(): void {
    const rate = this.deps.config().batches.opsPerSecond;
    const interval = Math.min(100, Math.max(5, 1000 / rate));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.tick();
    }, interval);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    this.running = true;
    try {
      const rate = this.deps.config().batches.opsPerSecond;
      const now = Date.now();
      // at most 500 operations per tick, so HTTP requests keep being served between ticks
      this.tokens = Math.min(this.tokens + ((now - this.lastTick) * rate) / 1000, Math.max(1, Math.min(rate / 2, 500)));
      this.lastTick = now;
      let active = this.active();
      while (this.tokens >= 1 && active.length > 0 && !this.stopped) {
        this.cursor = (this.cursor + 1) % active.length;
        const batch = active[this.cursor];
        await this.runOne(batch);
        this.tokens -= 1;
        if (batch.next >= batch.total_operations || !this.deps.state.batches.has(batch.id)) active = this.active();
      }
      this.deps.changed();
    } finally {
      this.running = false;
    }
    if (!this.stopped && (this.active().length > 0 || this.preprocessing())) this.schedule();
    else this.tokens = 0;
  }

  private async runOne(batch: BatchRecord): Promise<void> {
    const operation = batch.operations[batch.next];
    batch.next += 1;
    if (batch.status === 'pending') batch.status = 'started';
    const [path, search] = operation.path.split('?', 2);
    const query: Query = Object.fromEntries(new URLSearchParams(search ?? ''));
    for (const [key, value] of Object.entries(operation.params ?? {})) query[key] = String(value);
    const reply = await this.deps.execute({ method: operation.method, path, query, rawBody: operation.body });
    this.operationsExecuted += 1;
    if (!this.deps.state.batches.has(batch.id)) return;
    batch.results.push({
      status_code: reply.status,
      operation_id: operation.operation_id ?? null,
      response: reply.body === undefined ? '' : JSON.stringify(reply.body),
    });
    batch.finished_operations += 1;
    if (reply.status >= 400) batch.errored_operations += 1;
    if (batch.finished_operations === batch.total_operations) this.finalize(batch);
  }

  private finalize(batch: BatchRecord): void {
    batch.status = 'finalizing';
    batch.processed_at = mailchimpTime();
    const delay = this.deps.config().batches.finalizeDelayMs;
    if (delay <= 0) {
      this.finish(batch);
      return;
    }
    const timer = setTimeout(() => {
      this.finalizers.delete(batch.id);
      this.finish(batch);
      this.deps.changed();
    }, delay);
    this.finalizers.set(batch.id, timer);
  }

  private finish(batch: BatchRecord): void {
    batch.status = 'finished';
    batch.completed_at = mailchimpTime();
    batch.response_body_url = `${this.deps.baseUrl()}/_emulator/batch-results/${batch.id}.tar.gz`;
  }
}
