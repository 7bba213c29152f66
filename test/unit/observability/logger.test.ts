import { Writable } from 'node:stream';
import { createLogger, logLevel, maskEmails } from '../../../observability/logger';
import { temporalLogger } from '../../../observability/temporal-runtime';

function capture(): { stream: Writable; lines: () => Array<Record<string, unknown>>; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const text = () => chunks.join('');
  return { stream, text, lines: () => text().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const API_KEY = `${'0123456789abcdef'.repeat(2)}-us21`; // shaped like a key, obviously fake
const SECRET = 'hook-secret/with+odd&chars';

describe('logger', () => {
  it('writes JSON lines with a text level and the configured threshold', () => {
    const out = capture();
    const logger = createLogger({ level: 'warn', destination: out.stream });
    logger.info('hidden');
    logger.warn({ n: 1 }, 'shown');
    expect(out.lines()).toEqual([expect.objectContaining({ level: 'warn', msg: 'shown', n: 1, service: 'mcsync' })]);
  });

  it('falls back to info for an unknown LOG_LEVEL', () => {
    expect(logLevel('DEBUG')).toBe('debug');
    expect(logLevel('loud')).toBe('info');
    expect(logLevel(undefined)).toBe('info');
  });

  it('redacts the API key and the webhook secret wherever they appear, in any encoding', () => {
    const out = capture();
    const logger = createLogger({ destination: out.stream, secrets: [API_KEY, SECRET] });
    logger.info({ url: `https://x.example/webhooks/mailchimp/${encodeURIComponent(SECRET)}`, note: `key ${API_KEY}` }, `secret is ${SECRET}`);
    logger.info({ nested: { quoted: JSON.stringify({ s: SECRET }) } }, 'nested');
    const text = out.text();
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(encodeURIComponent(SECRET));
    expect(text).toContain('/webhooks/mailchimp/[REDACTED]');
    expect(out.lines()[0]).toMatchObject({ msg: 'secret is [REDACTED]', note: 'key [REDACTED]' });
  });

  it('redacts anything shaped like an API key even when it was not configured', () => {
    const out = capture();
    createLogger({ destination: out.stream }).info(`other key ${"fedcba9876543210".repeat(2)}-us3`);
    expect(out.lines()[0].msg).toBe('other key [REDACTED]');
  });

  it('redacts credential fields and Authorization headers', () => {
    const out = capture();
    const logger = createLogger({ destination: out.stream });
    logger.info({ apiKey: 'plain-value', secret: 's3cr3t-value', headers: { authorization: 'Basic dXNlcjpwYXNz' }, req: { headers: { authorization: 'Bearer abc.def' } } }, 'x');
    logger.info('Authorization: Basic dXNlcjpwYXNz');
    const [first, second] = out.lines();
    expect(first).toMatchObject({ apiKey: '[REDACTED]', secret: '[REDACTED]', headers: { authorization: '[REDACTED]' }, req: { headers: { authorization: '[REDACTED]' } } });
    expect(out.text()).not.toContain('dXNlcjpwYXNz');
    expect(second.msg).toBe('Authorization: Basic [REDACTED]');
  });

  it('masks the local part of email addresses in messages and fields', () => {
    const out = capture();
    createLogger({ destination: out.stream }).info({ member: 'Jane.Doe+shop@Example.co.uk' }, 'unsubscribed bob@example.com');
    const [line] = out.lines();
    expect(line).toMatchObject({ member: 'J***@Example.co.uk', msg: 'unsubscribed b***@example.com' });
    expect(out.text()).not.toMatch(/jane\.doe|bob@/i);
    expect(maskEmails('no address here')).toBe('no address here');
  });

  it("passes Temporal's logs through the same scrubbing", () => {
    const out = capture();
    const temporal = temporalLogger(createLogger({ level: 'debug', destination: out.stream, secrets: [API_KEY] }));
    temporal.warn(`activity failed for ada@example.com with ${API_KEY}`, { workflowId: 'w1' });
    temporal.trace('below the threshold');
    expect(out.lines()).toEqual([expect.objectContaining({ level: 'warn', component: 'temporal', workflowId: 'w1', msg: 'activity failed for a***@example.com with [REDACTED]' })]);
  });
});
