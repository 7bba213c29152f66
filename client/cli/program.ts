import { Command, CommanderError } from 'commander';
import { version } from '../../package.json';
import { ConfigError, validateConfig } from '../../config/load';
import { secretValues } from '../../config/secrets';
import { redactSecrets } from '../../mailchimp/redact';
import { ENTITY_TYPES } from '../../mapping/entity-types';
import { parseEntityType, parsePositiveInt, parseResyncScope, SCOPES } from './args';
import { createCliContext, type CliContext, type CliOptions } from './context';
import { classifyError, EXIT, EXIT_CODES_HELP } from './errors';
import { doctorCommand } from './commands/doctor';
import { showCommand } from './commands/show';
import { errorsCommand, retryFailedCommand, syncCommand } from './commands/entities';
import { reconcileCommand } from './commands/reconcile';
import { resyncCommand } from './commands/resync';
import { statusCommand } from './commands/status';
import { disableCommand, enableCommand } from './commands/switch';

const TYPES_HELP = `one of ${SCOPES.join(', ')} (or one entity type: ${ENTITY_TYPES.join(', ')})`;

const ENV_HELP = `
Connections come from the environment (or a .env file in the working directory): DATABASE_URL, TEMPORAL_ADDRESS,
TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE (TEMPORAL_API_KEY and TEMPORAL_TLS_* for Temporal Cloud), MAILCHIMP_API_KEY,
MAILCHIMP_API_URL, MAILCHIMP_STORE_ID, MAILCHIMP_LIST_ID, SYNC_SOURCE; Web UI links use TEMPORAL_UI_URL
(see config/variables.ts).`;

/**
 * Runs one `mcsync` command line and returns its exit code. Never calls process.exit: main.ts does, tests don't.
 * `options` injects services and configuration (tests point them at a harness).
 */
