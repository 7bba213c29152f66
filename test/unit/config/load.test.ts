import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadDotEnv, maskValue, prepareConfig, validateConfig } from '../../../config/load';
import { VARIABLES, type VariableSpec } from '../../../config/variables';

const specs = VARIABLES as readonly VariableSpec[];

describe('configuration checks (config/variables.ts)', () => {
  it.each(specs.map((v) => [v.name, v.default] as const))('accepts the default of %s', (name, value) => {
    expect(validateConfig({ [name]: value })).toEqual([]);
  });

  it.each([
    ['OPT_IN_TIMEOUT', '7 dayz', 'a duration'],
    ['SYNC_INTERVAL', '10ms', 'at least 1 s'],
    ['BACKFILL_MODE', 'fast', 'one of direct, batch, auto'],
    ['MAILCHIMP_MAX_CONNECTIONS', '0', 'a whole number, 1 or more'],
    ['METRICS_PORT', '70000', 'a port number'],
    ['TEMPORAL_ADDRESS', 'http://temporal:7233', 'host:port'],
    ['DATABASE_URL', 'postgres://app@h/db', 'mysql://'],
    ['MAILCHIMP_API_URL', 'not a url', 'empty, or an http://'],
    ['SYNC_SOURCE', 'shopify', 'one of shop-db, stripe'],
    ['LOG_LEVEL', 'verbose', 'one of trace'],
    ['WEBHOOK_EVENT_RETENTION', 'forever', 'a duration'],
    ['TEMPORAL_TLS', 'yes', 'true, false'],
    ['TEMPORAL_TLS_SERVER_CA_CERT_PATH', '/nonexistent/ca.pem', 'readable file'],
    ['PROMO_REDEMPTION_URL', 'shop/{code}', 'http://'],
    ['STRIPE_CURRENCY', 'euro', 'three-letter'],
  ])('refuses %s=%s, saying what is allowed', (name, value, allowed) => {
    const problems = validateConfig({ [name]: value });
    expect(problems).toEqual([{ name, shown: value, allowed: expect.stringContaining(allowed) }]);
  });

  it('accepts an empty MAILCHIMP_API_URL (the real API) but no empty TEMPORAL_ADDRESS', () => {
    expect(validateConfig({ MAILCHIMP_API_URL: '' })).toEqual([]);
    expect(validateConfig({ TEMPORAL_ADDRESS: '' }).map((p) => p.name)).toEqual(['TEMPORAL_ADDRESS']);
  });

  it('wants a client certificate and its key together', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcsync-cfg-'));
    const cert = path.join(dir, 'client.pem');
    fs.writeFileSync(cert, 'x');
    expect(validateConfig({ TEMPORAL_TLS_CLIENT_CERT_PATH: cert }).map((p) => p.name)).toEqual(['TEMPORAL_TLS_CLIENT_KEY_PATH']);
    expect(validateConfig({ TEMPORAL_TLS_CLIENT_CERT_PATH: cert, TEMPORAL_TLS_CLIENT_KEY_PATH: cert })).toEqual([]);
  });

  it('masks secrets in what it shows, keeping a database URL readable', () => {
    const key = ['0123456789abcdef', 'us21'].join('-');
    const [problem] = validateConfig({ MAILCHIMP_API_KEY: `${key} ` });
    expect(problem?.shown).toBe('(secret, 22 characters)');
    expect(JSON.stringify(problem)).not.toContain(key);
    expect(maskValue({ name: 'DATABASE_URL', secret: true }, 'mysql://u:hunter22@db:3306/shop')).toBe('mysql://u:****@db:3306/shop');
    expect(validateConfig({ DATABASE_URL: 'postgres://u:hunter22@db/shop' })[0]?.shown).toBe('postgres://u:****@db/shop');
    expect(maskValue({ name: 'LOG_LEVEL' }, 'info')).toBe('info');
  });

  it('names every bad variable in one error', () => {
    const env = { OPT_IN_TIMEOUT: 'soon', BACKFILL_MODE: 'fast' };
    expect(() => prepareConfig({ env, dotEnv: false })).toThrow(ConfigError);
    try {
      prepareConfig({ env, dotEnv: false });
    } catch (err) {
      expect((err as Error).message).toContain('OPT_IN_TIMEOUT="soon" is not allowed: use a duration');
      expect((err as Error).message).toContain('BACKFILL_MODE="fast" is not allowed: use one of direct, batch, auto');
    }
  });
});

describe('.env', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcsync-env-'));
  const file = path.join(dir, '.env');
  fs.writeFileSync(file, '# comment\nSYNC_INTERVAL=5m\nMAILCHIMP_LIST_ID="from-file"\nLOG_LEVEL=debug\n');

  it('fills what the environment does not set; the environment wins', () => {
    const target: NodeJS.ProcessEnv = { LOG_LEVEL: 'warn' };
    expect(loadDotEnv(file, target).sort()).toEqual(['MAILCHIMP_LIST_ID', 'SYNC_INTERVAL']);
    expect(target).toEqual({ LOG_LEVEL: 'warn', SYNC_INTERVAL: '5m', MAILCHIMP_LIST_ID: 'from-file' });
  });

  it('is optional', () => {
    expect(loadDotEnv(path.join(dir, 'missing.env'), {})).toEqual([]);
  });

  it('is validated like the environment', () => {
    fs.writeFileSync(path.join(dir, 'bad.env'), 'BACKFILL_MODE=turbo\n');
    expect(() => prepareConfig({ env: {}, dotEnv: path.join(dir, 'bad.env') })).toThrow(/BACKFILL_MODE="turbo"/);
  });
});
