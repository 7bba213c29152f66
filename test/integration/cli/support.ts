import { runCli } from '../../../client/cli/program';
import type { CliOptions } from '../../../client/cli/context';
import { env } from '../../../config/env';
import type { SyncHarness } from '../../support/sync-harness';

export interface CliRun {
  code: number;
  out: string;
  err: string;
  /** stdout parsed as JSON (for --json runs). */
  json<T = Record<string, unknown>>(): T;
}

/** Runs `mcsync` in-process against the harness's database, Temporal client, emulator and task queue. */
export async function cli(h: SyncHarness, args: string[], overrides: CliOptions = {}): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    db: h.t.db,
    temporal: h.client,
    mailchimp: h.mailchimp,
    pollMs: 200,
    config: {
      storeId: h.config.storeId, listId: h.config.listId, taskQueue: h.config.taskQueue,
      namespace: env('TEMPORAL_NAMESPACE'), temporalAddress: env('TEMPORAL_ADDRESS'), uiPort: 8233,
      syncInterval: '1h', optInTimeout: h.config.optInTimeout, redemptionUrlTemplate: h.config.redemptionUrlTemplate,
    },
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    ...overrides,
  });
  return { code, out, err, json: <T>() => JSON.parse(out) as T };
}
