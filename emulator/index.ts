import { env } from '../config/env';
import { defaultConfig, mergeConfig, type ConfigPatch, type EmulatorConfig } from './config';
import { EmulatorCore, warmSpecValidator } from './core';
import { StatePersistence } from './persistence';
import { buildServer } from './server';
import type { EmulatorState } from './state';

export type { EmulatorConfig, ConfigPatch } from './config';
export type { EmulatorState } from './state';

export interface StartEmulatorOptions {
  /** 0 = a random free port. Default EMULATOR_PORT. */
  port?: number;
  host?: string;
  /** The only key accepted. Default EMULATOR_API_KEY. */
  apiKey?: string;
  /** Load from and save to this JSON file. Default EMULATOR_STATE_FILE (empty = in memory only). */
  stateFile?: string;
  /** The audience that exists at start. Default MAILCHIMP_LIST_ID. */
  listId?: string;
  latencyMs?: number;
  jitterMs?: number;
  maxConcurrent?: number;
  /** double_optin of the initial audience. */
  doubleOptIn?: boolean;
  /** Anything else of the run-time config (faults, batches, webhooks, seed). */
  config?: ConfigPatch;
  /**
   * Parse Mailchimp's spec and compile its validators before listening (about a second), instead of on each route's
   * first call, which then takes up to a second: for a benchmark or a long-running emulator. Default false.
   */
  warm?: boolean;
}

export interface RunningEmulator {
  /** http://HOST:PORT (the Mailchimp API is at `${url}/3.0`). */
  url: string;
  port: number;
  close(): Promise<void>;
  state: EmulatorState;
  /** The running config (read-only view; change it with POST /_emulator/config). */
  config(): EmulatorConfig;
}

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const apiKey = options.apiKey ?? env('EMULATOR_API_KEY');
  const stateFile = options.stateFile ?? env('EMULATOR_STATE_FILE');
  let config = mergeConfig(defaultConfig(), options.config ?? {});
  const direct: ConfigPatch = {};
  if (options.latencyMs !== undefined) direct.latencyMs = options.latencyMs;
  if (options.jitterMs !== undefined) direct.jitterMs = options.jitterMs;
  if (options.maxConcurrent !== undefined) direct.maxConcurrent = options.maxConcurrent;
  config = mergeConfig(config, direct);

  const core = new EmulatorCore({ listId: options.listId ?? env('MAILCHIMP_LIST_ID'), doubleOptIn: options.doubleOptIn ?? false, config });
  let persistence: StatePersistence | undefined;
  if (stateFile) {
    persistence = new StatePersistence(stateFile, () => core.state.toSnapshot());
    const saved = persistence.load();
    if (saved) core.state.loadSnapshot(saved);
    const store = persistence;
    core.onChange = () => store.markDirty();
  }

  if (options.warm) warmSpecValidator();
  const app = buildServer(core, apiKey);
  await app.listen({ port: options.port ?? Number(env('EMULATOR_PORT')), host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  core.setBaseUrl(url);
  core.batches.resume();

  let closed = false;
  return {
    url,
    port,
    state: core.state,
    config: () => core.config(),
    async close() {
      if (closed) return;
      closed = true;
      core.batches.stop();
      await app.close();
      await core.webhooks.idle();
      if (persistence) await persistence.flush();
    },
  };
}
