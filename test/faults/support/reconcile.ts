/**
 * The fault suite's end check. The shop-vs-Mailchimp comparison is the operator's (client/reconcile, as
 * `mcsync reconcile` runs it: every entity present with the right fields, nothing extra, no duplicates), read through
 * the emulator's Mailchimp API. This file adds only what the operator reconcile cannot see:
 * - no order was created more than once (the emulator counts creates per order id, GET /_emulator/stats);
 * - every row the mappers refuse has a failure reason recorded in mc_sync_state;
 * - a row the mappers accept is only excused as "recorded as failed" when it waits for one they refuse: in the fault
 *   scenarios Mailchimp never refuses a valid row, so any other recorded failure of one is a lost entity.
 */
import type { Knex } from 'knex';
import type { Drift, TypeSummary } from '../../../client/reconcile/compare';
import { loadFailures } from '../../../client/reconcile/load';
import { reconcile, type ReconcileReport } from '../../../client/reconcile/reconcile';
import type { MailchimpClient } from '../../../mailchimp';
import { ENTITY_TYPES } from '../../../mapping/ids';
import { createShopDbSource } from '../../../source/shop-db';

export interface FaultReconcileInput {
  db: Knex;
  mailchimp: MailchimpClient;
  storeId: string;
  listId: string;
  redemptionUrlTemplate: string;
  /** From GET /_emulator/stats (`orderCreates`, keyed `store/order id`), counted since the emulator started. */
  orderCreates: Record<string, number>;
}

export interface FaultReconcile {
  /** One line per problem; empty means no drift. */
  problems: string[];
  /** The operator reconcile's report (summaries per type, drifts, rows not sent with their reasons). */
  report: ReconcileReport;
  /** The sync's recorded failures, `type:shop id` → reason. */
  failures: Map<string, string>;
}

export async function reconcileFaultWorld(input: FaultReconcileInput): Promise<FaultReconcile> {
  const failures = await loadFailures(input.db, input.storeId);
  const report = await reconcile({
    source: createShopDbSource(input.db), mailchimp: input.mailchimp, storeId: input.storeId, listId: input.listId,
    redemptionUrlTemplate: input.redemptionUrlTemplate, failures,
  }, ENTITY_TYPES);
  return { problems: faultProblems(report, failures, input.orderCreates), report, failures };
}

/** The operator reconcile's drifts, then the checks only the fault suite makes (pure). */
export function faultProblems(report: ReconcileReport, failures: ReadonlyMap<string, string>, orderCreates: Record<string, number>): string[] {
  const problems: string[] = [];
  if (!report.storeExists) problems.push(`store ${report.storeId} is not in Mailchimp`);
  problems.push(...report.drifts.map(describeDrift));
  for (const [key, creates] of Object.entries(orderCreates)) {
    if (key.startsWith(`${report.storeId}/`) && creates > 1) problems.push(`order ${key.slice(report.storeId.length + 1)} was created ${creates} times`);
  }
  for (const u of report.unsent) {
    if (u.cause === 'refused' && !failures.has(`${u.type}:${u.entityId}`)) {
      problems.push(`${u.type} ${u.entityId} cannot be sent (${u.reason}) but the sync recorded no failure reason`);
    }
    if (u.cause === 'failed' && !/ waits for /.test(u.reason)) {
      problems.push(`${u.type} ${u.entityId} (${u.id}) is valid but missing from Mailchimp, recorded as failed: ${u.reason}`);
    }
  }
  return problems;
}

function describeDrift(d: Drift): string {
  const who = `${d.type} ${d.id}${d.entityId && d.entityId !== d.id ? ` (#${d.entityId})` : ''}`;
  if (d.kind === 'field') return `${who}: ${d.field ?? '?'} is ${JSON.stringify(d.actual)}, the shop says ${JSON.stringify(d.expected)}`;
  return `${who}: ${d.kind}${d.note ? ` (${d.note})` : ''}`;
}

/** Entities compared and found in Mailchimp, per type (excused failures left out). */
export function checkedCount(summaries: readonly TypeSummary[], type: TypeSummary['type']): number {
  const s = summaries.find((x) => x.type === type);
  return s ? s.shop - s.failed - s.missing : 0;
}
