/**
 * One page of a batch backfill: read the page's rows in bulk, build operations (build.ts), make sure what they depend
 * on is in Mailchimp first, submit and wait (submit.ts), record each entity's outcome (apply.ts), and hand everything
 * else to the entity's direct sync. Dependencies are finished before their dependants are submitted, because
 * Mailchimp runs the operations of a batch, and separate batches, in no particular order.
 */
import type { BatchOperationResult } from '../../mailchimp';
import { inSendOrder, nextSendOrder } from '../../mailchimp/connection-gate';
import { orderSchema } from '../../mailchimp/schemas';
import { validatedJson } from '../../mailchimp/schemas/json';
import type { EntityType } from '../../mapping/ids';
import { needsAudienceDoubleOptIn, type MemberStatus } from '../../mapping/consent';
import { productRemoteId } from '../../mapping/product';
import type { ChangedRow, CustomerRecord } from '../../source/shop-source';
import type { SyncContext } from '../context';
import type { SyncOutcome } from '../entities';
import { memberStatus, planCustomer } from '../entities/customer';
import { recordOrdersSkipped } from '../entities/order';
import { isUnchanged } from '../entities/record';
import { forEachConcurrent } from '../../util/concurrency';
import { everySliced } from '../../util/slices';
import { applyResults, resultsById } from './apply';
import type { AudienceSnapshots } from './audience';
import {
  buildCustomerOperations, buildCustomerOperationsSliced, buildLineVariantOperations, buildOrderOperationsSliced, buildProductOperations, buildPromoCodeOperations, buildPromoRuleOperations,
  type AudienceView, type BuiltOrderPage, type BuiltPage, type CustomerRowInput, type OrderDependencies, type OrderRowInput, type PlannedOperation,
} from './build';
import { runBatch, type BatchWaitOptions } from './submit';

/** Rows per batch, and batches of one page in flight at once (reading and building overlap Mailchimp's work). */
export const BATCH_CHUNK = 250;
export const CHUNKS_IN_FLIGHT = 4;
const READ_CONCURRENCY = 8;
const DIRECT_CONCURRENCY = 12;

export interface BatchPageEnv {
  snapshots: AudienceSnapshots;
  wait?: BatchWaitOptions;
  /**
   * How a group of independent operations is sent; default one Mailchimp batch (runBatch). The direct backfill sends
   * each operation as its own request (sendEach), in the order given, so `inlineCustomers` may rely on that order.
   */
  send?: (operations: readonly PlannedOperation['operation'][]) => Promise<BatchOperationResult[]>;
  /**
   * A new buyer travels inside the first of the chunk's orders that names them (an order create carries a new
   * customer's details), instead of a customer write of its own; the buyer's lock is released once those first orders
   * are sent, and the chunk's other orders follow holding only their own locks. Only for a `send` that finishes each
   * group before the next (a batch runs its operations in no particular order).
   */
  inlineCustomers?: boolean;
  /**
   * BACKFILL_MODE=auto's batch lane (beside a direct lane that may need the same buyers): how the orders that bring a
   * new buyer and the variants the lines need are sent, one request each, under the buyers' locks (each new buyer
   * inside its first order, as with `inlineCustomers`); the locks are then released and the chunk's other orders go
   * in one batch (`send`) holding only the orders' own locks. So no buyer's lock is held while Mailchimp runs and
   * finalises a batch, and a direct page needing that buyer (for its other orders) never waits for it. Without it a
   * batch page sends its new buyers in a batch of their own, holding their locks until that batch is finished.
   */
  sendBuyersDirect?: (operations: readonly PlannedOperation['operation'][]) => Promise<BatchOperationResult[]>;
  /** The entity's direct sync (with its transient retries and follow-ups): the fallback for whatever a batch cannot do. */
  direct(type: EntityType, id: string): Promise<SyncOutcome>;
  chunk?: number;
  chunksInFlight?: number;
}

/**
 * Sends a group of operations (env.send, else one Mailchimp batch). Once a batch is submitted, its operations' bodies
 * are dropped: Mailchimp has them, and nothing reads them again (results are matched by operation id, and what the
 * batch hands on is built afresh by the direct path), so a page waiting for its batch does not keep them (about
 * 235 KB for 250 orders of the bench shop).
 */
