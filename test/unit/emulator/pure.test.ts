import { defaultConfig, mergeConfig } from '../../../emulator/config';
import { decideFault, latencyFor } from '../../../emulator/faults';
import { parseArgs } from '../../../emulator/main';
import { escapeHtml } from '../../../emulator/page';
import { firedAt, mailchimpTime, page, paging, subscriberHash } from '../../../emulator/util';
import { Random } from '../../../util/random';

describe('util', () => {
  it('formats Mailchimp timestamps and webhook fired_at', () => {
    const d = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
    expect(mailchimpTime(d)).toBe('2024-01-02T03:04:05+00:00');
    expect(firedAt(d)).toBe('2024-01-02 03:04:05');
  });

  it('hashes the lowercased email', () => {
    expect(subscriberHash('A@B.com')).toBe(subscriberHash('a@b.com'));
    expect(subscriberHash('a@b.com')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('pages with defaults and limits', () => {
    expect(paging({})).toEqual({ count: 10, offset: 0 });
    expect(() => paging({ count: '1001' })).toThrow();
    expect(() => paging({ offset: '-1' })).toThrow();
    expect(page([1, 2, 3, 4, 5], 5, { count: 2, offset: 1 })).toEqual({ items: [2, 3], total: 5 });
    expect(page([1, 2, 3, 4, 5], 5, { count: 1, offset: 1 }, (n) => n % 2 === 1)).toEqual({ items: [3], total: 3 });
  });

  it('Random is reproducible from a seed', () => {
    expect(new Random(1).shuffle([1, 2, 3, 4, 5, 6])).toEqual(new Random(1).shuffle([1, 2, 3, 4, 5, 6]));
  });

  it('escapes HTML', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('faults', () => {
  it('decides by the configured probabilities; outage wins', () => {
    const r = new Random(3);
    expect(decideFault(defaultConfig(), r)).toEqual({ kind: 'none' });
    expect(decideFault(mergeConfig(defaultConfig(), { faults: { error503Rate: 1 } }), r)).toEqual({ kind: 'error', status: 503 });
    expect(decideFault(mergeConfig(defaultConfig(), { faults: { error503Rate: 1, outage: true } }), r)).toEqual({ kind: 'outage' });
    const past = mergeConfig(defaultConfig(), { faults: { outageUntil: '2000-01-01T00:00:00Z' } });
    expect(decideFault(past, r)).toEqual({ kind: 'none' });
  });

  it('latency is latencyMs plus up to jitterMs', () => {
    const cfg = mergeConfig(defaultConfig(), { latencyMs: 100, jitterMs: 20 });
    const r = new Random(9);
    for (let i = 0; i < 50; i += 1) {
      const l = latencyFor(cfg, r);
      expect(l).toBeGreaterThanOrEqual(100);
      expect(l).toBeLessThanOrEqual(120);
    }
  });
});

describe('CLI flags', () => {
  it('parses flags into options and config', () => {
    const parsed = parseArgs(['--port', '4010', '--latency-ms', '100', '--jitter-ms', '20', '--state-file', 'x.json', '--double-optin', '--error-500-rate', '0.1', '--outage', '--batch-finalize-ms', '500']);
    expect(parsed).toMatchObject({
      port: 4010,
      latencyMs: 100,
      jitterMs: 20,
      stateFile: 'x.json',
      doubleOptIn: true,
      config: { faults: { error500Rate: 0.1, outage: true }, batches: { finalizeDelayMs: 500 } },
    });
    expect(parseArgs(['--help'])).toBe('help');
    expect(() => parseArgs(['--bogus'])).toThrow();
  });
});
