import { describePause, pauseCause, readAuthFailure } from '../../../db/sync-pause';
import { pendingMigrations } from '../../../db/knex';
import { validateConfig } from '../../../config/load';
import { env } from '../../../config/env';
import { MailchimpError } from '../../../mailchimp/mailchimp-error';
import { webhookUrl } from '../../../webhooks/register';
import { SEARCH_ATTRIBUTE_NAMES as SEARCH_ATTRIBUTES } from '../../../workflows/contract';
import type { CliContext } from '../context';
import { classifyError, EXIT } from '../errors';
import { table } from '../format';

/** `mcsync doctor`: is this deployment ready? Each check says what it found and, when it is not fine, the fix. */

export type Verdict = 'ok' | 'warn' | 'fail' | 'unreachable';

export interface DoctorCheck {
  name: string;
  verdict: Verdict;
  detail: string;
  fix?: string;
}

const ok = (name: string, detail: string): DoctorCheck => ({ name, verdict: 'ok', detail });
const bad = (name: string, verdict: Exclude<Verdict, 'ok'>, detail: string, fix: string): DoctorCheck => ({ name, verdict, detail, fix });

/** A check that threw: unreachable services become `unreachable`, the rest `fail`. */
function thrown(name: string, err: unknown, fix: string): DoctorCheck {
  const { exitCode, message } = classifyError(err);
  return bad(name, exitCode === EXIT.unreachable ? 'unreachable' : 'fail', message, fix);
}

function configuration(source: NodeJS.ProcessEnv): DoctorCheck[] {
  const problems = validateConfig(source);
  if (problems.length === 0) return [ok('configuration', 'every variable is valid')];
  return problems.map((p) => bad(`configuration ${p.name}`, 'fail', `${p.name}=${JSON.stringify(p.shown)}`, `set ${p.name} to ${p.allowed}`));
}

async function database(ctx: CliContext): Promise<DoctorCheck[]> {
  const fix = 'check DATABASE_URL and that MySQL/MariaDB runs';
  try {
    const pending = await pendingMigrations(ctx.db());
    if (pending.length > 0) {
      return [bad('database migrations', 'fail', `${pending.length} not applied: ${pending.join(', ')}`, 'npm run migrate (compose: docker compose run --rm migrate)')];
    }
    return [ok('database migrations', 'reachable, every migration applied')];
  } catch (err) {
    return [thrown('database', err, fix)];
  }
}

async function temporal(ctx: CliContext): Promise<DoctorCheck[]> {
  const { namespace, taskQueue, temporalAddress } = ctx.config;
  let client;
  try {
    client = await ctx.temporal();
    await client.workflowService.getSystemInfo({});
  } catch (err) {
    return [thrown('temporal', err, `check TEMPORAL_ADDRESS (${temporalAddress}), TEMPORAL_NAMESPACE and, for Temporal Cloud, TEMPORAL_API_KEY or the TLS certificates`)];
  }
  const checks = [ok('temporal', `${temporalAddress}, namespace ${namespace}`)];
  try {
    const { customAttributes } = await client.connection.operatorService.listSearchAttributes({ namespace });
    const missing = SEARCH_ATTRIBUTES.filter((name) => !(name in (customAttributes ?? {})));
    checks.push(missing.length === 0 ? ok('temporal search attributes', SEARCH_ATTRIBUTES.join(', '))
      : bad('temporal search attributes', 'fail', `missing: ${missing.join(', ')}`,
        `temporal operator search-attribute create --namespace ${namespace} ${missing.map((m) => `--name ${m} --type Keyword`).join(' ')}`));
  } catch (err) {
    checks.push(bad('temporal search attributes', 'warn', `could not list them: ${classifyError(err).message}`, `check that ${SEARCH_ATTRIBUTES.join(', ')} (Keyword) exist in the namespace`));
  }
  try {
    const { pollers } = await client.workflowService.describeTaskQueue({ namespace, taskQueue: { name: taskQueue } });
    checks.push((pollers ?? []).length > 0 ? ok('temporal workers', `${(pollers ?? []).length} polling task queue ${taskQueue}`)
      : bad('temporal workers', 'fail', `no worker polls task queue ${taskQueue}`, 'start a worker: npm run worker (compose: docker compose up -d worker), with the same TEMPORAL_TASK_QUEUE'));
  } catch (err) {
    checks.push(thrown('temporal workers', err, 'check TEMPORAL_TASK_QUEUE'));
  }
  return checks;
}

/** The data centre in a Mailchimp API URL (https://us21.api.mailchimp.com/3.0 → us21), if it is one. */
function urlDataCentre(url: string): string | null {
  return /^https?:\/\/([a-z]+\d+)\.api\.mailchimp\.com/i.exec(url)?.[1]?.toLowerCase() ?? null;
}

