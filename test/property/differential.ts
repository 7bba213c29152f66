import type { Knex } from 'knex';
import { notifyEntityChanged } from '../../workflows/start';
import { SCAN_SCOPES } from '../../client/schedules';
import type { SyncConfig } from '../../activities/context';
import { changeScanWorkflow } from '../../workflows/change-scan';
import { fullResyncWorkflow } from '../../workflows/full-resync';
import { ShopModel, type Touch } from './shop-model';
import { ShopWriter, type Effect } from './shop-writer';
import { compareStores, type Comparison, type Refusals } from './store-diff';
import { snapshotStore } from './store-snapshot';
import type { Scenario, Step, Write } from './steps';
import { quiesce, type TwoStores } from './stores';

/** A scan blocked by the open transaction of a late commit would hang the run: reported instead, after this long. */
const LATE_COMMIT_LIMIT_MS = 60_000;

let runs = 0;

export interface RunResult extends Comparison {
  log: string[];
}

/**
 * One run: the initial shop, a full sync into the incremental store, the changes (with scans and the immediate path
 * as the steps say), the catch-up, a full sync of the final shop into the empty fresh store, and the comparison.
 */
export async function runScenario(stores: TwoStores, scenario: Scenario, options: { beforeCompare?: () => Promise<void> } = {}): Promise<RunResult> {
  const { h } = stores;
  const run = ++runs;
  let scans = 0;
  await stores.reset();
  const model = new ShopModel();
  const writer = new ShopWriter(model);
  const log: string[] = [];
  const trace = (line: string) => {
    log.push(line);
    if (process.env.PROPERTY_TRACE === '1') process.stderr.write(`[property ${new Date().toISOString()}] ${line}\n`);
  };

  const scanAll = async () => {
    scans += 1;
    trace('scan');
    await Promise.all(SCAN_SCOPES.map((scope) => h.client.workflow.execute(changeScanWorkflow, {
      workflowId: `${h.config.storeId}:scan:${scope}:property-${run}-${scans}`, taskQueue: h.config.taskQueue, args: [{ storeId: h.config.storeId, scope }],
    })));
  };
  const immediately = async (touched: Touch[]) => {
    for (const t of touched) await notifyEntityChanged(h.client, h.config, t.type, t.id);
  };
  const apply = async (db: Knex, w: Write, stamp?: Knex.Raw | Date): Promise<Effect> => {
    const effect = await writer.apply(db, w);
    if (stamp !== undefined && effect.main) await db(effect.main.table).where({ id: effect.main.id }).update({ updated_at: stamp });
    model.remember(effect.touched);
    trace(`${effect.log}${stamp !== undefined && effect.main ? ' [stamped]' : ''}${w.notify && effect.touched.length ? ' + notify' : ''}`);
    return effect;
  };
  const step = async (s: Step) => {
    if (s.kind === 'scan') return scanAll();
    if (s.kind === 'sameMs') {
      // Older than the scan's settling lag, so a scan between the two writes may move the watermark onto the first.
      const [{ t }] = ((await h.t.db.raw('SELECT NOW(3) - INTERVAL 3 SECOND AS t')) as [[{ t: Date }]])[0];
      trace(`same millisecond ${t.toISOString()}:`);
      const first = await apply(h.t.db, s.first, t);
      if (s.first.notify) await immediately(first.touched);
      if (s.scanBetween) await scanAll();
      const second = await apply(h.t.db, s.second, t);
      if (s.second.notify) await immediately(second.touched);
      return;
    }
    if (s.kind === 'lateCommit') return lateCommit(s.write);
    const effect = await apply(h.t.db, s);
    if (s.notify) await immediately(effect.touched);
  };
  const lateCommit = async (w: Write) => {
    const trx = await h.t.db.transaction();
    try {
      trace('late commit begins (updated_at a minute old):');
      const effect = await apply(trx, w, h.t.db.raw('NOW(3) - INTERVAL 60 SECOND'));
      const newer = newerRow(effect.main?.table);
      if (newer) await apply(h.t.db, newer);
      await guard(scanAll(), 'a scan while a transaction was open');
      await trx.commit();
      trace('late commit commits');
      if (w.notify) await immediately(effect.touched);
    } finally {
      if (!trx.isCompleted()) await trx.rollback();
    }
  };

  for (const w of scenario.initial) await apply(h.t.db, { ...w, notify: false });
  await h.client.workflow.execute(fullResyncWorkflow, {
    workflowId: `${h.config.storeId}:full-resync:property-${run}`, taskQueue: h.config.taskQueue, args: [{ storeId: h.config.storeId, types: 'all' }],
  });
  trace('full sync of the incremental store');
  for (const s of scenario.changes) await step(s);

  // The catch-up: the schedules keep running; twice round is what "once the scans have caught up" takes.
  trace('catch-up');
  await quiesce(h.client, h.config, model.known.values());
  for (let round = 0; round < 2; round++) {
    await scanAll();
    await quiesce(h.client, h.config, model.known.values());
  }
  trace('full sync of the fresh store');
  await h.client.workflow.execute(fullResyncWorkflow, {
    workflowId: `${stores.fresh.storeId}:full-resync:property-${run}`, taskQueue: stores.fresh.taskQueue, args: [{ storeId: stores.fresh.storeId, types: 'all' }],
  });
  await quiesce(h.client, stores.fresh, []);
  await options.beforeCompare?.();

  const [incremental, fresh] = await Promise.all([snapshotStore(h.http, h.config.storeId), snapshotStore(h.http, stores.fresh.storeId)]);
  const refused: Refusals = { incremental: await refusals(h.t.db, h.config), fresh: await refusals(h.t.db, stores.fresh) };
  return { ...compareStores(incremental, fresh, refused), log };
}