function send(ctx: SyncContext, env: BatchPageEnv, operations: readonly PlannedOperation['operation'][]): Promise<BatchOperationResult[]> {
  if (env.send) return env.send(operations);
  return runBatch(ctx.deps.mailchimp, operations, {
    ...env.wait,
    onSubmitted: (batchId) => {
      for (const operation of operations) delete operation.body;
      env.wait?.onSubmitted?.(batchId);
    },
  });
}

/** Syncs the rows of one page of `type`; returns one outcome per entity of the page. */
export async function syncPageInBatches(
  ctx: SyncContext, pageEnv: BatchPageEnv, input: { entityType: EntityType; rows: readonly ChangedRow[]; phaseKey: string },
): Promise<SyncOutcome[]> {
  // Sent one request each (the direct backfill): the page's requests wait for a connection behind those of the pages
  // of this worker that started before it (connection-gate.ts, send order), so the pages of a window finish one after
  // another and each reads and records while the others send.
  const order = nextSendOrder();
  const sendEach = pageEnv.send;
  const sendBuyers = pageEnv.sendBuyersDirect;
  const env: BatchPageEnv = {
    ...pageEnv,
    ...(sendEach ? { send: (operations) => inSendOrder(order, () => sendEach(operations)) } : {}),
    ...(sendBuyers ? { sendBuyersDirect: (operations) => inSendOrder(order, () => sendBuyers(operations)) } : {}),
  };
  const ids = [...new Set(input.rows.map((r) => r.entityId))];
  const size = env.chunk ?? BATCH_CHUNK;
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += size) chunks.push(ids.slice(i, i + size));
  const outcomes: SyncOutcome[] = [];
  await forEachConcurrent(chunks, env.chunksInFlight ?? CHUNKS_IN_FLIGHT, async (chunk) => {
    outcomes.push(...(await syncChunk(ctx, env, input.entityType, chunk, input.phaseKey)));
  });
  return outcomes;
}

async function syncChunk(ctx: SyncContext, env: BatchPageEnv, type: EntityType, ids: string[], phaseKey: string): Promise<SyncOutcome[]> {
  switch (type) {
    case 'product':
      return productChunk(ctx, env, ids);
    case 'promo_rule':
      return promoRuleChunk(ctx, env, ids);
    case 'promo_code':
      return promoCodeChunk(ctx, env, ids);
    case 'customer':
      return customerChunk(ctx, env, ids, phaseKey);
    case 'order':
      return orderChunk(ctx, env, ids, phaseKey);
    case 'cart':
      // Carts go direct: a page of them is small (CART_MAX_AGE bounds it), and each is a create or an in-place PATCH.
      return runDirect(env, 'cart', ids);
  }
}

/** Reads many rows: the source's bulk read when it has one, else its single read, a few at a time. */
async function readMany<T>(ids: string[], bulk: ((ids: string[]) => Promise<Map<string, T>>) | undefined, single: (id: string) => Promise<T | null>): Promise<Map<string, T>> {
  if (bulk) return bulk(ids);
  const out = new Map<string, T>();
  await forEachConcurrent(ids, READ_CONCURRENCY, async (id) => {
    const row = await single(id);
    if (row) out.set(id, row);
  });
  return out;
}

async function runDirect(env: BatchPageEnv, type: EntityType, ids: readonly string[]): Promise<SyncOutcome[]> {
  const out: SyncOutcome[] = [];
  await forEachConcurrent(ids, DIRECT_CONCURRENCY, async (id) => {
    out.push(await env.direct(type, id));
  });
  return out;
}

/** Submits the operations, records their outcomes, and syncs directly what the batch handed on. */
async function submitAndApply(ctx: SyncContext, env: BatchPageEnv, operations: PlannedOperation[]): Promise<{ outcomes: SyncOutcome[]; handedOn: string[] }> {
  if (operations.length === 0) return { outcomes: [], handedOn: [] };
  const results = await send(ctx, env, operations.map((o) => o.operation));
  const applied = await applyResults(ctx, operations, results);
  return { outcomes: applied.outcomes, handedOn: applied.direct.map((d) => d.entityId) };
}

