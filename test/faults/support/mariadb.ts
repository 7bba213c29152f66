/**
 * A MariaDB of our own (the shared one serves every other test): its own data directory under .data/ and port,
 * so it can be killed with SIGKILL and started again on the same data.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suffix } from '../../../bench/lib';
import { DATA_DIR } from '../../../services/paths';
import { portOpen } from '../../../services/process';
import { freePort } from './ports';
import { until } from './harness';

export interface OwnMariaDb {
  /** mysql://mcsync:mcsync@127.0.0.1:PORT/ (a server URL: the database part is chosen by the caller). */
  url: string;
  kill(): Promise<void>;
  start(): Promise<void>;
  starts(): number;
  stop(): Promise<void>;
}

export async function startMariaDb(): Promise<OwnMariaDb> {
  const id = suffix();
  const datadir = path.join(DATA_DIR, `faults-mariadb-${id}`);
  const socket = path.join(os.tmpdir(), `faults-mariadb-${id}.sock`);
  const port = await freePort();
  fs.mkdirSync(datadir, { recursive: true });
  execFileSync('mariadb-install-db', [`--datadir=${datadir}`, '--user=root', '--auth-root-authentication-method=socket', '--skip-test-db'], { stdio: 'ignore' });
  const args = [
    '--no-defaults', `--datadir=${datadir}`, `--socket=${socket}`, `--port=${port}`, '--bind-address=127.0.0.1', '--user=root',
    '--skip-name-resolve', '--skip-log-bin', '--innodb-buffer-pool-size=64M', '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_unicode_ci', `--log-error=${path.join(datadir, 'error.log')}`,
  ];
  let child: ChildProcess | undefined;
  let starts = 0;
  const exited = () => !child || child.exitCode !== null || child.signalCode !== null;
  const start = async () => {
    child = spawn('/usr/sbin/mariadbd', args, { stdio: 'ignore' });
    starts += 1;
    await until('the test MariaDB', async () => fs.existsSync(socket) && (await portOpen('127.0.0.1', port)), 60_000, 200);
  };
  const kill = async () => {
    if (exited()) return;
    const c = child as ChildProcess;
    const gone = new Promise((resolve) => c.once('exit', resolve));
    c.kill('SIGKILL');
    await gone;
  };
  await start();
  execFileSync('mariadb', ['--protocol=socket', `--socket=${socket}`, '-uroot'], {
    input: "CREATE USER 'mcsync'@'%' IDENTIFIED BY 'mcsync'; GRANT ALL PRIVILEGES ON *.* TO 'mcsync'@'%'; FLUSH PRIVILEGES;",
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  return {
    url: `mysql://mcsync:mcsync@127.0.0.1:${port}/`,
    start, kill, starts: () => starts,
    async stop() {
      await kill();
      fs.rmSync(datadir, { recursive: true, force: true });
      fs.rmSync(socket, { force: true });
    },
  };
}
