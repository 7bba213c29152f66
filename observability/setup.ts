import { env, envInt } from '../config/env';
import { secretValues } from '../config/secrets';
import { createLogger, type Logger } from './logger';
import { createSyncMetrics, startMetricsServer, type MetricsServer, type SyncMetrics } from './metrics';
import { installTemporalRuntime, temporalMetricsAddress } from './temporal-runtime';

export interface Observability {
  logger: Logger;
  metrics: SyncMetrics;
  /** Null when METRICS_PORT could not be bound (logged; the worker runs on). */
  metricsServer: MetricsServer | null;
  close(): Promise<void>;
}

/**
 * A worker process's logging and metrics, from LOG_LEVEL and METRICS_PORT: the redacting pino logger (it knows
 * the value of every `secret: true` variable, config/secrets.ts), Temporal's runtime logging through it and exporting its metrics on
 * 127.0.0.1:<METRICS_PORT+1>, and our /metrics on METRICS_PORT (Temporal's appended). Call it before the first
 * NativeConnection.
 */
export async function setupObservability(): Promise<Observability> {
  const logger = createLogger({ level: env('LOG_LEVEL'), secrets: secretValues() });
  const metrics = createSyncMetrics();
  const port = envInt('METRICS_PORT');
  let temporalUrl: string | undefined;
  try {
    installTemporalRuntime(logger, port);
    temporalUrl = `http://${temporalMetricsAddress(port)}/metrics`;
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'Temporal runtime already installed: its logs and metrics keep their defaults');
  }
  let metricsServer: MetricsServer | null = null;
  try {
    metricsServer = await startMetricsServer({ metrics, port, temporalUrl });
    logger.info({ metrics: metricsServer.url, temporalMetrics: temporalUrl ?? null }, 'metrics endpoint listening');
  } catch (err) {
    logger.error({ err: (err as Error).message, port }, 'metrics endpoint could not start');
  }
  return {
    logger,
    metrics,
    metricsServer,
    async close() {
      await metricsServer?.close();
      logger.flush();
    },
  };
}