/** What a chunk did under its locks, and the entities left to their direct syncs (run after the locks are released). */
interface ChunkResult {
  outcomes: SyncOutcome[];
  direct: string[];
}

/** A built page of one type: the batch, the unchanged, and what goes direct. */
async function submitPage(ctx: SyncContext, env: BatchPageEnv, page: BuiltPage): Promise<ChunkResult> {
  const { outcomes, handedOn } = await submitAndApply(ctx, env, page.operations);
  for (const id of page.unchanged) outcomes.push({ status: 'unchanged', entityId: id });
  return { outcomes, direct: [...page.direct, ...handedOn] };
}

/**
 * Holds the chunk's entity locks from its reads to its records (like one entity's direct sync, db/entity-lock.ts),
 * then runs the direct syncs, each with its own lock: a chain holding locks starts no concurrent syncs.
 */
async function lockedChunk(ctx: SyncContext, env: BatchPageEnv, type: EntityType, ids: readonly string[], work: () => Promise<ChunkResult>): Promise<SyncOutcome[]> {
  const result = await ctx.deps.locks.withLocks(ids.map((id) => ({ type, id })), work);
  result.outcomes.push(...(await runDirect(env, type, result.direct)));
  return result.outcomes;
}

function productChunk(ctx: SyncContext, env: BatchPageEnv, ids: string[]): Promise<SyncOutcome[]> {
  return lockedChunk(ctx, env, 'product', ids, async () => {
    const { source, state, config } = ctx.deps;
    const [found, previous, withoutVariant, referenced] = await Promise.all([
      readMany(ids, source.products?.bind(source), (id) => source.product(id)),
      state.getMany('product', ids),
      source.productIdsOrderedWithoutVariant(ids),
      source.productIdsReferencedByOrders(ids),
    ]);
    const page = buildProductOperations(config.storeId, ctx.settings, ids.map((id) => ({
      id, found: found.get(id) ?? null, previous: previous.get(id) ?? null, orderedWithoutVariant: withoutVariant.has(id), referenced: referenced.has(id),
    })));
    return submitPage(ctx, env, page);
  });
}

function promoRuleChunk(ctx: SyncContext, env: BatchPageEnv, ids: string[]): Promise<SyncOutcome[]> {
  return lockedChunk(ctx, env, 'promo_rule', ids, async () => {
    const { source, state, config } = ctx.deps;
    const [rows, previous] = await Promise.all([readMany(ids, source.promotions?.bind(source), (id) => source.promotion(id)), state.getMany('promo_rule', ids)]);
    const page = buildPromoRuleOperations(config.storeId, ids.map((id) => ({ id, row: rows.get(id) ?? null, previous: previous.get(id) ?? null })));
    return submitPage(ctx, env, page);
  });
}

function promoCodeChunk(ctx: SyncContext, env: BatchPageEnv, ids: string[]): Promise<SyncOutcome[]> {
  return lockedChunk(ctx, env, 'promo_code', ids, async () => {
    const { source, state, config } = ctx.deps;
    const [codes, previous] = await Promise.all([readMany(ids, source.promoCodes?.bind(source), (id) => source.promoCode(id)), state.getMany('promo_code', ids)]);
    const ruleIds = [...new Set([...codes.values()].map((c) => c.promotion_id))];
    const [promotions, rules] = await Promise.all([readMany(ruleIds, source.promotions?.bind(source), (id) => source.promotion(id)), state.getMany('promo_rule', ruleIds)]);
    const page = buildPromoCodeOperations(config.storeId, ctx.settings, config.redemptionUrlTemplate, ids.map((id) => {
      const code = codes.get(id) ?? null;
      return {
        id, code, previous: previous.get(id) ?? null,
        promotion: code ? (promotions.get(code.promotion_id) ?? null) : null,
        ruleSynced: code ? rules.get(code.promotion_id)?.status === 'synced' : false,
      };
    }));
    return submitPage(ctx, env, page);
  });
}