export async function runCli(argv: string[], options: CliOptions = {}): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  let exitCode: number = EXIT.ok;
  let ctx: CliContext | undefined;
  const source = options.env ?? process.env;
  const json = argv.includes('--json');

  const program = new Command('mcsync')
    .description('Operate the Mailchimp e-commerce sync: feature switch, status, resyncs, single syncs, failures and reconcile.')
    .option('--json', 'machine-readable output on stdout, errors included (progress still goes to stderr)')
    .version(version, '-V, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    // With --json a usage error is reported once, as JSON (below), not as commander's text.
    .configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => (json ? undefined : stderr.write(s)) });
  program.addHelpText('after', `${EXIT_CODES_HELP}\n${ENV_HELP}`);

  /**
   * Registers a command whose action gets a context built from the global options. The configuration is checked
   * first (exit 2 naming each bad variable); `doctor` reports it as one of its checks instead.
   */
  const command = (spec: string, description: string, run: (ctx: CliContext, ...args: unknown[]) => Promise<number>, extraHelp = '') => {
    const cmd = program.command(spec).description(description);
    cmd.addHelpText('after', `${extraHelp}${EXIT_CODES_HELP}`);
    cmd.action(async (...args: unknown[]) => {
      const self = args[args.length - 1] as Command;
      const problems = self.name() === 'doctor' ? [] : validateConfig(source);
      if (problems.length > 0) throw new ConfigError(problems);
      ctx = createCliContext(options, Boolean(self.optsWithGlobals<{ json?: boolean }>().json));
      exitCode = await run(ctx, ...args.slice(0, -1));
    });
    return cmd;
  };

  command('enable', 'turn the sync on: shop_settings.mailchimp_sync_enabled = 1, schedules created/unpaused, first full sync if none happened',
    (c) => enableCommand(c));
  command('disable', 'turn the sync off: shop_settings.mailchimp_sync_enabled = 0 and the schedules paused', (c) => disableCommand(c));
  command('doctor', 'check the deployment: configuration, migrations, Temporal (search attributes, workers), Mailchimp (key, audience), store currency, webhook',
    (c) => doctorCommand(c, source),
    '\nEach check that is not fine comes with a one-line fix. Exits 0 when all pass (hints allowed), 1 when one fails,\n3 when a service cannot be reached.\n');
  command('show <type> <id>', 'one entity: its sync state and last error, Mailchimp\'s copy, and its workflow in the Web UI',
    (c, type, id) => showCommand(c, parseEntityType(String(type)), String(id)),
    `\n<type>: ${ENTITY_TYPES.join(', ')}. <id>: as for \`sync\`. Exits 1 when the entity is recorded as failed.\n`);
  command('status', 'counts per entity type (shop, synced, pending, failed), the store\'s is_syncing, schedules, a running full sync',
    (c) => statusCommand(c));
  command('resync', 'start a full resync and follow its progress until it is done (or --detach)',
    (c, opts) => {
      const o = opts as { type?: string; detach?: boolean; pageSize?: string };
      return resyncCommand(c, {
        scope: parseResyncScope(o.type), detach: Boolean(o.detach),
        ...(o.pageSize ? { pageSize: parsePositiveInt(o.pageSize, '--page-size') } : {}),
      });
    },
    '\nA second resync while one runs follows the running one (same workflow id).\n')
    .option('--type <type>', TYPES_HELP, 'all')
    .option('--detach', 'only start it; print the workflow id and the Web UI URL')
    .option('--page-size <n>', 'rows per page (one activity); default 200');
  command('sync <type> <id>', 'sync one entity now and wait for the outcome',
    (c, type, id, opts) => syncCommand(c, parseEntityType(String(type)), String(id), parsePositiveInt((opts as { timeout: string }).timeout, '--timeout') * 1000),
    `\n<type>: ${ENTITY_TYPES.join(', ')}. <id>: the shop id; a product also by code, an order also by\n` +
    'order number, a customer by e-mail or by its md5 customer id.\n')
    .option('--timeout <seconds>', 'give up waiting after this long', '120');
  command('errors', 'list failed entities with the recorded reason (newest first)',
    (c, opts) => {
      const o = opts as { type?: string; limit: string };
      return errorsCommand(c, o.type, parsePositiveInt(o.limit, '--limit'));
    },
    '\nExits 1 when there are failed entities, 0 when there are none.\n')
    .option('--type <type>', TYPES_HELP)
    .option('--limit <n>', 'at most this many', '50');
  command('retry-failed', 'sync every failed entity again (its workflow) and report how many succeed',
    (c, opts) => {
      const o = opts as { type?: string; timeout: string };
      return retryFailedCommand(c, o.type, parsePositiveInt(o.timeout, '--timeout') * 1000);
    })
    .option('--type <type>', TYPES_HELP)
    .option('--timeout <seconds>', 'give up waiting for one entity after this long', '120');
  command('reconcile', 'compare the shop with what Mailchimp holds (counts and field by field); --fix repairs the drift',
    (c, opts) => {
      const o = opts as { type?: string; fix?: boolean; timeout: string };
      return reconcileCommand(c, o.type, { fix: Boolean(o.fix), timeoutMs: parsePositiveInt(o.timeout, '--timeout') * 1000 });
    },
    `
Mailchimp should hold what a fresh full sync of the shop into an empty store would write (computed with the sync's
own mappers). Every field of the store, products and variants, customers, orders (lines, promos), promo rules and
codes is compared: a field the shop leaves empty must be empty in Mailchimp. Extra products, variants, customers,
orders, order lines, promo rules and codes are drift ("extra"), as are items the shop says must not exist (deleted
products no order references, pending orders). Money compares within 0.005, dates as instants.
A customer's opt_in_status is what the consent policy decides from the audience's member status now.
The store's is_syncing must be false unless a full resync is running (else its automations stay off).
Not compared: what Mailchimp computes (created_at/updated_at, orders_count, total_spent, line titles) and an
order's customer (it keeps the one it was sent with).
Rows the mapping refuses, variants left out of their product and entities recorded as failed are listed as
"not sent" with the reason (not drift).
--fix syncs each drifted or missing entity again with force, deletes the extras from Mailchimp, updates the store's
fields, then reconciles again and reports what remains (exit 1 if anything does).
`)
    .option('--type <type>', TYPES_HELP)
    .option('--fix', 'repair the drift (resync with force, delete extras) and re-check')
    .option('--timeout <seconds>', 'give up waiting for one entity after this long', '120');

  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.usage;
    }
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    const report = (code: number, kind: string, message: string, extra: Record<string, unknown> = {}) => {
      const text = redactSecrets(message, secretValues(source));
      if (json) stdout.write(`${JSON.stringify({ error: { kind, exitCode: code, message: text, ...extra } }, null, 2)}\n`);
      else stderr.write(`mcsync: ${text}\n`);
      exitCode = code;
    };
    if (err instanceof CommanderError) {
      const fine = err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version';
      if (fine) exitCode = EXIT.ok;
      else if (json) report(EXIT.usage, 'usage', err.message.replace(/^error: /, ''));
      else exitCode = EXIT.usage;
    } else if (err instanceof ConfigError) {
      report(EXIT.usage, 'configuration', err.message, { problems: err.problems });
    } else {
      const { exitCode: code, message } = classifyError(err);
      report(code, code === EXIT.unreachable ? 'unreachable' : code === EXIT.usage ? 'usage' : 'failure', message);
    }
  } finally {
    await ctx?.close();
  }
  return exitCode;
}
