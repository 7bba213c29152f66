import fs from 'node:fs';
import path from 'node:path';

/**
 * The V8 flags of a worker process, in ONE place: workers/node-flags (one line), read by `npm run worker` (package.json,
 * so the Dockerfile's CMD too), by `npm start` (package.json) and by the benchmark's and the fault suite's worker (bench/lib.ts). A small young
 * generation and a capped old space keep the worker's RSS flat: V8 otherwise grows its heap with the allocation rate
 * of a full sync (docs/benchmarks.md, item 4). The old-space cap also sizes the Temporal SDK's workflow cache
 * (maxCachedWorkflows defaults to about 0.6 per MiB of heap above 200 MiB).
 */
export const NODE_FLAGS_FILE = path.join(__dirname, 'node-flags');

/**
 * How a worker process runs our TypeScript: `--require` this file (tsx in the main thread only), not `--import tsx`,
 * which loads tsx into Temporal's workflow thread too (workers/typescript.cjs says why).
 */
export const TYPESCRIPT_PRELOAD = path.join(__dirname, 'typescript.cjs');

export function workerNodeFlags(): string[] {
  return fs.readFileSync(NODE_FLAGS_FILE, 'utf8').split(/\s+/).filter((flag) => flag !== '');
}

/**
 * The environment of a worker process, in ONE place: workers/node-env (NAME=value words), set by `npm run worker` and
 * `npm start` (package.json: `env $(cat workers/node-env) node ...`) and by the benchmark's and the fault suite's
 * worker (bench/lib.ts). MALLOC_ARENA_MAX=2: glibc's malloc otherwise gives each of the worker's ~16 threads (libuv,
 * V8, the Temporal core's runtime, the workflow thread) an arena of its own as they contend, up to 8 per core, and
 * keeps each arena's high-water mark: about 30 MB more RSS, growing with the length of the sync (docs/benchmarks.md,
 * item 4). Ignored by a C library other than glibc.
 */
export const NODE_ENV_FILE = path.join(__dirname, 'node-env');

export function workerNodeEnv(): Record<string, string> {
  const words = fs.readFileSync(NODE_ENV_FILE, 'utf8').split(/\s+/).filter((word) => word !== '');
  return Object.fromEntries(words.map((word) => {
    const at = word.indexOf('=');
    if (at <= 0) throw new Error(`${NODE_ENV_FILE}: expected NAME=value, got ${word}`);
    return [word.slice(0, at), word.slice(at + 1)];
  }));
}