/** Customer rows with what consent needs: the audience is listed (once per phase) only when some contact is decided. */
async function customerRows(ctx: SyncContext, env: BatchPageEnv, ids: string[], phaseKey: string): Promise<{ rows: CustomerRowInput[]; audience: AudienceView }> {
  const { source, state } = ctx.deps;
  const [records, previous] = await Promise.all([
    readMany<CustomerRecord>(ids, source.customers?.bind(source), (id) => source.customer(id)),
    state.getMany('customer', ids),
  ]);
  const rows = ids.map((id) => ({ id, record: records.get(id) ?? null, previous: previous.get(id) ?? null }));
  const decided = rows.filter((r) => {
    if (!r.record) return false;
    const planned = planCustomer(ctx, r.record);
    return planned.kind === 'ok' && !isUnchanged(r.previous, planned.payload.hash);
  });
  if (decided.length === 0) return { rows, audience: { status: () => null, doubleOptIn: false } };
  // Only this chunk's contacts, from the phase's listing (kept in the sync's tables, not in memory).
  const statuses = await env.snapshots.lookup(phaseKey, decided.filter((r) => r.previous === null).map((r) => r.id));
  // A contact the sync wrote before may have changed in the audience since the phase's listing (its own entity
  // workflow ran meanwhile, creating the member): asked afresh, one GET each. The listing decides only for contacts
  // the sync never wrote, whose lock this chunk holds from its read to its record.
  const fresh = new Map<string, MemberStatus | null>();
  await forEachConcurrent(decided.filter((r) => r.previous !== null), READ_CONCURRENCY, async (r) => {
    if (r.record) fresh.set(r.id, await memberStatus(ctx, r.record.email));
  });
  const status = (id: string): MemberStatus | null => (fresh.has(id) ? (fresh.get(id) ?? null) : (statuses.get(id) ?? null));
  const asks = decided.some((r) => r.record && needsAudienceDoubleOptIn(r.record, status(r.id)));
  return { rows, audience: { status, doubleOptIn: asks ? await ctx.doubleOptIn() : false } };
}

function customerChunk(ctx: SyncContext, env: BatchPageEnv, ids: string[], phaseKey: string): Promise<SyncOutcome[]> {
  return lockedChunk(ctx, env, 'customer', ids, async () => {
    const { rows, audience } = await customerRows(ctx, env, ids, phaseKey);
    const page = await buildCustomerOperationsSliced(ctx.deps.config.storeId, ctx.settings, audience, rows);
    return submitPage(ctx, env, page);
  });
}

/**
 * Orders: what they reference first, then a batch of order creates. Products were sent by the products phase; any
 * other (the placeholder of a deleted product) goes through the direct path, before the orders' locks are taken.
 * Then, under the locks of the orders and of the buyers the chunk creates, one batch, finished before the orders are
 * submitted, with the buyers not yet in Mailchimp (registered users were done by the customers phase; guests are PUT
 * here) and the variants lines name that the shop no longer sells. With env.inlineCustomers (the direct backfill) or
 * env.sendBuyersDirect (the auto mode's batch lane) that batch is not made: each new buyer goes inside its first order
 * and the variants are PUT, one request each, and the buyers' locks are released before the other orders are sent. An order whose buyer, product or
 * variant cannot be made ready goes direct, which records why.
 */
async function orderChunk(ctx: SyncContext, env: BatchPageEnv, ids: string[], phaseKey: string): Promise<SyncOutcome[]> {
  const first = await buildOrders(ctx, ids);
  const failedProducts = await ensureProducts(ctx, env, first.page.dependencies);
  return lockedChunk(ctx, env, 'order', ids, () => lockedOrders(ctx, env, ids, phaseKey, failedProducts, first));
}

/**
 * A chunk's orders built into operations, and what they were built from (`reads`, kept only until the chunk reads its
 * rows again under its locks: a batch page does not keep them through its batch's wait, about 450 KB for 250 orders of
 * the bench shop).
 */
interface BuiltOrders {
  reads: OrderRowInput[] | undefined;
  page: BuiltOrderPage;
}

