/**
 * `npm run bench -- --size small|medium|large [--mode direct|batch|auto] [--latency-ms 100] [--jitter-ms 20] [--connections 10]
 *   [--batch-ops-per-second 1000] [--finalize-delay-ms 0] [--workers 1] [--updates 40] [--interval 5s] [--out docs/benchmarks.md]`
 *
 * Seeds a fresh database, runs the first full sync against the emulator set up like Mailchimp (10 connections per key,
 * latency L with jitter) with the worker in its own process, then measures incremental latency on the immediate
 * path (notifyEntityChanged) and the polling path (the change-scan schedules). Writes bench/results/*.{json,md}.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { ensureSchedules, SCAN_SCOPES, scheduleId } from '../client/schedules';
import { toMs } from '../config/duration';
import { connectTemporalClient } from '../config/temporal';
import { generateShop } from '../db/seed/generate';
import { writeShop } from '../db/seed/write';
import { startEmulator } from '../emulator';
import { fullResyncWorkflowId, progressQuery, type ResyncProgress } from '../workflows/contract';
import { notifyEntityChanged, startFullResync } from '../workflows/start';
import { ensureServices } from '../services';
import { DATA_DIR, PROJECT_ROOT } from '../services/paths';
import { workerNodeEnv, workerNodeFlags } from '../workers/worker-node-flags';
import {
  createFreshDatabase, machine, memoryOf, percentile, recordedPid, sleep, spawnWorker, suffix, writeSection, type WorkerStats,
} from './lib';
import { temporalCounts, type TemporalCounts } from './temporal-stats';

export const SIZES = {
  small: { products: 500, customers: 2_000, orders: 5_000, promotions: 50 },
  // A quarter of large, when a large run does not fit the time at hand.
  medium: { products: 5_000, customers: 12_500, orders: 25_000, promotions: 250 },
  // 1–3 codes per promotion: about 2,000 promo codes.
  large: { products: 20_000, customers: 50_000, orders: 100_000, promotions: 1_000 },
} as const;
type Size = keyof typeof SIZES;

const API_KEY = 'bench-emulator-key-us1';
const LIST_ID = 'a1b2c3d4e5';
/** Mailchimp's per-key limit: the default of --connections. */
const DEFAULT_CONNECTIONS = 10;
/** What --connections 0 (no cap) gives the worker's gate: far more than a page ever has queued. */
const UNCAPPED_CONNECTIONS = 512;

/** What the pages did, summed over the types. */
interface Outcomes {
  synced: number;
  unchanged: number;
  failed: number;
  skipped: number;
}

function outcomesOf(counts: ResyncProgress['counts']): Outcomes {
  const sum: Outcomes = { synced: 0, unchanged: 0, failed: 0, skipped: 0 };
  for (const c of Object.values(counts)) {
    sum.synced += c.synced;
    sum.unchanged += c.unchanged;
    sum.failed += c.failed;
    sum.skipped += c.skipped;
  }
  return sum;
}

interface PhaseResult {
  type: string;
  seconds: number;
  synced: number;
  unchanged: number;
  failed: number;
  skipped: number;
  entitiesPerSecond: number;
  requests: number;
  requestsPerSecond: number;
  /** requests/s ÷ (10 / L). */
  ofBound: number;
  /** entities/s ÷ the mode's bound (10 / L; B + 10 / L with batches); null when unbounded (L = 0, no cap). */
  entitiesOfBound: number | null;
  requestsPerEntity: number;
  /** Where the connection time went in this phase (null: a worker did not answer, or the emulator had no timing). */
  connections?: PhaseConnections | null;
}

/** A phase's connection accounting: the workers' gates, their event loops, and the emulator's own time per call. */
interface PhaseConnections {
  /** Requests in flight on average (all workers' gates summed) and the gates' mean limit. */
  meanInFlight: number;
  meanLimit: number;
  /** Share of the phase with a request waiting for a connection, and with a connection free and nothing waiting (the worst worker's, with several). */
  waitingShare: number;
  freeShare: number;
  /** The event loop's delay in the phase: p99 and max (the worst worker's), and the time held over 50 ms at once (summed). */
  loopP99Ms: number;
  loopMaxMs: number;
  loopHeldOver50Ms: number;
  loopHeldOver50: number;
  /** The workers' CPU time in the phase ÷ its wall time (1 = one core busy all the time). */
  workerCpu: number;
  /** The emulator's calls in the phase: mean latency slept, mean own time after it (dispatch, reply). */
  emulatorLatencyMs: number;
  emulatorServerMs: number;
}

