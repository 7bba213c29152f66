import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import type { Logger } from 'pino';

/** Temporal's levels → pino's. */
const LEVEL: Record<LogEntry['level'], 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error',
};

/** The Temporal SDK's logs (worker, activities, workflow sinks) written through our pino logger. */
export function temporalLogger(logger: Logger): DefaultLogger {
  const child = logger.child({ component: 'temporal' });
  const threshold = child.level === 'silent' ? 'ERROR' : (child.level.toUpperCase() as LogEntry['level']);
  const level = (['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const).includes(threshold) ? threshold : 'INFO';
  return new DefaultLogger(level, (entry) => {
    child[LEVEL[entry.level]]({ ...(entry.meta ?? {}) }, entry.message);
  });
}

/** Where Temporal's own worker metrics are served: the port after METRICS_PORT. */
export function temporalMetricsAddress(metricsPort: number): string {
  return `127.0.0.1:${metricsPort + 1}`;
}

/**
 * Installs the process-wide Temporal runtime: our logger, and Temporal's Prometheus exporter on
 * 127.0.0.1:<METRICS_PORT+1> (also proxied into our /metrics). Must run before the first NativeConnection.
 */
export function installTemporalRuntime(logger: Logger, metricsPort: number): void {
  Runtime.install({
    logger: temporalLogger(logger),
    telemetryOptions: { metrics: { prometheus: { bindAddress: temporalMetricsAddress(metricsPort) } } },
  });
}