/**
 * Reads the chunk's orders and their sync state and builds them. `earlier`: a build of the same chunk before its locks
 * were taken; when the rows read now are the same (the usual case), its pure result is reused instead of mapping,
 * hashing and validating every order a second time.
 */
async function buildOrders(ctx: SyncContext, ids: string[], earlier?: BuiltOrders): Promise<BuiltOrders> {
  const { source, state, config } = ctx.deps;
  const [found, previous] = await Promise.all([
    readMany(ids, source.orders?.bind(source), (id) => source.order(id)),
    state.getMany('order', ids),
  ]);
  const inputs = ids.map((id) => ({ id, found: found.get(id) ?? null, previous: previous.get(id) ?? null }));
  // Built and compared in slices (util/slices.ts): the answers of the requests in flight are read meanwhile. One
  // chunk at a time (in the order they ask), so the page that started first is ready first, not all of them last.
  if (!earlier) return oneAtATime(async () => ({ reads: inputs, page: await buildOrderOperationsSliced(config.storeId, ctx.settings, inputs) }));
  const reads = earlier.reads;
  earlier.reads = undefined;
  return oneAtATime(async () => {
    const same = reads !== undefined && reads.length === inputs.length && (await everySliced(reads, (row, i) => sameRows(row, inputs[i])));
    return same ? earlier : { reads: undefined, page: await buildOrderOperationsSliced(config.storeId, ctx.settings, inputs) };
  });
}

/** The end of the last build queued in this process (oneAtATime). */
let lastBuild: Promise<unknown> = Promise.resolve();

/**
 * Runs CPU work that gives the event loop turns (a sliced build) after the work queued before it has ended. The work
 * waits for nothing but the CPU, so the queue always moves.
 */
function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const run = lastBuild.then(work);
  lastBuild = run.catch(() => undefined);
  return run;
}

/**
 * Whether two reads hold the same data: plain objects with the same keys in the same order, arrays, dates of the same
 * time, equal bytes and equal primitives. Anything else is not the same (the chunk is built again). As strict as
 * comparing the reads' JSON (which it replaces: the JSON of a chunk's reads was about as costly as building it).
 */
