/**
 * A sync worker in its own process, for the benchmark and the fault suite: the parent can measure its peak RSS
 * (/proc/<pid>/status) and kill it with SIGKILL. Configured entirely by the environment (config/variables.ts).
 * Cheap instrumentation: Mailchimp request durations (the client's onRequest), shop-database query durations
 * (knex query events) and the process's CPU time, sent to the parent on request over IPC.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { WorkflowBundlePath } from '@temporalio/worker';
import { env } from '../config/env';
import { createDb } from '../db/knex';
import { connectionGateFor, type GateUsage } from '../mailchimp/connection-gate';
import { prebuiltWorkflowBundle } from '../workers/bundle';
import { createWorkerFromEnv } from '../workers/from-env';

export interface WorkerStats {
  pid: number;
  mailchimpRequests: number;
  mailchimpMs: number;
  dbQueries: number;
  dbMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  uptimeMs: number;
  /** The statements run most often (their text up to the first bound value or 80 characters), with their counts. */
  topQueries?: Array<{ sql: string; count: number }>;
  /** Peaks of process.memoryUsage() sampled every 250 ms since the start, MiB: what the RSS is made of. */
  memoryPeaks?: { heapTotalMb: number; heapUsedMb: number; externalMb: number; rssMb: number };
  /** The API key's connection gate in this process (sums since it was made: mailchimp/connection-gate.ts GateUsage). */
  gate?: GateUsage;
  /**
   * The event loop's delay since the previous stats message (perf_hooks, 10 ms resolution): p99 and max, ms; and,
   * summed since the start, the time the loop was held more than 50 ms at once and how many times.
   */
  eventLoop?: { p99Ms: number; maxMs: number; heldOver50Ms: number; heldOver50: number };
}

/** A timer's lateness above which the loop counts as held (a 10 ms timer firing 50 ms late: a 50 ms task ran). */
const HELD_MS = 50;
const TICK_MS = 10;

/**
 * A prebuilt workflow bundle, as a deployed worker loads it (the Dockerfile builds it; workers/bundle.ts): dist/'s when
 * it is up to date, else one built now by a separate process, so webpack's memory never counts in this worker's RSS.
 */
function workflowBundle(): WorkflowBundlePath {
  const prebuilt = prebuiltWorkflowBundle();
  if (prebuilt) return prebuilt;
  const file = path.join(os.tmpdir(), `mcsync-bench-workflows-${process.pid}.js`);
  const built = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '../workers/bundle.ts'), file], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) throw new Error(`Bundling the workflows failed (exit ${built.status})`);
  process.once('exit', () => fs.rmSync(file, { force: true }));
  return { codePath: file };
}

async function main(): Promise<void> {
  const started = Date.now();
  const peaks = { heapTotalMb: 0, heapUsedMb: 0, externalMb: 0, rssMb: 0 };
  const sampleMemory = () => {
    const m = process.memoryUsage();
    const mb = (n: number) => n / 1024 / 1024;
    peaks.heapTotalMb = Math.max(peaks.heapTotalMb, mb(m.heapTotal));
    peaks.heapUsedMb = Math.max(peaks.heapUsedMb, mb(m.heapUsed));
    peaks.externalMb = Math.max(peaks.externalMb, mb(m.external));
    peaks.rssMb = Math.max(peaks.rssMb, mb(m.rss));
  };
  setInterval(sampleMemory, 250).unref();
  const loopDelay = monitorEventLoopDelay({ resolution: TICK_MS });
  loopDelay.enable();
  const held = { ms: 0, times: 0 };
  let tickAt = performance.now();
  setInterval(() => {
    const at = performance.now();
    const late = at - tickAt - TICK_MS;
    tickAt = at;
    if (late > HELD_MS) {
      held.ms += late;
      held.times += 1;
    }
  }, TICK_MS).unref();
  const stats = { mailchimpRequests: 0, mailchimpMs: 0, dbQueries: 0, dbMs: 0 };
  const db = createDb(env('DATABASE_URL'), { min: 0, max: Number(process.env.BENCH_DB_POOL ?? 20) });
  const queryStarts = new Map<string, number>();
  const bySql = new Map<string, number>();
  db.on('query', (q: { __knexQueryUid: string; sql?: string }) => {
    queryStarts.set(q.__knexQueryUid, performance.now());
    const text = (q.sql ?? '').split('?')[0].slice(0, 80);
    bySql.set(text, (bySql.get(text) ?? 0) + 1);
  });
  const queryDone = (_r: unknown, q: { __knexQueryUid: string }) => {
    const t0 = queryStarts.get(q.__knexQueryUid);
    if (t0 === undefined) return;
    queryStarts.delete(q.__knexQueryUid);
    stats.dbQueries += 1;
    stats.dbMs += performance.now() - t0;
  };
  db.on('query-response', queryDone);
  db.on('query-error', (err: unknown, q: { __knexQueryUid: string }) => queryDone(err, q));
  // The production worker (workers/from-env.ts: the pause breaker, the metrics, the maintenance activities), with
  // the database and the Mailchimp requests counted.
  const built = await createWorkerFromEnv({
    db,
    onMailchimpRequest: (event) => {
      stats.mailchimpRequests += 1;
      stats.mailchimpMs += event.durationMs;
    },
    onLeaseError: (err) => console.error(`connection lease renewal failed: ${err instanceof Error ? err.message : String(err)}`),
    workflowBundle: workflowBundle(),
  });
  const { worker } = built;
  process.on('message', (message: unknown) => {
    if (message !== 'stats') return;
    const cpu = process.cpuUsage();
    const snapshot: WorkerStats = {
      pid: process.pid, ...stats, cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000, uptimeMs: Date.now() - started,
      topQueries: [...bySql].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([sql, count]) => ({ sql, count })),
      memoryPeaks: { ...peaks },
      gate: connectionGateFor(env('MAILCHIMP_API_KEY'), Number(env('MAILCHIMP_MAX_CONNECTIONS'))).usage(),
      eventLoop: { p99Ms: loopDelay.percentile(99) / 1e6, maxMs: loopDelay.max / 1e6, heldOver50Ms: held.ms, heldOver50: held.times },
    };
    loopDelay.reset();
    process.send?.({ stats: snapshot });
  });
  const stop = () => worker.shutdown();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop);
  const running = worker.run();
  process.send?.({ ready: true });
  try {
    await running;
  } finally {
    await built.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
