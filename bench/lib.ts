/** Shared by the benchmark and the fault suite: fresh databases, the worker child process, /proc readings. */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import mysql from 'mysql2/promise';
import { env } from '../config/env';
import { createDb, migrateLatest } from '../db/knex';
import { TYPESCRIPT_PRELOAD, workerNodeEnv, workerNodeFlags } from '../workers/worker-node-flags';
import type { WorkerStats } from './worker-child';

export type { WorkerStats };

export const WORKER_ENTRY = path.join(__dirname, 'worker-child.ts');

export function suffix(): string {
  return randomBytes(4).toString('hex');
}

export interface FreshDatabase {
  db: Knex;
  url: string;
  name: string;
  destroy(): Promise<void>;
}

/** A new, migrated database next to DATABASE_URL's (or on `serverUrl`), dropped by destroy(). */
export async function createFreshDatabase(prefix: string, serverUrl: string = env('DATABASE_URL')): Promise<FreshDatabase> {
  const name = `${prefix}_${suffix()}`;
  const u = new URL(serverUrl);
  const admin = async (sql: string) => {
    const conn = await mysql.createConnection({
      host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password),
    });
    try {
      await conn.query(sql);
    } finally {
      await conn.end();
    }
  };
  await admin(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  u.pathname = `/${name}`;
  const url = u.toString();
  const db = createDb(url);
  await migrateLatest(db);
  return {
    db, url, name,
    async destroy() {
      await db.destroy();
      await admin(`DROP DATABASE IF EXISTS \`${name}\``);
    },
  };
}

export interface WorkerProcess {
  pid: number;
  child: ChildProcess;
  /** Resolves once the worker polls its task queue. */
  ready: Promise<void>;
  exited: Promise<number | null>;
  stats(): Promise<WorkerStats | null>;
  /** SIGKILL, then wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (graceful shutdown), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `bench/worker-child.ts` in its own Node process with these environment variables on top of ours. */
export function spawnWorker(vars: Record<string, string>): WorkerProcess {
  // The worker's own V8 flags (workers/node-flags), and any the caller adds (BENCH_WORKER_NODE_FLAGS, e.g.
  // `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the worker during a run).
  const extra = (process.env.BENCH_WORKER_NODE_FLAGS ?? '').split(/\s+/).filter((flag) => flag !== '');
  const child = fork(WORKER_ENTRY, [], {
    execArgv: [...workerNodeFlags(), ...extra, '--require', TYPESCRIPT_PRELOAD],
    // The worker's environment (workers/node-env) under ours, so that a run can compare another value (MALLOC_ARENA_MAX=8 npm run bench).
    env: { ...workerNodeEnv(), ...process.env, ...vars },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  if (child.pid === undefined) throw new Error('The worker process did not start');
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const onMessage = (m: unknown) => {
      if ((m as { ready?: boolean })?.ready) {
        child.off('message', onMessage);
        resolve();
      }
    };
    child.on('message', onMessage);
    void exited.then((code) => reject(new Error(`The worker exited (${code}) before it was ready`)));
  });
  ready.catch(() => undefined);
  const pid = child.pid;
  return {
    pid, child, ready, exited,
    stats() {
      if (!child.connected) return Promise.resolve(null);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(null), 5000);
        const onMessage = (m: unknown) => {
          const stats = (m as { stats?: WorkerStats })?.stats;
          if (!stats) return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(stats);
        };
        child.on('message', onMessage);
        child.send('stats');
      });
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop(graceMs = 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** VmHWM (peak) and VmRSS of a process in MiB, or null when it is gone. */
export function memoryOf(pid: number): { peakMb: number; rssMb: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
  } catch {
    return null;
  }
}

export function recordedPid(name: string, dataDir: string): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, `${name}.pid`), 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export function machine(): { nproc: number; memoryGb: number; cpu: string; node: string } {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const model = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (model) cpu = model[1].trim();
  } catch {
    // not Linux
  }
  return { nproc: os.cpus().length, memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10, cpu, node: process.version };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

/** Replaces the block between `<!-- key -->` and `<!-- /key -->` in a markdown file, or appends it. */
export function writeSection(file: string, key: string, body: string, title = '# Benchmarks\n'): void {
  const start = `<!-- ${key} -->`;
  const end = `<!-- /${key} -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : `${title}\n`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i >= 0 && j > i) text = text.slice(0, i) + block + text.slice(j + end.length);
  else text = `${text.trimEnd()}\n\n${block}\n`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}