export interface BenchResult {
  size: Size;
  /** How the full sync sent rows (BACKFILL_MODE). */
  mode: string;
  /** Per-key connection cap (null: none), batch rate B and finalisation delay of the emulator, worker processes. */
  connections: number | null;
  batchOpsPerSecond: number;
  finalizeDelayMs: number;
  workers: number;
  /** Entities/s the mode can reach at most: C / L direct, B + C / L with batches (null: unbounded). */
  boundEntitiesPerSecond: number | null;
  /** `uptime` load averages (1, 5, 15 min) when the full sync started and when the run ended. */
  load: { start: number[]; end: number[] };
  command: string;
  date: string;
  machine: ReturnType<typeof machine>;
  latencyMs: number;
  jitterMs: number;
  boundRequestsPerSecond: number;
  shop: Record<string, number>;
  seedSeconds: number;
  fullSync: {
    seconds: number;
    entities: number;
    entitiesPerSecond: number;
    entitiesOfBound: number | null;
    requests: number;
    requestsPerSecond: number;
    ofBound: number;
    requestsPerEntity: number;
    phases: PhaseResult[];
    pages: number;
    /** Batches submitted (POST /batches) and the operations the emulator ran in them. */
    batches: number;
    batchOperations: number;
    /** Direct writes: POST/PUT/PATCH/DELETE requests other than POST /batches. */
    directWrites: number;
    /** The direct writes by route (method and the emulator's route pattern), most frequent first. */
    directWritesByRoute?: Record<string, number>;
    /**
     * The emulator's time per call over the full sync: latency slept plus its own time after it (validation, storage,
     * the reply), so the real time a call took is L + server; and the bound C / (L + server) beside C / L.
     */
    emulatorTiming?: {
      meanLatencyMs: number; meanServerMs: number; serverP95Ms: number; measuredBoundRequestsPerSecond: number;
      byRoute: Array<{ route: string; count: number; meanServerMs: number; serverP95Ms: number }>;
    };
  };
  temporal: TemporalCounts;
  memory: {
    workerPeakMb: number | null; temporalPeakMb: number | null; temporalSampledPeakMb: number | null;
    /** The largest worker's process.memoryUsage() peaks (V8 heap, external), sampled by the worker itself, MiB. */
    workerHeap?: { heapTotalMb: number; heapUsedMb: number; externalMb: number } | null;
    /** The worker's V8 flags (workers/node-flags, plus BENCH_WORKER_NODE_FLAGS). */
    workerNodeFlags?: string[];
    /** The worker's environment of workers/node-env, as the worker got it (a value of ours wins: bench/lib.ts). */
    workerNodeEnv?: Record<string, string>;
  };
  split: {
    wallSeconds: number;
    activitySeconds: number;
    temporalSeconds: number;
    mailchimpRequestSeconds: number;
    mailchimpConnectionUtilisation: number;
    dbQueries: number;
    dbSeconds: number;
    workerCpuSeconds: number;
    /** The statements the full sync ran most often (knex queries; the entity-lock statements are not counted). */
    topQueries?: Array<{ sql: string; count: number }>;
  };
  incremental: {
    interval: string;
    immediate: { n: number; p50: number; p95: number; p99: number; max: number };
    polling: { n: number; p50: number; p95: number; p99: number; max: number };
  };
}

