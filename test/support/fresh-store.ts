import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, NativeConnection } from '@temporalio/worker';
import type { SyncConfig } from '../../activities/context';
import { env } from '../../config/env';
import { createSyncDeps } from '../../wiring/env';
import { createSyncWorker } from '../../workers/worker';
import { WORKFLOWS_PATH } from '../../workers/bundle';
import { fullResyncWorkflow } from '../../workflows/full-resync';
import type { SyncHarness } from './sync-harness';

/**
 * The promise, checked on chosen resources: after the incremental sync, each resource in the harness's store equals the
 * same resource in a second, empty store of the same emulator that a fresh full sync of the current shop filled (its
 * own worker, its own sync state). Mailchimp's own fields are left out of the comparison; nothing else is.
 */
export interface FreshStores {
  /** Runs a fresh full sync of the shop into a new, empty store; returns its id. */
  sync(): Promise<string>;
  stop(): Promise<void>;
}

export async function freshStores(h: SyncHarness): Promise<FreshStores> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fresh-store-'));
  const codePath = path.join(dir, 'workflows.js');
  fs.writeFileSync(codePath, (await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger })).code);
  const native = await NativeConnection.connect({ address: env('TEMPORAL_ADDRESS') });
  let n = 0;
  return {
    async sync() {
      n += 1;
      const config: SyncConfig = { ...h.config, storeId: `${h.config.storeId}_f${n}`, taskQueue: `${h.config.taskQueue}-f${n}` };
      const worker = await createSyncWorker({
        connection: native, namespace: env('TEMPORAL_NAMESPACE'), taskQueue: config.taskQueue, workflowBundle: { codePath },
        deps: createSyncDeps(h.t.db, h.mailchimp, config, async () => h.client, h.source),
      });
      const running = worker.run();
      try {
        await h.client.workflow.execute(fullResyncWorkflow, {
          workflowId: `${config.storeId}:full-resync`, taskQueue: config.taskQueue, args: [{ storeId: config.storeId, types: 'all' }],
        });
      } finally {
        worker.shutdown();
        await running;
      }
      return config.storeId;
    },
    async stop() {
      await native.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const quietLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

type Json = Record<string, unknown>;

/**
 * Mailchimp's timestamps and links, its copies of product fields on lines, and the counters it computes from the
 * store's orders (they differ where an order kept the customer it was sent with).
 */
const SERVER_FIELDS = new Set([
  'created_at', 'updated_at', '_links', 'store_id', 'total_items', 'product_title', 'product_variant_title', 'image_url', 'orders_count', 'total_spent',
]);

function normalise(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) {
    const keyed = value.every((v) => typeof v === 'object' && v !== null && 'id' in v);
    return keyed ? Object.fromEntries(value.map((v) => [String((v as Json).id), normalise(v)])) : value.map((v) => normalise(v));
  }
  if (typeof value !== 'object' || value === null) return value;
  // An order's embedded customer is the customer resource (compared on its own): only its id belongs to the order.
  if (key === 'customer') return { id: (value as Json).id };
  return Object.fromEntries(Object.entries(value as Json).filter(([k]) => !SERVER_FIELDS.has(k)).map(([k, v]) => [k, normalise(v, k)]));
}

/** A resource (or collection) of a store as Mailchimp answers it, normalised; null when Mailchimp has none. */
async function read(h: SyncHarness, storeId: string, resource: string): Promise<unknown> {
  const res = await h.http.get(`/3.0/ecommerce/stores/${storeId}${resource}`, { params: resource.split('/').length % 2 === 0 ? { count: 1000 } : undefined });
  if (res.status === 404) return null;
  if (res.status !== 200) throw new Error(`GET ${resource} → ${res.status} ${JSON.stringify(res.data)}`);
  return normalise(res.data);
}

/** Every field where a resource of the incremental store differs from the fresh one ("resource.path: a ≠ b"). */
export async function differences(h: SyncHarness, freshStoreId: string, resources: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const resource of resources) {
    diff(resource, await read(h, h.config.storeId, resource), await read(h, freshStoreId, resource), out);
  }
  return out;
}

function diff(at: string, a: unknown, b: unknown, out: string[]): void {
  const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) diff(`${at}.${key}`, a[key], b[key], out);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${at}: incremental ${JSON.stringify(a)}, fresh ${JSON.stringify(b)}`);
}
