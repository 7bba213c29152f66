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