function parseArgs(argv: string[]) {
  const program = new Command()
    .name('bench')
    .option('--size <size>', 'small, medium or large', 'small')
    .option('--mode <mode>', 'how the full sync sends rows: direct, batch or auto (BACKFILL_MODE)', 'direct')
    .option('--latency-ms <ms>', 'emulated Mailchimp latency per call', '100')
    .option('--jitter-ms <ms>', 'uniform extra latency 0..jitter', '20')
    .option('--connections <n>', 'connections per API key (the emulator\'s cap and MAILCHIMP_MAX_CONNECTIONS); 0 = no cap', String(DEFAULT_CONNECTIONS))
    .option('--batch-ops-per-second <n>', 'operations per second the emulator runs in batches (B)', '1000')
    .option('--finalize-delay-ms <ms>', 'time from a batch\'s last operation to `finished`', '0')
    .option('--workers <n>', 'worker processes', '1')
    .option('--updates <n>', 'rows changed in the incremental phase (half immediate, half polling)', '40')
    .option('--interval <duration>', 'SYNC_INTERVAL of the change-scan schedules', '5s')
    .option('--page-size <n>', 'rows per full-resync page (default: the workflow\'s)')
    .option('--window <n>', 'pages of a type in flight at once (default: the workflow\'s)')
    .option('--out <file>', 'also write the markdown report into this file (e.g. docs/benchmarks.md)')
    .option('--keep-db', 'keep the benchmark database');
  program.parse(argv, { from: 'user' });
  const o = program.opts<{
    size: string; mode: string; latencyMs: string; jitterMs: string; connections: string; batchOpsPerSecond: string; finalizeDelayMs: string; workers: string;
    updates: string; interval: string; pageSize?: string; window?: string; out?: string; keepDb?: boolean;
  }>();
  if (!(o.size in SIZES)) throw new Error(`--size must be small, medium or large, got ${o.size}`);
  if (!['direct', 'batch', 'auto'].includes(o.mode)) throw new Error(`--mode must be direct, batch or auto, got ${o.mode}`);
  const whole = (name: string, value: string, min: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number of at least ${min}, got ${value}`);
    return n;
  };
  const connections = whole('connections', o.connections, 0);
  return {
    size: o.size as Size, mode: o.mode, latencyMs: Number(o.latencyMs), jitterMs: Number(o.jitterMs),
    connections: connections === 0 ? null : connections, batchOpsPerSecond: Number(o.batchOpsPerSecond), finalizeDelayMs: whole('finalize-delay-ms', o.finalizeDelayMs, 0),
    workers: whole('workers', o.workers, 1), updates: Number(o.updates),
    interval: o.interval, pageSize: o.pageSize ? Number(o.pageSize) : undefined, window: o.window ? whole('window', o.window, 1) : undefined, out: o.out, keepDb: Boolean(o.keepDb),
  };
}

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
  const meanLatencyS = (args.latencyMs + args.jitterMs / 2) / 1000;
  const connections = args.connections ?? UNCAPPED_CONNECTIONS;
  // Requests/s the connections allow (Infinity at L = 0), and entities/s the mode allows: a batch runs at B on top.
  const bound = connections / meanLatencyS;
  const entityBound = args.mode === 'direct' ? bound : args.batchOpsPerSecond + bound;
  const ofEntityBound = (perSecond: number): number | null => (Number.isFinite(entityBound) ? perSecond / entityBound : null);
  await ensureServices();

  const id = suffix();
  const storeId = `bench_${id}`;
  const taskQueue = `bench-${id}`;
  log(`seeding a ${args.size} shop`);
  const seedStart = Date.now();
  const fresh = await createFreshDatabase(`bench_${args.size}`);
  const data = generateShop({ seed: 42, ...SIZES[args.size] });
  const shop = await writeShop(fresh.db, data);
  const seedSeconds = (Date.now() - seedStart) / 1000;
  log(`seeded in ${seedSeconds.toFixed(1)} s: ${JSON.stringify(shop)}`);

  const emulator = await startEmulator({
    port: 0, apiKey: API_KEY, listId: LIST_ID, stateFile: '', latencyMs: args.latencyMs, jitterMs: args.jitterMs,
    maxConcurrent: args.connections ?? 1_000_000,
    config: { batches: { opsPerSecond: args.batchOpsPerSecond, finalizeDelayMs: args.finalizeDelayMs } },
    // Mailchimp's first calls are no slower than the others: the store's setup is not timed with the emulator's start-up.
    warm: true,
  });
  const statsOf = async () => {
    const res = await fetch(`${emulator.url}/_emulator/stats`);
    return (await res.json()) as {
      requests: number; byRoute: Record<string, number>; byStatus: Record<string, number>; maxConcurrency: number; batchOperations: number;
      timing?: { all: CallTiming; byRoute: Record<string, CallTiming> };
    };
  };
  const workers = Array.from({ length: args.workers }, () => spawnWorker({
    DATABASE_URL: fresh.url, TEMPORAL_TASK_QUEUE: taskQueue, MAILCHIMP_API_URL: `${emulator.url}/3.0`, MAILCHIMP_API_KEY: API_KEY,
    MAILCHIMP_STORE_ID: storeId, MAILCHIMP_LIST_ID: LIST_ID, MAILCHIMP_MAX_CONNECTIONS: String(connections), BACKFILL_MODE: args.mode,
  }));
  /** The workers' counters summed (null when one does not answer). */
  const workerStats = async (): Promise<WorkerStats | null> => {
    const all = await Promise.all(workers.map((w) => w.stats()));
    if (all.some((x) => x === null)) return null;
    return (all as WorkerStats[]).reduce((a, b) => ({
      pid: a.pid, mailchimpRequests: a.mailchimpRequests + b.mailchimpRequests, mailchimpMs: a.mailchimpMs + b.mailchimpMs, dbQueries: a.dbQueries + b.dbQueries,
      dbMs: a.dbMs + b.dbMs, cpuUserMs: a.cpuUserMs + b.cpuUserMs, cpuSystemMs: a.cpuSystemMs + b.cpuSystemMs, uptimeMs: Math.max(a.uptimeMs, b.uptimeMs),
      memoryPeaks: (a.memoryPeaks?.heapTotalMb ?? 0) >= (b.memoryPeaks?.heapTotalMb ?? 0) ? a.memoryPeaks : b.memoryPeaks,
      gate: a.gate && b.gate ? {
        ms: Math.max(a.gate.ms, b.gate.ms), inFlightMs: a.gate.inFlightMs + b.gate.inFlightMs, limitMs: a.gate.limitMs + b.gate.limitMs,
        waitingMs: Math.max(a.gate.waitingMs, b.gate.waitingMs), freeMs: Math.max(a.gate.freeMs, b.gate.freeMs),
      } : undefined,
      eventLoop: a.eventLoop && b.eventLoop ? {
        p99Ms: Math.max(a.eventLoop.p99Ms, b.eventLoop.p99Ms), maxMs: Math.max(a.eventLoop.maxMs, b.eventLoop.maxMs),
        heldOver50Ms: a.eventLoop.heldOver50Ms + b.eventLoop.heldOver50Ms, heldOver50: a.eventLoop.heldOver50 + b.eventLoop.heldOver50,
      } : undefined,
    }));
  };
  const client = await connectTemporalClient();
  const temporalPid = recordedPid('temporal', DATA_DIR);
  let temporalSampledPeakMb: number | null = null;
  let workerPeakMb: number | null = null;
  const sampleMemory = () => {
    for (const worker of workers) {
      const w = memoryOf(worker.pid);
      if (w) workerPeakMb = Math.max(workerPeakMb ?? 0, w.peakMb);
    }
    const t = temporalPid ? memoryOf(temporalPid) : null;
    if (t) temporalSampledPeakMb = Math.max(temporalSampledPeakMb ?? 0, t.rssMb);
  };
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    await Promise.all(workers.map((w) => w.ready));
    log(`${workers.length} worker(s) ${workers.map((w) => w.pid).join(', ')} ready on ${taskQueue}; full sync starts (L = ${args.latencyMs} ms + 0..${args.jitterMs} ms, bound ${bound.toFixed(1)} req/s)`);
    await fetch(`${emulator.url}/_emulator/stats/reset`, { method: 'POST' });
    const batchOpsBefore = (await statsOf()).batchOperations ?? 0;
    const before: WorkerStats | null = await workerStats();
    const timingBefore = (await statsOf()).timing?.all ?? null;
    const loadStart = os.loadavg();

    // ---- full sync, timed per phase by polling the progress query ----
    const resyncId = fullResyncWorkflowId(storeId);
    const t0 = Date.now();
    // --mode auto is the worker's BACKFILL_MODE (the workflow reads it from beginFullSync); direct and batch are the input's.
    const mode = args.mode === 'direct' || args.mode === 'batch' ? args.mode : undefined;
    const handle = await startFullResync(client, { storeId, taskQueue }, { types: 'all', ...(mode ? { mode } : {}), ...(args.pageSize ? { pageSize: args.pageSize } : {}), ...(args.window ? { window: args.window } : {}) }, 'bench');
    // A phase is a type, or (direct mode, types together) the types running at once, joined by `+`: each boundary keeps
    // the counts seen then, so a phase's entities are what was done between its boundaries.
    type Boundary = { phase: string; at: number; requests: number; counts: Outcomes; worker: WorkerStats | null; timing: CallTiming | null };
    const boundaries: Boundary[] = [];
    const boundary = async (phase: string, counts: Outcomes): Promise<Boundary> => {
      const [emulatorStats, worker] = await Promise.all([statsOf(), workerStats()]);
      return { phase, at: Date.now(), requests: emulatorStats.requests, counts, worker, timing: emulatorStats.timing?.all ?? null };
    };
    let last: ResyncProgress | null = null;
    let finished = false;
    const result = handle.result().then((r: ResyncProgress) => {
      finished = true;
      return r;
    });
    result.catch(() => {
      finished = true;
    });
    let lastLog = 0;
    while (!finished) {
      sampleMemory();
      try {
        const p = await handle.query(progressQuery);
        if (!last || p.phase !== last.phase) boundaries.push(await boundary(p.phase, outcomesOf(p.counts)));
        last = p;
        if (Date.now() - lastLog > 15_000) {
          lastLog = Date.now();
          const done = Object.values(p.counts).reduce((n, c) => n + c.synced + c.unchanged + c.failed + c.skipped + c.deleted, 0);
          log(`  ${p.phase}: ${done} entities, ${p.pages} pages, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
        }
      } catch {
        // between runs (continue-as-new) or finishing
      }
      await sleep(200);
    }
    const final = await result;
    const t1 = Date.now();
    const endStats = await statsOf();
    boundaries.push({ ...(await boundary('end', outcomesOf(final.counts))), at: t1, requests: endStats.requests });
    sampleMemory();
    const after: WorkerStats | null = await workerStats();
    const wall = (t1 - t0) / 1000;
    const batches = endStats.byRoute['POST /3.0/batches'] ?? 0;
    const directWriteRoutes = Object.entries(endStats.byRoute)
      .filter(([route]) => /^(POST|PUT|PATCH|DELETE) /.test(route) && route !== 'POST /3.0/batches')
      .sort((a, b) => b[1] - a[1]);
    const directWrites = directWriteRoutes.reduce((n, [, count]) => n + count, 0);
    const batchOperations = (endStats.batchOperations ?? 0) - batchOpsBefore;
    log(`full sync done in ${wall.toFixed(1)} s, ${endStats.requests} requests, max concurrency ${endStats.maxConcurrency}`);

    const phases: PhaseResult[] = [];
    // The first boundary is store setup (the first phase from the start); each later one starts the next phase.
    for (let i = 0; i < boundaries.length - 1; i++) {
      const b = boundaries[i];
      if (b.phase === 'finishing' || b.phase === 'done') continue;
      const start = i === 0 ? t0 : b.at;
      const seconds = (boundaries[i + 1].at - start) / 1000;
      const from = i === 0 ? outcomesOf({}) : b.counts;
      const to = boundaries[i + 1].counts;
      const c = { synced: to.synced - from.synced, unchanged: to.unchanged - from.unchanged, failed: to.failed - from.failed, skipped: to.skipped - from.skipped };
      const entities = c.synced + c.unchanged + c.failed + c.skipped;
      const requests = boundaries[i + 1].requests - (i === 0 ? 0 : b.requests);
      phases.push({
        type: b.phase, seconds, synced: c.synced, unchanged: c.unchanged, failed: c.failed, skipped: c.skipped,
        entitiesPerSecond: entities / seconds, entitiesOfBound: ofEntityBound(entities / seconds), requests, requestsPerSecond: requests / seconds, ofBound: requests / seconds / bound,
        requestsPerEntity: entities ? requests / entities : 0,
        connections: phaseConnections(i === 0 ? { worker: before, timing: timingBefore } : b, boundaries[i + 1]),
      });
    }
    const entities = Object.values(final.counts).reduce((n, c) => n + c.synced + c.unchanged + c.failed + c.skipped, 0);

    // ---- incremental latency ----
    const interval = args.interval;
    await ensureSchedules(client, { storeId, taskQueue, interval });
    cleanups.push(async () => {
      for (const scope of SCAN_SCOPES) await client.schedule.getHandle(scheduleId(storeId, scope)).delete().catch(() => undefined);
    });
    const store = emulator.state.stores.get(storeId);
    if (!store) throw new Error('The store is not in the emulator after the full sync');
    const productRows = (await fresh.db('products').select('id', 'code').where({ status: 'active' }).orderBy('id')) as Array<{ id: string; code: string }>;
    const products = productRows.filter((p) => store.products.has(p.code)).slice(0, Math.ceil(args.updates / 2));
    const orderRows = (await fresh.db('orders').select('id', 'order_number').orderBy('id').limit(Math.max(200, args.updates * 4))) as Array<{ id: string; order_number: string }>;
    const orders = orderRows.filter((o) => store.orders.has(o.order_number)).slice(0, Math.floor(args.updates / 2));
    const changes: Array<{ kind: 'product' | 'order'; id: string; remoteId: string; value: string; path: 'immediate' | 'polling'; committedAt: number; seenAt?: number }> = [];
    const target = { storeId, taskQueue };
    // Let the schedules settle into their rhythm before measuring.
    await sleep(toMs(interval));
    const spacing = Math.max(100, Math.floor((2 * toMs(interval)) / Math.max(1, args.updates)));
    const watcher = setInterval(() => {
      const now = Date.now();
      for (const c of changes) {
        if (c.seenAt) continue;
        const record = c.kind === 'product' ? store.products.get(c.remoteId) : store.orders.get(c.remoteId);
        const value = c.kind === 'product' ? record?.data.title : record?.data.landing_site;
        if (value === c.value) c.seenAt = now;
      }
    }, 20);
    cleanups.push(async () => clearInterval(watcher));
    const items = [
      ...products.map((p) => ({ kind: 'product' as const, id: String(p.id), remoteId: p.code })),
      ...orders.map((o) => ({ kind: 'order' as const, id: String(o.id), remoteId: o.order_number })),
    ];
    log(`incremental: ${items.length} changes, every ${spacing} ms, schedules every ${interval}`);
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const mark = `bench-${id}-${i}`;
      const path = i % 2 === 0 ? 'immediate' : 'polling';
      let value: string;
      if (item.kind === 'product') {
        const row = (await fresh.db('products').where({ id: item.id }).first('title')) as { title: string };
        value = `${row.title.replace(/ \[bench-.*\]$/, '')} [${mark}]`;
        await fresh.db('products').where({ id: item.id }).update({ title: value });
      } else {
        value = `https://bench.example/${mark}`;
        await fresh.db('orders').where({ id: item.id }).update({ landing_site: value });
      }
      const change = { ...item, value, path: path as 'immediate' | 'polling', committedAt: Date.now() };
      changes.push(change);
      if (path === 'immediate') await notifyEntityChanged(client, target, item.kind, item.id);
      await sleep(spacing);
    }
    const deadline = Date.now() + toMs(interval) * 3 + 30_000;
    while (changes.some((c) => !c.seenAt) && Date.now() < deadline) await sleep(100);
    sampleMemory();
    const latencies = (p: 'immediate' | 'polling') => {
      const list = changes.filter((c) => c.path === p);
      const seen = list.filter((c) => c.seenAt).map((c) => ((c.seenAt as number) - c.committedAt) / 1000);
      if (seen.length < list.length) log(`WARNING: ${list.length - seen.length} ${p} changes were not seen in time`);
      return { n: seen.length, p50: percentile(seen, 50), p95: percentile(seen, 95), p99: percentile(seen, 99), max: percentile(seen, 100) };
    };
    const incremental = { interval, immediate: latencies('immediate'), polling: latencies('polling') };
    for (const run of cleanups.splice(0)) await run();

    const temporal = await temporalCounts(client, taskQueue, resyncId);
    sampleMemory();
    const temporalMem = temporalPid ? memoryOf(temporalPid) : null;
    const mailchimpMs = (after?.mailchimpMs ?? 0) - (before?.mailchimpMs ?? 0);
    const activitySeconds = temporal.resyncActivityMs / 1000;
    const report: BenchResult = {
      size: args.size, mode: args.mode, command, date: new Date().toISOString(), machine: machine(), latencyMs: args.latencyMs, jitterMs: args.jitterMs,
      connections: args.connections, batchOpsPerSecond: args.batchOpsPerSecond, finalizeDelayMs: args.finalizeDelayMs, workers: args.workers,
      boundEntitiesPerSecond: Number.isFinite(entityBound) ? entityBound : null, load: { start: loadStart, end: os.loadavg() },
      boundRequestsPerSecond: bound, shop, seedSeconds,
      fullSync: {
        seconds: wall, entities, entitiesPerSecond: entities / wall, entitiesOfBound: ofEntityBound(entities / wall), requests: endStats.requests, requestsPerSecond: endStats.requests / wall,
        ofBound: endStats.requests / wall / bound, requestsPerEntity: endStats.requests / Math.max(1, entities), phases, pages: final.pages,
        batches, batchOperations, directWrites, directWritesByRoute: Object.fromEntries(directWriteRoutes),
        emulatorTiming: emulatorTimingOf(endStats.timing, connections),
      },
      temporal,
      memory: {
        workerPeakMb, temporalPeakMb: temporalMem?.peakMb ?? null, temporalSampledPeakMb,
        workerHeap: (await workerStats())?.memoryPeaks ?? null,
        workerNodeFlags: [...workerNodeFlags(), ...(process.env.BENCH_WORKER_NODE_FLAGS ?? '').split(/\s+/).filter((f) => f !== '')],
        workerNodeEnv: Object.fromEntries(Object.entries(workerNodeEnv()).map(([name, value]) => [name, process.env[name] ?? value])),
      },
      split: {
        wallSeconds: wall,
        activitySeconds,
        temporalSeconds: wall - activitySeconds,
        mailchimpRequestSeconds: mailchimpMs / 1000,
        mailchimpConnectionUtilisation: activitySeconds > 0 ? mailchimpMs / 1000 / (connections * activitySeconds) : 0,
        dbQueries: (after?.dbQueries ?? 0) - (before?.dbQueries ?? 0),
        dbSeconds: ((after?.dbMs ?? 0) - (before?.dbMs ?? 0)) / 1000,
        workerCpuSeconds: ((after?.cpuUserMs ?? 0) + (after?.cpuSystemMs ?? 0) - (before?.cpuUserMs ?? 0) - (before?.cpuSystemMs ?? 0)) / 1000,
        topQueries: (after?.topQueries ?? []).map((q) => ({ sql: q.sql, count: q.count - (before?.topQueries?.find((b) => b.sql === q.sql)?.count ?? 0) })),
      },
      incremental,
    };
    const markdown = renderMarkdown(report);
    const dir = path.join(PROJECT_ROOT, 'bench', 'results');
    fs.mkdirSync(dir, { recursive: true });
    const stamp = report.date.replace(/[:.]/g, '-');
    const name = benchName(args);
    fs.writeFileSync(path.join(dir, `${name}-${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
    fs.writeFileSync(path.join(dir, `${name}-${stamp}.md`), markdown);
    if (args.out) writeSection(path.resolve(args.out), `bench:${name}`, markdown);
    process.stdout.write(`${markdown}\n`);
  } finally {
    for (const run of cleanups) await run().catch(() => undefined);
    await Promise.all(workers.map((w) => w.stop()));
    await client.connection.close();
    await emulator.close();
    if (args.keepDb) await fresh.db.destroy();
    else await fresh.destroy();
  }
}

/** Sums of the emulator's call timing (emulator/stats.ts). */
interface CallTiming {
  count: number;
  latencyMsSum: number;
  serverMsSum: number;
  serverP95Ms: number;
}

/** What a phase's connections did, from the readings at its two boundaries (null when one is missing). */
function phaseConnections(
  from: { worker: WorkerStats | null; timing: CallTiming | null },
  to: { worker: WorkerStats | null; timing: CallTiming | null },
): PhaseConnections | null {
  const w0 = from.worker;
  const w1 = to.worker;
  const g0 = w0?.gate;
  const g1 = w1?.gate;
  const loop = w1?.eventLoop;
  if (!w0 || !w1 || !g0 || !g1 || !loop || !w0.eventLoop) return null;
  const ms = g1.ms - g0.ms;
  if (ms <= 0) return null;
  const calls = from.timing && to.timing ? to.timing.count - from.timing.count : 0;
  return {
    meanInFlight: (g1.inFlightMs - g0.inFlightMs) / ms,
    meanLimit: (g1.limitMs - g0.limitMs) / ms,
    waitingShare: (g1.waitingMs - g0.waitingMs) / ms,
    freeShare: (g1.freeMs - g0.freeMs) / ms,
    loopP99Ms: loop.p99Ms,
    loopMaxMs: loop.maxMs,
    loopHeldOver50Ms: loop.heldOver50Ms - w0.eventLoop.heldOver50Ms,
    loopHeldOver50: loop.heldOver50 - w0.eventLoop.heldOver50,
    workerCpu: (w1.cpuUserMs + w1.cpuSystemMs - w0.cpuUserMs - w0.cpuSystemMs) / ms,
    emulatorLatencyMs: calls > 0 && from.timing && to.timing ? (to.timing.latencyMsSum - from.timing.latencyMsSum) / calls : NaN,
    emulatorServerMs: calls > 0 && from.timing && to.timing ? (to.timing.serverMsSum - from.timing.serverMsSum) / calls : NaN,
  };
}

/** The full sync's emulator timing, per route family (the routes with the most calls first). */
function emulatorTimingOf(
  timing: { all: CallTiming; byRoute: Record<string, CallTiming> } | undefined,
  connections: number,
): BenchResult['fullSync']['emulatorTiming'] {
  if (!timing || timing.all.count === 0) return undefined;
  const meanLatencyMs = timing.all.latencyMsSum / timing.all.count;
  const meanServerMs = timing.all.serverMsSum / timing.all.count;
  return {
    meanLatencyMs, meanServerMs, serverP95Ms: timing.all.serverP95Ms,
    measuredBoundRequestsPerSecond: (connections * 1000) / (meanLatencyMs + meanServerMs),
    byRoute: Object.entries(timing.byRoute)
      .map(([route, t]) => ({ route, count: t.count, meanServerMs: t.serverMsSum / t.count, serverP95Ms: t.serverP95Ms }))
      .sort((a, b) => b.count - a.count),
  };
}

/** The docs section of a run: the size, then whatever differs from the defaults (`small`, `small-batch`, `large-L0-nocap`, …). */
export function benchName(a: { size: string; mode: string; latencyMs: number; connections: number | null; batchOpsPerSecond: number; finalizeDelayMs: number; workers: number }): string {
  const parts = [a.size];
  if (a.mode !== 'direct') parts.push(a.mode);
  if (a.latencyMs !== 100) parts.push(`L${a.latencyMs}`);
  if (a.connections === null) parts.push('nocap');
  else if (a.connections !== DEFAULT_CONNECTIONS) parts.push(`c${a.connections}`);
  if (a.mode !== 'direct' && a.batchOpsPerSecond !== 1000) parts.push(`B${a.batchOpsPerSecond}`);
  if (a.mode !== 'direct' && a.finalizeDelayMs !== 0) parts.push(`fin${a.finalizeDelayMs}`);
  if (a.workers !== 1) parts.push(`w${a.workers}`);
  return parts.join('-');
}

/**
 * Where each phase's connection time went: the worker's gate (requests in flight on average; share of the time with a
 * request waiting for a connection, and with a connection free and nothing waiting), the worker's event loop, and the
 * emulator's own time per call on top of the latency (so the real bound is C / (L + server), not C / L).
 */
function connectionLines(r: BenchResult): string[] {
  const phases = r.fullSync.phases.filter((p) => p.connections);
  const t = r.fullSync.emulatorTiming;
  if (phases.length === 0 && !t) return [];
  const lines = ['', '**Where the connection time goes** (per phase: the worker\'s connection gate and event loop, the emulator\'s time per call):', ''];
  if (phases.length > 0) {
    lines.push(
      '| Phase | Requests in flight (mean, of limit) | Time a request waited for a connection | Time a connection was free, nothing waiting | Connection held per request (mean) | Emulator per call: latency + own time (mean) | Event loop delay p99 / max | Loop held > 50 ms at once (total, times) | Worker CPU (of one core) |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...phases.map((p) => {
        const c = p.connections as PhaseConnections;
        // Little's law: requests in flight ÷ requests/s is how long a request held its connection, from the gate's slot
        // to the worker's handling of the answer; beyond the emulator's time, the worker's own delay (a held event loop).
        const heldMs = p.requests > 0 ? (1000 * c.meanInFlight * p.seconds) / p.requests : NaN;
        return `| ${p.type} | ${f1(c.meanInFlight)} of ${f1(c.meanLimit)} | ${f1(100 * c.waitingShare)} % | ${f1(100 * c.freeShare)} % | ${f1(heldMs)} ms | ${f1(c.emulatorLatencyMs)} + ${f2(c.emulatorServerMs)} ms | ${f1(c.loopP99Ms)} / ${f1(c.loopMaxMs)} ms | ${f1(c.loopHeldOver50Ms / 1000)} s (${c.loopHeldOver50}) | ${f2(c.workerCpu)} |`;
      }),
      '',
      'Requests/s of C / L = (requests in flight ÷ C) × (L ÷ connection held per request): a connection is lost to the phase while it is free with nothing waiting, and while it is held beyond the emulator\'s time (the answer waits for the worker\'s event loop). The worker\'s CPU beside the loop\'s holds hints whether they were its own work or the machine\'s other load.',
    );
  }
  if (t) {
    lines.push(
      '',
      `Emulator: the latency is slept before the call is handled, so a call takes L + the emulator's own time (validation, storage, reply): over the full sync ${f1(t.meanLatencyMs)} + ${f2(t.meanServerMs)} ms (own time p95 ${f2(t.serverP95Ms)} ms), a bound of C / (L + own) = ${f1(t.measuredBoundRequestsPerSecond)} requests/s beside C / L = ${f1(r.boundRequestsPerSecond)}. By route (most calls first): ` +
        t.byRoute.slice(0, 6).map((x) => `${x.count} × \`${x.route.replace(/^(\w+) \/3\.0/, '$1 ')}\` ${f2(x.meanServerMs)} ms (p95 ${f2(x.serverP95Ms)})`).join(', ') + '.',
    );
  }
  return lines;
}

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');

