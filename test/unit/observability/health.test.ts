import { createSyncMetrics, startMetricsServer, type MetricsServer } from '../../../observability/metrics';
import { workerHealth } from '../../../workers/health';

/** GET /healthz, which the container's health check calls: the worker runs and Temporal answers on its connection. */

let server: MetricsServer;
const healthz = async () => {
  const res = await fetch(server.url.replace('/metrics', '/healthz'));
  return { status: res.status, body: (await res.json()) as { ok: boolean; detail: string } };
};

beforeAll(async () => {
  server = await startMetricsServer({ metrics: createSyncMetrics({ defaultMetrics: false }), port: 0, host: '127.0.0.1' });
});
afterAll(() => server.close());

type Service = Parameters<typeof workerHealth>[1]['workflowService'];
const connection = (getSystemInfo: () => Promise<unknown>) => ({ workflowService: { getSystemInfo } as unknown as Service });

describe('/healthz', () => {
  it('is 503 while the worker is starting', async () => {
    expect(await healthz()).toEqual({ status: 503, body: { ok: false, detail: 'starting' } });
  });

  it('is 200 when the worker runs and Temporal answers', async () => {
    server.setHealth(workerHealth({ getState: () => 'RUNNING' }, connection(async () => ({}))));
    expect(await healthz()).toEqual({ status: 200, body: { ok: true, detail: 'worker running, Temporal reachable' } });
  });

  it('is 503 naming the cause when Temporal does not answer', async () => {
    server.setHealth(workerHealth({ getState: () => 'RUNNING' }, connection(async () => {
      throw new Error('14 UNAVAILABLE: connection refused');
    })));
    expect(await healthz()).toEqual({ status: 503, body: { ok: false, detail: 'Temporal unreachable: 14 UNAVAILABLE: connection refused' } });
  });

  it('is 503 when the worker stopped or failed, without asking Temporal', async () => {
    const asked = jest.fn(async () => ({}));
    server.setHealth(workerHealth({ getState: () => 'FAILED' }, connection(asked)));
    expect(await healthz()).toEqual({ status: 503, body: { ok: false, detail: 'worker is FAILED' } });
    expect(asked).not.toHaveBeenCalled();
  });
});
