import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * Every process refuses a bad configuration before doing anything: exit code 2 and a message naming each variable,
 * its value (secrets masked) and what is allowed. Run as real child processes, as an operator would start them.
 */

const ROOT = path.resolve(__dirname, '../../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const key = [`k${Date.now().toString(36)}secret`, 'nodatacentre'].join('-');

const PROCESSES: Array<[string, string[]]> = [
  ['npm start', ['scripts/start.ts']],
  ['worker', ['workers/main.ts']],
  ['mcsync', ['client/cli/main.ts', 'status']],
  ['webhooks:register', ['webhooks/register-main.ts']],
  ['migrate', ['scripts/migrate.ts']],
  ['emulator', ['emulator/main.ts', '--port', '0']],
];

describe('a bad configuration stops every process at start', () => {
  it.each(PROCESSES)('%s exits 2 naming the variables', (name, args) => {
    const run = spawnSync(TSX, args, {
      cwd: ROOT, encoding: 'utf8', timeout: 60_000,
      env: { ...process.env, BACKFILL_MODE: 'turbo', MAILCHIMP_API_KEY: key, TEMPORAL_ADDRESS: '127.0.0.1:1', DATABASE_URL: 'mysql://x:y@127.0.0.1:1/none' },
    });
    expect({ name, status: run.status }).toEqual({ name, status: 2 });
    expect(run.stderr).toContain('BACKFILL_MODE="turbo" is not allowed: use one of direct, batch, auto.');
    expect(run.stderr).toMatch(/MAILCHIMP_API_KEY="\(secret, \d+ characters\)" is not allowed: use a Mailchimp API key/);
    expect(run.stderr + run.stdout).not.toContain(key);
  });
});