export function renderMarkdown(r: BenchResult): string {
  const s = r.split;
  const lines = [
    `## Full sync and incremental latency: ${r.size} shop, ${r.mode} backfill${r.latencyMs === 0 ? ', L = 0' : ''}${r.connections === null ? ', no connection cap' : ''}${r.workers > 1 ? `, ${r.workers} workers` : ''}`,
    '',
    `Run ${r.date} on ${r.machine.nproc} CPU (${r.machine.cpu}), ${r.machine.memoryGb} GB RAM, Node ${r.machine.node}; \`uptime\` load ${r.load.start.map(f2).join(' ')} at the start, ${r.load.end.map(f2).join(' ')} at the end.`,
    `Reproduce: \`${r.command}\``,
    '',
    `Shop: ${Object.entries(r.shop).filter(([t]) => t !== 'shop_settings').map(([t, n]) => `${n} ${t}`).join(', ')} (seeded in ${f1(r.seedSeconds)} s).`,
    `Emulator: ${r.connections === null ? 'no connection cap' : `C = ${r.connections} connections per key`}, latency ${r.latencyMs} ms + 0..${r.jitterMs} ms jitter: mean L = ${(r.latencyMs + r.jitterMs / 2) / 1000} s, so direct calls are bounded by C / L = ${f1(r.boundRequestsPerSecond)} requests/s` +
      `${r.mode === 'direct' ? '' : `; batches at B = ${r.batchOpsPerSecond} operations/s, finalisation delay ${r.finalizeDelayMs} ms: bound B + C / L = ${f1(r.boundEntitiesPerSecond ?? Infinity)} entities/s`}. ${r.workers} worker process(es).`,
    '',
    `| Entity type (types at once: joined by +) | Wall time (s) | Entities | Entities/s | Of bound (${r.mode === 'direct' ? 'C / L' : 'B + C / L'}) | Mailchimp requests | Requests/s | Of C / L | Requests per entity |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...r.fullSync.phases.map((p) => {
      const n = p.synced + p.unchanged + p.failed + p.skipped;
      return `| ${p.type} | ${f1(p.seconds)} | ${n}${p.failed ? ` (${p.failed} failed)` : ''}${p.skipped ? ` (${p.skipped} skipped)` : ''} | ${f1(p.entitiesPerSecond)} | ${f2(p.entitiesOfBound ?? NaN)} | ${p.requests} | ${f1(p.requestsPerSecond)} | ${f2(p.ofBound)} | ${f2(p.requestsPerEntity)} |`;
    }),
    `| **total** | **${f1(r.fullSync.seconds)}** | **${r.fullSync.entities}** | **${f1(r.fullSync.entitiesPerSecond)}** | **${f2(r.fullSync.entitiesOfBound ?? NaN)}** | **${r.fullSync.requests}** | **${f1(r.fullSync.requestsPerSecond)}** | **${f2(r.fullSync.ofBound)}** | **${f2(r.fullSync.requestsPerEntity)}** |`,
    ...(r.latencyMs === 0 ? ['', `Own ceiling (L = 0${r.connections === null ? ', no cap' : ''}; a bound above is infinite, shown as –): ${f1(r.fullSync.entitiesPerSecond)} entities/s, ${f2(r.fullSync.entitiesPerSecond / 2000)} of the 2,000 entities/s target.`] : []),
    '',
    `(The first row includes store setup; entities include failed and skipped rows; requests per entity include the customers and products an order creates on its way.)`,
    ...connectionLines(r),
    '',
    `Backfill mode **${r.mode}**: ${r.fullSync.batches} batches (POST /batches) carrying ${r.fullSync.batchOperations} operations, ${r.fullSync.directWrites} direct writes (POST/PUT/PATCH/DELETE other than /batches${directRoutes(r.fullSync.directWritesByRoute)}); Mailchimp requests above count HTTP requests only (batch polls and result downloads included, operations inside batches not).`,
    '',
    '| Measure | Value |',
    '|---|---:|',
    `| Temporal workflow executions on the task queue (runs) | ${r.temporal.workflows} |`,
    `| Temporal activities (attempts) | ${r.temporal.activities} (${r.temporal.activityAttempts}) |`,
    `| Full-sync pages | ${r.fullSync.pages} |`,
    `| Worker peak RSS (VmHWM) | ${f1(r.memory.workerPeakMb ?? NaN)} MB |`,
    ...(r.memory.workerHeap ? [`| Worker peak V8 heap total / used, external (sampled by the worker) | ${f1(r.memory.workerHeap.heapTotalMb)} / ${f1(r.memory.workerHeap.heapUsedMb)} MB, ${f1(r.memory.workerHeap.externalMb)} MB |`] : []),
    ...(r.memory.workerNodeFlags ? [`| Worker V8 flags (workers/node-flags) | \`${r.memory.workerNodeFlags.join(' ') || '(none)'}\` |`] : []),
    ...(r.memory.workerNodeEnv ? [`| Worker environment (workers/node-env) | \`${Object.entries(r.memory.workerNodeEnv).map(([name, value]) => `${name}=${value}`).join(' ') || '(none)'}\` |`] : []),
    `| Temporal dev server peak RSS (VmHWM since it started; sampled during the run) | ${f1(r.memory.temporalPeakMb ?? NaN)} MB (${f1(r.memory.temporalSampledPeakMb ?? NaN)} MB) |`,
    `| Incremental, immediate path (n = ${r.incremental.immediate.n}) p50 / p95 / p99 | ${f2(r.incremental.immediate.p50)} / ${f2(r.incremental.immediate.p95)} / ${f2(r.incremental.immediate.p99)} s |`,
    `| Incremental, polling path every ${r.incremental.interval} (n = ${r.incremental.polling.n}) p50 / p95 / p99 | ${f2(r.incremental.polling.p50)} / ${f2(r.incremental.polling.p95)} / ${f2(r.incremental.polling.p99)} s |`,
    '',
    '**Where the full-sync time goes** (sums over concurrent work, so they overlap):',
    '',
    `- wall ${f1(s.wallSeconds)} s = activities ${f1(s.activitySeconds)} s + Temporal (scheduling, workflow tasks, continue-as-new between pages) ${f1(s.temporalSeconds)} s`,
    `- Mailchimp: ${f1(s.mailchimpRequestSeconds)} s of request time, i.e. the ${r.connections ?? 'uncapped'} connections were busy ${f1(100 * s.mailchimpConnectionUtilisation)} % of the activity time`,
    `- database: ${s.dbQueries} queries, ${f1(s.dbSeconds)} s of query time (${f2(s.dbQueries / Math.max(1, r.fullSync.entities))} queries per entity)`,
    `- worker CPU (mapping, hashing, JSON, drivers, SDK): ${f1(s.workerCpuSeconds)} s`,
    ...(s.topQueries?.length ? [`- statements run most often (knex; lock statements not counted): ${s.topQueries.slice(0, 8).map((q) => `${q.count} × \`${q.sql.trim()}…\``).join(', ')}`] : []),
  ];
  return `${lines.join('\n')}\n`;
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      process.exit(1);
    },
  );
}

/** The direct writes by route, for the report: `: 480 × PUT /…/members/:hash, …` (nothing when none were made). */
function directRoutes(byRoute: Record<string, number> | undefined): string {
  const entries = Object.entries(byRoute ?? {});
  if (entries.length === 0) return '';
  return `: ${entries.map(([route, n]) => `${n} × \`${route.replace(/^(\w+) \/3\.0/, '$1 ')}\``).join(', ')}`;
}