async function mailchimp(ctx: CliContext, source: NodeJS.ProcessEnv): Promise<DoctorCheck[]> {
  const { listId, storeId } = ctx.config;
  const key = env('MAILCHIMP_API_KEY', source);
  const keyDc = /-([a-z]+\d+)$/.exec(key)?.[1] ?? null;
  const client = ctx.mailchimp();
  const urlDc = urlDataCentre(client.baseUrl);
  if (urlDc && keyDc && urlDc !== keyDc) {
    return [bad('mailchimp key', 'fail', `the key is for data centre ${keyDc}, MAILCHIMP_API_URL points at ${urlDc}`, 'set MAILCHIMP_API_URL empty (the URL then follows the key)')];
  }
  const checks: DoctorCheck[] = [];
  let list: Record<string, unknown>;
  try {
    list = (await client.getList(listId)) as Record<string, unknown>;
    checks.push(ok('mailchimp key', `accepted by ${client.baseUrl}`));
  } catch (err) {
    if (err instanceof MailchimpError && err.kind === 'auth') {
      const paused = await readAuthFailure(ctx.db(), storeId).catch(() => null);
      const since = paused ? `; the sync is paused since ${paused.since.toISOString()}` : '';
      return [bad('mailchimp key', 'fail', `refused (${err.status}): ${err.detail || err.title}${since}`, 'set MAILCHIMP_API_KEY to a valid key <key>-<dc> (Mailchimp: Profile → Extras → API keys)')];
    }
    if (err instanceof MailchimpError && err.kind === 'not_found') {
      const paused = await readAuthFailure(ctx.db(), storeId).catch(() => null);
      const since = paused && pauseCause(paused.reason) === 'audience' ? `; the sync is paused since ${paused.since.toISOString()}` : '';
      return [ok('mailchimp key', `accepted by ${client.baseUrl}`), bad('mailchimp audience', 'fail', `audience ${listId} does not exist${since}`,
        'set MAILCHIMP_LIST_ID to your audience\'s id (Audience → Settings → Audience name and defaults) and restart the worker; the runbook: "The sync is paused"')];
    }
    return [thrown('mailchimp', err, 'check MAILCHIMP_API_URL and the network')];
  }
  const paused = await readAuthFailure(ctx.db(), storeId).catch(() => null);
  if (paused && pauseCause(paused.reason) !== 'store') {
    checks.push(bad('sync paused', 'warn', `the worker paused at ${paused.since.toISOString()} (${paused.reason}); the key and the audience work now`,
      'nothing to do: the worker checks every 30 s and resumes by itself'));
  }
  const doubleOptIn = list.double_optin === true;
  checks.push(ok('mailchimp audience', `${listId} "${String(list.name)}", double opt-in ${doubleOptIn ? 'on: new opted-in contacts are pending until they confirm' : 'off'}`));

  try {
    const shopCurrency = (await ctx.source().settings()).storeCurrency;
    const store = await client.getStore(storeId);
    if (!store && paused && pauseCause(paused.reason) === 'store') {
      checks.push(bad('mailchimp store', 'fail', describePause(paused),
        'if the store was deleted on purpose: mcsync disable; to send everything again: a new MAILCHIMP_STORE_ID, restart the worker (the runbook: "The sync is paused")'));
    } else if (!store) checks.push(ok('store currency', `store ${storeId} not created yet: the first scan creates it in ${shopCurrency || 'the shop\'s currency'}`));
    else if (String(store.currency_code ?? '').toUpperCase() !== shopCurrency) {
      checks.push(bad('store currency', 'fail', `Mailchimp store ${storeId} is in ${String(store.currency_code)}, the shop in ${shopCurrency || '(none)'}`,
        'Mailchimp cannot change a store\'s currency: set the shop\'s store_currency back, or use a new MAILCHIMP_STORE_ID and resync'));
    } else checks.push(ok('store currency', `${shopCurrency}, as the shop`));
    if (store && paused && pauseCause(paused.reason) === 'store') {
      checks.push(bad('sync paused', 'warn', `the worker found store ${storeId} missing at ${paused.since.toISOString()}; it exists now`, 'nothing to do: the worker checks every 30 s and resumes by itself'));
    }
  } catch (err) {
    checks.push(thrown('store currency', err, 'check the shop database and Mailchimp'));
  }

  const secret = env('WEBHOOK_SECRET', source);
  if (!secret) checks.push(bad('audience webhook', 'warn', 'WEBHOOK_SECRET is not set: unsubscribes in Mailchimp do not reach the shop', 'set WEBHOOK_SECRET and WEBHOOK_PUBLIC_URL, restart the worker'));
  else {
    try {
      const url = webhookUrl(env('WEBHOOK_PUBLIC_URL', source), secret);
      const found = (await client.listListWebhooks(listId)).some((hook) => hook.url === url);
      checks.push(found ? ok('audience webhook', `registered at ${env('WEBHOOK_PUBLIC_URL', source)}`)
        : bad('audience webhook', 'fail', `not registered on audience ${listId}`, 'start the worker (it registers it) or npm run webhooks:register; WEBHOOK_PUBLIC_URL must reach WEBHOOK_PORT'));
    } catch (err) {
      checks.push(thrown('audience webhook', err, 'check MAILCHIMP_LIST_ID'));
    }
  }
  return checks;
}

export async function doctorCommand(ctx: CliContext, source: NodeJS.ProcessEnv): Promise<number> {
  const checks = [...configuration(source), ...await database(ctx), ...await temporal(ctx), ...await mailchimp(ctx, source)];
  ctx.emit({ ok: checks.every((c) => c.verdict === 'ok' || c.verdict === 'warn'), checks });
  ctx.say(table(['check', 'result', 'found'], checks.map((c) => [c.name, c.verdict, c.detail])));
  const fixes = checks.filter((c) => c.fix);
  if (fixes.length > 0) {
    ctx.say('');
    for (const c of fixes) ctx.say(`${c.verdict === 'warn' ? 'hint' : 'fix'} (${c.name}): ${c.fix}`);
  }
  if (checks.some((c) => c.verdict === 'unreachable')) return EXIT.unreachable;
  return checks.some((c) => c.verdict === 'fail') ? EXIT.failure : EXIT.ok;
}
