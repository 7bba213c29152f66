import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Activities } from '../../../activities';
import { createMailchimpClient } from '../../../mailchimp';
import { instrumentActivities } from '../../../observability/activity-metrics';
import { createSyncMetrics } from '../../../observability/metrics';
import { json, startFakeApi } from '../mailchimp/fake-api';

/** The metrics the example alert file (observability/alerts.yml) is built on. */

interface Sample {
  value: number;
  labels: Record<string, string | number>;
  /** Set on a histogram's _bucket, _sum and _count samples. */
  metricName?: string;
}

const sample = async (m: ReturnType<typeof createSyncMetrics>, name: string): Promise<Sample[]> =>
  ((await m.registry.getMetricsAsJSON()).find((metric) => metric.name === name)?.values ?? []) as Sample[];

describe('metrics for alerts', () => {
  it('records the last successful scan time per entity type, not for a paused scan', async () => {
    const m = createSyncMetrics({ defaultMetrics: false });
    let state = 'scanned';
    const wrapped = instrumentActivities({ dispatchChanges: async () => ({ dispatched: 0, state }) } as unknown as Activities, m);
    const before = Date.now() / 1000;
    await wrapped.dispatchChanges({ entityTypes: ['product'] });
    const values = await sample(m, 'mcsync_last_successful_scan_timestamp_seconds');
    expect(values.map((v) => v.labels)).toEqual([{ type: 'product' }]);
    expect(values[0]?.value).toBeGreaterThanOrEqual(Math.floor(before));
    state = 'paused';
    await wrapped.dispatchChanges({ entityTypes: ['order'] });
    expect((await sample(m, 'mcsync_last_successful_scan_timestamp_seconds')).map((v) => v.labels)).toEqual([{ type: 'product' }]);
  });

  it('exports failed and pending entities per type from the sync state at each scrape', async () => {
    const m = createSyncMetrics({ defaultMetrics: false });
    let rows = [{ entity_type: 'order', status: 'failed', n: 3 }, { entity_type: 'order', status: 'synced', n: 50 }, { entity_type: 'customer', status: 'pending', n: 2 }];
    m.watchSyncState(async () => rows);
    const of = async (type: string, status: string) => (await sample(m, 'mcsync_entities')).find((v) => v.labels.type === type && v.labels.status === status)?.value;
    expect(await of('order', 'failed')).toBe(3);
    expect(await of('customer', 'pending')).toBe(2);
    expect(await of('product', 'failed')).toBe(0);
    expect(await of('order', 'synced')).toBeUndefined();
    rows = [{ entity_type: 'order', status: 'failed', n: 1 }];
    expect(await of('order', 'failed')).toBe(1);
    expect(await of('customer', 'pending')).toBe(0);
  });

  it('measures the wait for a Mailchimp connection slot, from the real client', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const api = await startFakeApi(async (_req, res) => {
      await gate;
      json(res, 200, { id: 'a', name: 'Audience' });
    });
    const m = createSyncMetrics({ defaultMetrics: false });
    const key = [`waitkey${Date.now()}`, 'us1'].join('-');
    const client = createMailchimpClient({ apiKey: key, baseUrl: api.url, maxConnections: 1, onRequest: (e) => m.onMailchimpRequest(e) });
    try {
      const first = client.getList('a');
      const second = client.getList('b');
      setImmediate(() => release());
      await Promise.all([first, second]);
      const values = await sample(m, 'mcsync_mailchimp_connection_wait_seconds');
      expect(values.find((v) => v.metricName === 'mcsync_mailchimp_connection_wait_seconds_count')?.value).toBe(2);
      expect(values.find((v) => v.metricName === 'mcsync_mailchimp_connection_wait_seconds_sum')?.value).toBeGreaterThan(0);
    } finally {
      client.close();
      await api.close();
    }
  });

  it('shows an auth failure until a request succeeds again', async () => {
    const m = createSyncMetrics({ defaultMetrics: false });
    const failing = async () => (await sample(m, 'mcsync_mailchimp_auth_failing'))[0]?.value;
    expect(await failing()).toBe(0);
    m.onMailchimpRequest({ method: 'GET', path: '/lists/x', status: 401, durationMs: 5 });
    expect(await failing()).toBe(1);
    m.onMailchimpRequest({ method: 'GET', path: '/lists/x', status: 404, durationMs: 5 });
    expect(await failing()).toBe(1);
    m.onMailchimpRequest({ method: 'GET', path: '/lists/x', status: 200, durationMs: 5 });
    expect(await failing()).toBe(0);
  });

  it('shows a paused sync per cause (key, audience, store) until it resumes', async () => {
    const m = createSyncMetrics({ defaultMetrics: false });
    const paused = async () => Object.fromEntries((await sample(m, 'mcsync_sync_paused')).map((v) => [v.labels.cause, v.value]));
    expect(await paused()).toEqual({ key: 0, audience: 0, store: 0 });
    m.setSyncPaused('audience');
    expect(await paused()).toEqual({ key: 0, audience: 1, store: 0 });
    m.setSyncPaused('store');
    expect(await paused()).toEqual({ key: 0, audience: 0, store: 1 });
    m.setSyncPaused(null);
    expect(await paused()).toEqual({ key: 0, audience: 0, store: 0 });
  });
});

describe('observability/alerts.yml', () => {
  const file = parse(fs.readFileSync(path.resolve(__dirname, '../../../observability/alerts.yml'), 'utf8')) as {
    groups: Array<{ rules: Array<{ alert: string; expr: string; for?: string; annotations: { summary: string } }> }>;
  };
  const rules = file.groups.flatMap((g) => g.rules);

  it('alerts on a stale scan, a refused API key, a paused sync and rising failures', () => {
    expect(rules.map((r) => r.alert)).toEqual(expect.arrayContaining(['McsyncScanStale', 'McsyncMailchimpAuthFailing', 'McsyncSyncPaused', 'McsyncFailuresRising']));
    for (const rule of rules) expect({ alert: rule.alert, summary: Boolean(rule.annotations.summary), for: rule.for }).toEqual({ alert: rule.alert, summary: true, for: expect.stringMatching(/^\d+[smh]$/) });
  });

  it('uses only metrics the worker exports', async () => {
    const names = new Set((await createSyncMetrics({ defaultMetrics: false }).registry.getMetricsAsJSON()).map((m) => m.name));
    const used = rules.flatMap((r) => [...r.expr.matchAll(/\b(mcsync_[a-z_]+?)(?:_bucket|_sum|_count)?\b(?=[{[\s)]|$)/g)].map((m) => m[1] as string));
    expect(used.length).toBeGreaterThanOrEqual(rules.length);
    expect(used.filter((name) => !names.has(name))).toEqual([]);
  });
});
