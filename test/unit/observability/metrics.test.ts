import { createSyncMetrics, routeOf, startMetricsServer } from '../../../observability/metrics';
import { instrumentActivities } from '../../../observability/activity-metrics';
import type { Activities } from '../../../activities';

describe('metrics', () => {
  it('replaces ids in Mailchimp paths with :id', () => {
    expect(routeOf('/ecommerce/stores/shop1/products/42/variants/P-42-V1')).toBe('/ecommerce/stores/:id/products/:id/variants/:id');
    expect(routeOf('/lists/a1b2c3/members/0123abcd?fields=status')).toBe('/lists/:id/members/:id');
    expect(routeOf('/ecommerce/stores/s/promo-rules/7/promo-codes/9')).toBe('/ecommerce/stores/:id/promo-rules/:id/promo-codes/:id');
    expect(routeOf('/batches')).toBe('/batches');
    expect(routeOf('/')).toBe('/');
  });

  it('counts Mailchimp requests by method, route and status, with their duration', async () => {
    const m = createSyncMetrics({ defaultMetrics: false });
    m.onMailchimpRequest({ method: 'PUT', path: '/ecommerce/stores/s1/customers/abc', status: 200, durationMs: 120 });
    m.onMailchimpRequest({ method: 'PUT', path: '/ecommerce/stores/s2/customers/def', status: 200, durationMs: 80 });
    m.onMailchimpRequest({ method: 'GET', path: '/lists/l/members/x', status: 0, durationMs: 30_000 });
    const text = await m.registry.metrics();
    expect(text).toContain('mcsync_mailchimp_requests_total{method="PUT",route="/ecommerce/stores/:id/customers/:id",status="200"} 2');
    expect(text).toContain('mcsync_mailchimp_requests_total{method="GET",route="/lists/:id/members/:id",status="0"} 1');
    expect(text).toContain('mcsync_mailchimp_request_duration_seconds_count{method="PUT",route="/ecommerce/stores/:id/customers/:id"} 2');
    expect(text).toMatch(/mcsync_mailchimp_request_duration_seconds_sum\{method="PUT",route="\/ecommerce\/stores\/:id\/customers\/:id"\} 0\.2\b/);
  });

  it('counts entities from the wrapped activities and reports the time since the last scan', async () => {
    const m = createSyncMetrics({ defaultMetrics: false });
    const fake = {
      syncEntityNow: async (input: { entityId: string }) => ({ status: 'failed', entityId: input.entityId, reason: 'x' }),
      syncPage: async () => ({ next: null, counts: { synced: 3, unchanged: 1, skipped: 0, failed: 2, deleted: 0, paused: 0 } }),
      dispatchChanges: async () => ({ dispatched: 0, state: 'scanned' }),
    } as unknown as Activities;
    const wrapped = instrumentActivities(fake, m);
    const lag = async () => (await m.scheduleLag.get()).values[0]?.value;
    expect(await lag()).toBe(0);
    await wrapped.syncEntityNow({ entityType: 'order', entityId: '1' });
    await wrapped.syncPage({ entityType: 'product', after: null, until: '', limit: 50 });
    await wrapped.dispatchChanges({ entityTypes: ['order'] });
    const text = await m.registry.metrics();
    expect(text).toContain('mcsync_entities_synced_total{type="order",outcome="failed"} 1');
    expect(text).toContain('mcsync_entities_synced_total{type="product",outcome="synced"} 3');
    expect(text).toContain('mcsync_entities_synced_total{type="product",outcome="failed"} 2');
    expect(text).not.toContain('outcome="skipped"');
    m.markScan(new Date(Date.now() - 5000));
    expect(await lag()).toBeGreaterThanOrEqual(5);
    expect(await lag()).toBeLessThan(60);
  });

  it('serves /metrics with default node metrics, and appends the Temporal endpoint when given', async () => {
    const m = createSyncMetrics();
    m.countEntities('customer', 'synced', 2);
    const temporal = createSyncMetrics({ defaultMetrics: false });
    temporal.countEntities('fake_temporal', 'ok');
    const upstream = await startMetricsServer({ metrics: temporal, port: 0, host: '127.0.0.1' });
    const server = await startMetricsServer({ metrics: m, port: 0, host: '127.0.0.1', temporalUrl: upstream.url });
    try {
      const res = await fetch(server.url);
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(body).toContain('mcsync_entities_synced_total{type="customer",outcome="synced"} 2');
      expect(body).toContain('process_cpu_user_seconds_total');
      expect(body).toContain('type="fake_temporal"');
      expect((await fetch(server.url.replace('/metrics', '/nope'))).status).toBe(404);
    } finally {
      await server.close();
      await upstream.close();
    }
  });

  it('still answers /metrics when the Temporal endpoint is down', async () => {
    const server = await startMetricsServer({ metrics: createSyncMetrics({ defaultMetrics: false }), port: 0, host: '127.0.0.1', temporalUrl: 'http://127.0.0.1:1/metrics' });
    try {
      const body = await (await fetch(server.url)).text();
      expect(body).toContain('# temporal metrics unavailable');
      expect(body).toContain('mcsync_mailchimp_requests_total');
    } finally {
      await server.close();
    }
  });
});