export function sameRows(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Date) return b instanceof Date && Object.is(a.getTime(), b.getTime());
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i += 1) if (!sameRows(a[i], b[i])) return false;
    return true;
  }
  if (ArrayBuffer.isView(a)) return ArrayBuffer.isView(b) && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  const proto: unknown = Object.getPrototypeOf(a);
  if ((proto !== Object.prototype && proto !== null) || Object.getPrototypeOf(b) !== proto || Array.isArray(b) || b instanceof Date || ArrayBuffer.isView(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  for (let i = 0; i < keysA.length; i += 1) {
    const key = keysA[i];
    if (key !== keysB[i] || !sameRows((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/** Products the orders name that are not yet in Mailchimp (deleted or never sent), by their direct sync; returns the ones that failed. */
async function ensureProducts(ctx: SyncContext, env: BatchPageEnv, dependencies: ReadonlyMap<string, OrderDependencies>): Promise<Set<string>> {
  const productIds = [...new Set([...dependencies.values()].flatMap((d) => d.productIds))];
  const productStates = await ctx.deps.state.getMany('product', productIds);
  const failed = new Set<string>();
  await forEachConcurrent(productIds.filter((id) => productStates.get(id)?.status !== 'synced'), DIRECT_CONCURRENCY, async (id) => {
    if ((await env.direct('product', id)).status === 'failed') failed.add(id);
  });
  return failed;
}

/**
 * The ids recorded synced, of a chunk's sync-state rows. A chunk keeps these through its waits for the buyers' locks
 * and for Mailchimp's batch, not the rows (dates, hashes, reasons: about 0.4 MB for the ~650 products and buyers of
 * 250 orders, times the dozen order pages an auto sync has in flight).
 */
function syncedIds(states: ReadonlyMap<string, { status: string }>): Set<string> {
  return new Set([...states].filter(([, row]) => row.status === 'synced').map(([id]) => id));
}

async function lockedOrders(
  ctx: SyncContext, env: BatchPageEnv, ids: string[], phaseKey: string, failedProducts: ReadonlySet<string>, earlier: BuiltOrders,
): Promise<ChunkResult> {
  const { source, state, config } = ctx.deps;
  const { page } = await buildOrders(ctx, ids, earlier);
  const outcomes: SyncOutcome[] = [];
  outcomes.push(...(await recordOrdersSkipped(ctx, page.skipped)));
  const notReady = new Set<string>();

  // A product still missing (it failed, or an order changed since the products were made ready): the order goes direct.
  const productIds = [...new Set([...page.dependencies.values()].flatMap((d) => d.productIds))];
  const syncedProducts = syncedIds(await state.getMany('product', productIds));
  for (const [orderId, deps] of page.dependencies) {
    if (deps.productIds.some((p) => failedProducts.has(p) || !syncedProducts.has(p))) notReady.add(orderId);
  }

  // Buyers not yet in Mailchimp, and variants the lines need: one batch, finished before the orders go.
  const customerIds = [...new Set([...page.dependencies.values()].map((d) => d.customerId))];
  const syncedCustomers = syncedIds(await state.getMany('customer', customerIds));
  const missing = new Set(customerIds.filter((id) => !syncedCustomers.has(id)));
  // What is sent under the buyers' locks (`sent`), and what goes after they are released, holding the orders' only (`ready`).
  const ready: { ready: PlannedOperation[]; sent?: { outcomes: SyncOutcome[]; handedOn: string[] } } = await ctx.deps.locks.withLocks([...missing].map((id) => ({ type: 'customer' as const, id })), async () => {
    let customers: PlannedOperation[] = [];
    if (missing.size > 0) {
      const { rows, audience } = await customerRows(ctx, env, [...missing], phaseKey);
      // Not in slices: other pages may wait for these buyers' locks, so the work under them is done at once.
      const built = buildCustomerOperations(config.storeId, ctx.settings, audience, rows);
      customers = built.operations;
      // Sent meanwhile by another page (whose lock this chunk waited for), with the same content: ready, in both modes.
      for (const id of built.unchanged) missing.delete(id);
    }
    const [products, withoutVariant] = await Promise.all([
      readMany(productIds, source.products?.bind(source), (id) => source.product(id)),
      source.productIdsOrderedWithoutVariant(productIds),
    ]);
    const byCode = new Map([...products].map(([id, p]) => [productRemoteId(p.product.code), { found: p, orderedWithoutVariant: withoutVariant.has(id) }]));
    const variants = buildLineVariantOperations(config.storeId, ctx.settings, page.dependencies, byCode);
    if (env.inlineCustomers || env.sendBuyersDirect) {
      // The variants and the new buyers' first orders, one request each; the other orders go once the locks are released, below.
      const buyersEnv = env.sendBuyersDirect ? { ...env, send: env.sendBuyersDirect } : env;
      const { rest, ...sent } = await sendNewBuyersFirstOrders(ctx, buyersEnv, page, customers, variants, missing, notReady);
      return { ready: rest, sent };
    }
    if (customers.length > 0 || variants.length > 0) {
      const results = await runBatch(ctx.deps.mailchimp, [...customers.map((c) => c.operation), ...variants.map((v) => v.operation)], env.wait);
      const applied = await applyResults(ctx, customers, results);
      const synced = new Set(applied.outcomes.filter((o) => o.status === 'synced').map((o) => o.entityId));
      for (const [orderId, deps] of page.dependencies) {
        if (missing.has(deps.customerId) && !synced.has(deps.customerId)) notReady.add(orderId);
      }
      const byId = resultsById(results);
      for (const v of variants) {
        const code = byId.get(v.operation.operation_id)?.status_code ?? 0;
        if (code < 200 || code >= 300) for (const orderId of v.orderIds) notReady.add(orderId);
      }
    }
    return { ready: page.operations.filter((op) => !notReady.has(op.entityId)) };
  });

  const batched = await submitAndApply(ctx, env, ready.ready);
  outcomes.push(...(ready.sent?.outcomes ?? []), ...batched.outcomes);
  for (const id of page.unchanged) outcomes.push({ status: 'unchanged', entityId: id });
  return { outcomes, direct: [...page.direct, ...notReady, ...(ready.sent?.handedOn ?? []), ...batched.handedOn] };
}

/**
 * Under the buyers' locks, when each buyer not yet in Mailchimp travels inside its first order (env.inlineCustomers,
 * env.sendBuyersDirect): sends the variants the lines need, then the first order of each new buyer (carrying the
 * customer body the consent policy decided, as the customer PUT would), and records each buyer whose order was created
 * synced with that body's hash. Returns the other orders that can go now (`rest`: those whose buyer was ready or has
 * just been created), for the caller to send once it released the buyers' locks: a page sharing a new buyer with this
 * one waits for these first orders only, not for all of this page's orders.
 */
async function sendNewBuyersFirstOrders(
  ctx: SyncContext, env: BatchPageEnv, page: BuiltOrders['page'], customers: readonly PlannedOperation[],
  variants: ReturnType<typeof buildLineVariantOperations>, missing: ReadonlySet<string>, notReady: Set<string>,
): Promise<{ outcomes: SyncOutcome[]; handedOn: string[]; rest: PlannedOperation[] }> {
  if (variants.length > 0) {
    const byId = resultsById(await send(ctx, env, variants.map((v) => v.operation)));
    for (const v of variants) {
      const code = byId.get(v.operation.operation_id)?.status_code ?? 0;
      if (code < 200 || code >= 300) for (const orderId of v.orderIds) notReady.add(orderId);
    }
  }
  const customerOps = new Map(customers.map((c) => [c.entityId, c]));
  const first: PlannedOperation[] = [];
  const later: PlannedOperation[] = [];
  /** The orders whose buyer is ready, left to the caller. */
  const rest: PlannedOperation[] = [];
  /** Order entity id → the customer operation its create carries. */
  const carried = new Map<string, PlannedOperation>();
  const placed = new Set<string>();
  for (const op of page.operations) {
    if (notReady.has(op.entityId)) continue;
    const customerId = page.dependencies.get(op.entityId)?.customerId;
    if (customerId === undefined || !missing.has(customerId)) {
      rest.push(op);
      continue;
    }
    const customerOp = customerOps.get(customerId);
    if (!customerOp) {
      // The buyer cannot travel inline (double opt-in, a refusal): the direct path syncs the buyer, then the order.
      notReady.add(op.entityId);
      continue;
    }
    if (placed.has(customerId)) {
      later.push(op);
      continue;
    }
    const inline = withCustomer(op, customerOp);
    if (!inline) {
      notReady.add(op.entityId);
      continue;
    }
    placed.add(customerId);
    carried.set(op.entityId, customerOp);
    first.push(inline);
  }
  const firstWave = await submitAndApply(ctx, env, first);
  const created = firstWave.outcomes.filter((o) => o.status === 'synced' && carried.has(o.entityId));
  const buyers = created.map((o) => carried.get(o.entityId)).filter((c): c is PlannedOperation => c !== undefined);
  await applyResults(ctx, buyers, buyers.map((c) => ({ operation_id: c.operation.operation_id, status_code: 200, response: null })));
  const sentBuyers = new Set(buyers.map((c) => c.entityId));
  const withBuyer = later.filter((op) => {
    const ok = sentBuyers.has(page.dependencies.get(op.entityId)?.customerId ?? '');
    if (!ok) notReady.add(op.entityId);
    return ok;
  });
  return { ...firstWave, rest: [...rest, ...withBuyer] };
}

/** The order create with the new buyer's details inline (null when the body would not pass the order schema). */
function withCustomer(order: PlannedOperation, customer: PlannedOperation): PlannedOperation | null {
  if (!order.operation.body || !customer.operation.body) return null;
  const body = { ...(JSON.parse(order.operation.body) as Record<string, unknown>), customer: JSON.parse(customer.operation.body) as unknown };
  const checked = validatedJson(orderSchema, body, order.entity);
  if (!checked.ok) return null;
  return { ...order, operation: { ...order.operation, body: checked.json } };
}
