import { Writable } from 'node:stream';
import { classifyFailures } from '../../../activities/failures';
import { ConfigError, maskValue, validateConfig } from '../../../config/load';
import { SECRET_NAMES, secretValues } from '../../../config/secrets';
import { VARIABLES, type VariableSpec } from '../../../config/variables';
import { createLogger } from '../../../observability/logger';

/**
 * Every variable flagged `secret: true` in config/variables.ts: its value never reaches a log line (message, field,
 * error) nor an activity failure (Temporal's history), in any of the forms it could take.
 */

/** A distinctive value per secret variable, in that variable's own shape (built at run time, no key-shaped literal). */
function secretValueFor(name: string): string {
  const token = `${name.toLowerCase().replace(/_/g, '')}${Date.now().toString(36)}Zq9`;
  if (name === 'DATABASE_URL') return `mysql://shop:${token}@db.internal:3306/shop`;
  if (name === 'MAILCHIMP_API_KEY') return [token, 'us21'].join('-');
  return token;
}

const secrets = (VARIABLES as readonly VariableSpec[]).filter((v) => v.secret);
const env: NodeJS.ProcessEnv = Object.fromEntries(secrets.map((v) => [v.name, secretValueFor(v.name)]));
/** The part of each value that must never be seen (a URL's password; the rest of it may be shown). */
const hidden = (name: string) => (name === 'DATABASE_URL' ? new URL(env[name] as string).password : (env[name] as string));

function capture() {
  let text = '';
  const destination = new Writable({ write(chunk: Buffer, _enc, done) { text += chunk.toString(); done(); } });
  return { logger: createLogger({ level: 'info', secrets: secretValues(env), destination }), text: () => text };
}

describe('secrets (the secret: true flags of config/variables.ts)', () => {
  it('flags the credentials', () => {
    expect([...SECRET_NAMES].sort()).toEqual(expect.arrayContaining([
      'DATABASE_URL', 'MAILCHIMP_API_KEY', 'WEBHOOK_SECRET', 'STRIPE_API_KEY', 'STRIPE_WEBHOOK_SECRET', 'TEMPORAL_API_KEY', 'EMULATOR_API_KEY',
    ]));
  });

  it('takes no public default as a secret (the default database password is the service name)', () => {
    expect(secretValues({ DATABASE_URL: 'mysql://mcsync:mcsync@127.0.0.1:3306/mcsync' })).toEqual([]);
  });

  it.each(secrets.map((v) => v.name))('redacts %s from every part of a log line', (name) => {
    const value = env[name] as string;
    const { logger, text } = capture();
    logger.info(`connecting with ${value}`);
    logger.info({ config: { [name]: value }, url: `https://x.example/${encodeURIComponent(value)}` }, 'fields');
    logger.error({ err: new Error(`failed: ${value}`) }, 'error object');
    logger.warn({ quoted: JSON.stringify({ value }) }, 'escaped');
    const lines = text().trim().split('\n');
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      expect(line).not.toContain(hidden(name));
      expect(line).not.toContain(encodeURIComponent(hidden(name)));
    }
    expect(text()).toContain('[REDACTED]');
  });

  it.each(secrets.map((v) => v.name))('redacts %s from activity failures (what Temporal stores)', async (name) => {
    const value = env[name] as string;
    const activities = classifyFailures({ async boom() { throw new Error(`cannot connect using ${value}`); } }, secretValues(env));
    const failure = await activities.boom().then(() => null, (err: Error) => err);
    expect(failure?.message).toContain('cannot connect using');
    expect(failure?.message).not.toContain(hidden(name));
  });

  it.each(secrets.map((v) => [v.name, v] as const))('masks %s wherever a configuration message shows it', (name, spec) => {
    expect(maskValue(spec, env[name] as string)).not.toContain(hidden(name));
  });

  it('masks refused secrets in the configuration error', () => {
    const key = `${hidden('MAILCHIMP_API_KEY')} x`;
    const url = `postgres://shop:${hidden('DATABASE_URL')}@db/shop`;
    const error = new ConfigError(validateConfig({ MAILCHIMP_API_KEY: key, DATABASE_URL: url }));
    expect(error.problems.map((p) => p.name)).toEqual(['DATABASE_URL', 'MAILCHIMP_API_KEY']);
    expect(error.message).not.toContain(hidden('MAILCHIMP_API_KEY'));
    expect(error.message).not.toContain(hidden('DATABASE_URL'));
    expect(error.message).toContain('postgres://shop:****@db/shop');
  });
});
