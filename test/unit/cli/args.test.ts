import { customerIdArg, parseEntityType, parsePositiveInt, parseResyncScope, parseScope } from '../../../client/cli/args';
import { CliError, classifyError } from '../../../client/cli/errors';
import { createProgress, progressLine } from '../../../client/cli/progress';
import { progressTotals } from '../../../client/cli/commands/resync';
import { runCli } from '../../../client/cli/program';
import { customerIdForEmail } from '../../../mapping/ids';
import { MailchimpError } from '../../../mailchimp/mailchimp-error';

function usage(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof CliError ? err.exitCode : -1;
  }
  return undefined;
}

describe('argument parsing', () => {
  it('maps --type scopes and single types to entity types', () => {
    expect(parseScope(undefined).types).toEqual(['product', 'promo_rule', 'promo_code', 'customer', 'order', 'cart']);
    expect(parseScope('promotions')).toEqual({ scope: 'promotions', types: ['promo_rule', 'promo_code'] });
    expect(parseScope('Orders')).toEqual({ scope: 'orders', types: ['order'] });
    expect(parseScope('promo-code')).toEqual({ scope: null, types: ['promo_code'] });
    expect(usage(() => parseScope('gadgets'))).toBe(2);
  });

  it('turns a single type into the resync scope that contains it', () => {
    expect(parseResyncScope('promo_code')).toBe('promotions');
    expect(parseResyncScope('customer')).toBe('customers');
    expect(parseResyncScope(undefined)).toBe('all');
    expect(usage(() => parseResyncScope('x'))).toBe(2);
  });

  it('accepts one entity type for sync, in any usual spelling', () => {
    expect(parseEntityType('products')).toBe('product');
    expect(parseEntityType('promotion')).toBe('promo_rule');
    expect(usage(() => parseEntityType('all'))).toBe(2);
  });

  it('names customers by e-mail or md5', () => {
    const hash = customerIdForEmail('ada@example.com');
    expect(customerIdArg(' Ada@Example.com ', customerIdForEmail)).toBe(hash);
    expect(customerIdArg(hash.toUpperCase(), customerIdForEmail)).toBe(hash);
    expect(usage(() => customerIdArg('ada', customerIdForEmail))).toBe(2);
  });

  it('refuses limits that are not positive whole numbers', () => {
    expect(parsePositiveInt('25', '--limit')).toBe(25);
    for (const bad of ['0', '-1', '2.5', 'ten', '']) expect(usage(() => parsePositiveInt(bad, '--limit'))).toBe(2);
  });
});

describe('runCli usage handling (no services touched)', () => {
  async function run(args: string[]) {
    let out = '';
    let err = '';
    const code = await runCli(args, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
    return { code, out, err };
  }
  it('exits 0 for --help of every command, with the exit codes documented', async () => {
    for (const command of ['enable', 'disable', 'status', 'resync', 'sync', 'errors', 'retry-failed', 'reconcile']) {
      const r = await run([command, '--help']);
      expect([command, r.code]).toEqual([command, 0]);
      expect(r.out).toContain('3  a service cannot be reached');
    }
  });
  it('exits 2 for an unknown command, option, a missing argument or a bad type', async () => {
    expect((await run(['nope'])).code).toBe(2);
    expect((await run(['status', '--bogus'])).code).toBe(2);
    expect((await run(['sync', 'product'])).code).toBe(2);
    const bad = await run(['sync', 'gizmo', '1']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('Unknown entity type "gizmo"');
    expect((await run([])).code).toBe(2);
  });
});

describe('classifyError', () => {
  it('maps connection failures to exit 3 naming the service, everything else to 1', () => {
    expect(classifyError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', fatal: true }))).toEqual({
      exitCode: 3, message: 'Cannot reach the database (DATABASE_URL): connect ECONNREFUSED',
    });
    expect(classifyError(Object.assign(new Error('Access denied'), { code: 'ER_ACCESS_DENIED_ERROR' })).exitCode).toBe(3);
    const network = new MailchimpError({ kind: 'transient', status: 0, title: 'Network Error', detail: 'ECONNREFUSED' });
    expect(classifyError(network).exitCode).toBe(3);
    const invalid = new MailchimpError({ kind: 'validation', status: 400, title: 'Invalid Resource', detail: 'bad' });
    expect(classifyError(invalid).exitCode).toBe(1);
    expect(classifyError(new Error('boom'))).toEqual({ exitCode: 1, message: 'boom' });
  });
});

describe('progress', () => {
  it('draws a bar with percent and counts', () => {
    expect(progressLine(3, 12, 'phase product')).toBe(`[${'#'.repeat(8)}${'-'.repeat(22)}]  25% 3/12 phase product`);
    expect(progressLine(0, 0, 'waiting')).toContain('  0% 0/0 waiting');
  });
  it('redraws in place on a terminal and prints changed lines only otherwise', () => {
    let tty = '';
    const bar = createProgress({ write: (s: string) => (tty += s) }, true);
    bar.update(1, 2, 'x');
    bar.update(2, 2, 'x');
    bar.finish('done');
    const clear = '\r\u001b[2K';
    expect(tty).toBe(`${clear}${progressLine(1, 2, 'x')}${clear}${progressLine(2, 2, 'x')}${clear}done\n`);
    let plain = '';
    const lines = createProgress({ write: (s: string) => (plain += s) }, false);
    lines.update(1, 2, 'x');
    lines.update(1, 2, 'x');
    lines.finish('done');
    expect(plain.split('\n')).toEqual([progressLine(1, 2, 'x'), 'done', '']);
  });
  it('without a terminal, prints a line when the label changes, the work completes, or 2 s passed', () => {
    let plain = '';
    let clock = 0;
    const bar = createProgress({ write: (s: string) => (plain += s) }, false, () => clock);
    bar.update(1, 10, 'a');
    bar.update(2, 10, 'a'); // too soon
    clock = 2500;
    bar.update(3, 10, 'a');
    bar.update(4, 10, 'b'); // new label
    bar.update(10, 10, 'b'); // complete
    expect(plain.split('\n').filter(Boolean)).toEqual([
      progressLine(1, 10, 'a'), progressLine(3, 10, 'a'), progressLine(4, 10, 'b'), progressLine(10, 10, 'b'),
    ]);
  });

  it('totals a resync\'s progress against the shop counts of its phases', () => {
    const counts = { synced: 2, unchanged: 1, skipped: 0, failed: 1, deleted: 0, paused: 0 };
    const progress = { phase: 'customer', phaseIndex: 1, phases: ['product', 'customer'], startedAt: null, pages: 2, counts: { product: counts }, done: false };
    expect(progressTotals(progress, { product: 4, customer: 6, order: 100 })).toEqual({ done: 4, total: 10 });
  });
});
