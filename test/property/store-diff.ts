import type { StoreSnapshot } from './store-snapshot';

/**
 * The promise, checked: the store the incremental sync built equals the one a fresh full sync built, resource by
 * resource and field by field. The only allowance is Mailchimp's: an order already sent keeps the customer it was
 * sent with (its customer id may differ, and that customer may remain). A resource both syncs refused (a row the
 * mapping or Mailchimp turns away, recorded as failed) is not compared field by field; it is listed as a note with the
 * reason. What the merchant sees of it still must not depend on the path: the reason each sync recorded (the failures
 * report shows it), and whether Mailchimp holds it at all.
 */

export interface Refusals {
  /** Snapshot key (e.g. products/P-1001) → the reason the sync recorded. */
  incremental: Map<string, string>;
  fresh: Map<string, string>;
}

export interface Comparison {
  diffs: string[];
  notes: string[];
}

function show(value: unknown): string {
  return value === undefined ? '(absent)' : JSON.stringify(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every path where the two values differ, as "path: incremental X, fresh Y". */
export function deepDiff(path: string, a: unknown, b: unknown, out: string[]): void {
  if (isObject(a) && isObject(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) deepDiff(`${path}.${key}`, a[key], b[key], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((item, i) => deepDiff(`${path}[${i}]`, item, b[i], out));
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${path}: incremental ${show(a)}, fresh ${show(b)}`);
}

function customerId(order: Record<string, unknown> | undefined): unknown {
  return isObject(order?.customer) ? order.customer.id : undefined;
}

/** Who a resource is, for a person reading the diff: a customer's address, a product's title. */
function label(resource: Record<string, unknown> | undefined): string {
  const name = resource?.email_address ?? resource?.title;
  return typeof name === 'string' ? ` <${name}>` : '';
}

export function compareStores(incremental: StoreSnapshot, fresh: StoreSnapshot, refused: Refusals): Comparison {
  const diffs: string[] = [];
  const notes: string[] = [];
  const keptCustomers = new Set<unknown>();
  for (const [key, order] of incremental) {
    const other = fresh.get(key);
    if (!key.startsWith('orders/') || !other || customerId(order) === customerId(other)) continue;
    keptCustomers.add(customerId(order));
    notes.push(`${key} keeps the customer it was sent with: ${String(customerId(order))} (a fresh sync sends ${String(customerId(other))})`);
  }
  const bothRefused = (key: string) => refused.incremental.has(key) && refused.fresh.has(key);
  for (const key of [...new Set([...incremental.keys(), ...fresh.keys()])].sort()) {
    const a = incremental.get(key);
    const b = fresh.get(key);
    if (bothRefused(key)) {
      const [mine, theirs] = [refused.incremental.get(key), refused.fresh.get(key)];
      if (mine !== theirs) diffs.push(`${key}: refused by both syncs, for other reasons: incremental ${show(mine)}, fresh ${show(theirs)}`);
      if (Boolean(a) !== Boolean(b)) diffs.push(`${key}${label(a ?? b)}: refused by both syncs, but only in the ${a ? 'incremental' : 'fresh'} store`);
      else notes.push(`${key} is refused by both syncs (${theirs}): not compared`);
      continue;
    }
    if (a && b) {
      if (key.startsWith('orders/') && customerId(a) !== customerId(b)) deepDiff(key, { ...a, customer: undefined }, { ...b, customer: undefined }, diffs);
      else deepDiff(key, a, b, diffs);
      continue;
    }
    if (a && key.startsWith('customers/') && keptCustomers.has(a.id)) {
      notes.push(`${key} remains: an order already sent names it`);
      continue;
    }
    const why = a ? refused.fresh.get(key) : refused.incremental.get(key);
    diffs.push(`${key}${label(a ?? b)}: only in the ${a ? 'incremental' : 'fresh'} store${why ? ` (the ${a ? 'fresh' : 'incremental'} sync recorded: ${why})` : ''}`);
  }
  return { diffs, notes };
}
