/**
 * A Temporal dev server of our own (other tests share the one on 7233): its own port and SQLite file under .data/,
 * which survives a SIGKILL, so the server can be killed and started again with the same history.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { suffix } from '../../../bench/lib';
import { DATA_DIR } from '../../../services/paths';
import { temporalBinary } from '../../../services/temporal';
import { SEARCH_ATTRIBUTE_NAMES as SEARCH_ATTRIBUTES } from '../../../workflows/contract';
import { freePort } from './ports';
import { until } from './harness';

export interface OwnTemporal {
  address: string;
  kill(): Promise<void>;
  start(): Promise<void>;
  starts(): number;
  stop(): Promise<void>;
}

async function healthy(address: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 1000 });
    return (await connection.healthService.check({})).status === 1;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

export async function startTemporalServer(): Promise<OwnTemporal> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const dbFile = path.join(DATA_DIR, `faults-temporal-${suffix()}.db`);
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const args = [
    'server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--headless', '--db-filename', dbFile,
    '--sqlite-pragma', 'journal_mode=WAL', '--log-level', 'error',
    ...SEARCH_ATTRIBUTES.flatMap((name) => ['--search-attribute', `${name}=Keyword`]),
  ];
  let child: ChildProcess | undefined;
  let starts = 0;
  const exited = () => !child || child.exitCode !== null || child.signalCode !== null;
  const start = async () => {
    child = spawn(temporalBinary(), args, { stdio: 'ignore' });
    starts += 1;
    await until('the test Temporal server', () => healthy(address), 90_000, 250);
  };
  const kill = async () => {
    if (exited()) return;
    const c = child as ChildProcess;
    const gone = new Promise((resolve) => c.once('exit', resolve));
    c.kill('SIGKILL');
    await gone;
  };
  await start();
  return {
    address, start, kill, starts: () => starts,
    async stop() {
      await kill();
      for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) fs.rmSync(f, { force: true });
    },
  };
}