/** A newer row of the same table that commits while the late transaction is open (a fresh row: no lock to wait for). */
function newerRow(table: string | undefined): Write | undefined {
  const product: Extract<Write, { kind: 'createProduct' }> = { kind: 'createProduct', notify: false, fields: { title: 'Newer', description: null, category: null, vendor: null, seo_url: null, image_url: null, status: 'active', published_at: null }, variants: [] };
  const promotion: Extract<Write, { kind: 'createPromotion' }> = { kind: 'createPromotion', notify: false, fields: { title: 'Newer', description: null, discount_type: 'fixed', amount: '5.00', target: 'total', starts_at: null, ends_at: null, enabled: true }, codes: [] };
  switch (table) {
    case 'products': return product;
    case 'product_variants': return { ...product, variants: [{ title: 'Newer', price: '1.00', currency: 'USD', inventory_quantity: 1, image_url: null, status: 'active' }] };
    case 'users': return { kind: 'createUser', notify: false, email: 'valid', first_name: 'Newer', last_name: null, marketing_opt_in: false };
    case 'orders': return { kind: 'createOrder', notify: false, buyer: { kind: 'guest', reuse: null, email: 'valid', first_name: 'Newer', last_name: null }, fields: { status: 'paid', discount_total: '0.00', tax_total: '0.00', shipping_total: '0.00', order_total: '1.00', promo_code: null, campaign_id: null, landing_site: null }, lines: [{ product: 0, variant: null, quantity: 1, unit_price: '1.00', discount: '0.00' }] };
    case 'promotions': return promotion;
    case 'promo_codes': return { ...promotion, codes: [{ code: 'NEWER', usage_count: 0, enabled: true }] };
    default: return undefined;
  }
}

async function guard<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish: is it waiting for the transaction's locks?`)), LATE_COMMIT_LIMIT_MS);
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What each sync recorded as failed, keyed like the snapshot (products by code, orders by number, codes under their
 * rule), with the store's id in a reason (a request path) written as <store>: the two stores' reasons are compared.
 */
async function refusals(db: Knex, config: SyncConfig): Promise<Map<string, string>> {
  const rows = (await db('mc_sync_state').where({ store_id: config.storeId, status: 'failed' })) as Array<{ entity_type: string; entity_id: string; error_reason: string | null }>;
  const out = new Map<string, string>();
  for (const r of rows) {
    const key = await snapshotKey(db, r.entity_type, r.entity_id);
    if (key) out.set(key, (r.error_reason ?? 'no reason recorded').split(config.storeId).join('<store>'));
  }
  return out;
}

async function snapshotKey(db: Knex, type: string, id: string): Promise<string | undefined> {
  if (type === 'customer') return `customers/${id}`;
  if (type === 'promo_rule') return `promo_rules/${id}`;
  if (type === 'product') {
    const row = (await db('products').where({ id }).first('code')) as { code: string } | undefined;
    return row ? `products/${row.code.trim()}` : undefined;
  }
  if (type === 'order') {
    const row = (await db('orders').where({ id }).first('order_number')) as { order_number: string } | undefined;
    return row ? `orders/${row.order_number.trim()}` : undefined;
  }
  if (type === 'promo_code') {
    const row = (await db('promo_codes').where({ id }).first('promotion_id')) as { promotion_id: string } | undefined;
    return row ? `promo_codes/${row.promotion_id}/${id}` : undefined;
  }
  return undefined;
}
