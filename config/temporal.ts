import { Client, Connection } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnection, NativeConnectionOptions } from '@temporalio/worker';
import { env } from './env';

/**
 * The one place that knows how to reach Temporal: the worker, the CLI, the webhook tools, `npm start` and the bench
 * all connect through here. @temporalio/envconfig reads the standard TEMPORAL_* variables (address, namespace,
 * API key, TLS and client certificates) and, when TEMPORAL_CONFIG_FILE is set, a profile of that TOML file.
 */
export interface TemporalTarget {
  namespace: string;
  connectionOptions: NativeConnectionOptions & { address: string };
}

/** The TEMPORAL_* variables envconfig understands; only the ones set (non-empty) are passed, so a file's values stand. */
const ENVCONFIG_NAMES = [
  'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_API_KEY', 'TEMPORAL_TLS', 'TEMPORAL_TLS_CLIENT_CERT_PATH',
  'TEMPORAL_TLS_CLIENT_KEY_PATH', 'TEMPORAL_TLS_SERVER_CA_CERT_PATH', 'TEMPORAL_TLS_SERVER_NAME', 'TEMPORAL_PROFILE',
  'TEMPORAL_CONFIG_FILE',
] as const;

type Tls = NativeConnectionOptions['tls'];

/** envconfig reads certificates as Uint8Arrays; the native bridge wants Buffers. */
function asBuffers(tls: Tls): Tls {
  if (!tls || typeof tls !== 'object') return tls;
  const buffer = (data: Uint8Array | undefined) => (data ? Buffer.from(data) : undefined);
  return {
    ...tls,
    serverRootCACertificate: buffer(tls.serverRootCACertificate),
    clientCertPair: tls.clientCertPair ? { crt: Buffer.from(tls.clientCertPair.crt), key: Buffer.from(tls.clientCertPair.key) } : undefined,
  };
}

export function temporalTarget(source: NodeJS.ProcessEnv = process.env): TemporalTarget {
  const overrides: Record<string, string> = {};
  for (const name of ENVCONFIG_NAMES) {
    const value = source[name];
    if (value !== undefined && value !== '') overrides[name] = value;
  }
  const fromFile = overrides.TEMPORAL_CONFIG_FILE !== undefined;
  const loaded = loadClientConnectConfig({ overrideEnvVars: overrides, disableFile: !fromFile });
  const options = loaded.connectionOptions;
  return {
    namespace: loaded.namespace ?? env('TEMPORAL_NAMESPACE', source),
    connectionOptions: {
      ...options,
      tls: asBuffers(options.tls),
      address: options.address ?? env('TEMPORAL_ADDRESS', source),
      apiKey: options.apiKey || undefined,
    },
  };
}

/** "host:7233 namespace default (TLS, API key)": for logs and messages, never the key itself. */
export function describeTemporal(target: TemporalTarget): string {
  const { address, tls, apiKey } = target.connectionOptions;
  const security = [tls ? 'TLS' : null, tls && typeof tls === 'object' && tls.clientCertPair ? 'client certificate' : null, apiKey ? 'API key' : null]
    .filter((s): s is string => s !== null);
  return `${address} namespace ${target.namespace}${security.length ? ` (${security.join(', ')})` : ''}`;
}

/** A Temporal client (for starting workflows, schedules, queries). */
export async function connectTemporalClient(
  target: TemporalTarget = temporalTarget(), options: { connectTimeout?: Duration } = {},
): Promise<Client> {
  const { address, tls, apiKey, metadata } = target.connectionOptions;
  const connection = await Connection.connect({ address, tls: tls ?? undefined, apiKey, metadata, ...options });
  return new Client({ connection, namespace: target.namespace });
}

/** The worker's native connection. @temporalio/worker is loaded only here, so the CLI does not load the native core. */
export async function connectNativeConnection(target: TemporalTarget = temporalTarget()): Promise<NativeConnection> {
  const { NativeConnection: Native } = await import('@temporalio/worker');
  return Native.connect(target.connectionOptions);
}
