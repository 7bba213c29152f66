import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { DATA_DIR } from './paths';

export function log(message: string): void {
  process.stderr.write(`[services] ${message}\n`);
}

export function which(command: string): string | null {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function portOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Starts a long-running server detached from us, output to a log file under .data/, and records its pid. */
export function spawnDetached(name: string, command: string, args: string[]): number {
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const logFd = fs.openSync(path.join(DATA_DIR, `${name}.log`), 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', logFd, logFd] });
  child.unref();
  fs.closeSync(logFd);
  if (child.pid === undefined) throw new Error(`Could not start ${name} (${command})`);
  fs.writeFileSync(pidFile(name), String(child.pid));
  return child.pid;
}

export function pidFile(name: string): string {
  return path.join(DATA_DIR, `${name}.pid`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops a server that spawnDetached started, waiting for it to exit. */
export async function stopRecorded(name: string): Promise<boolean> {
  const file = pidFile(name);
  if (!fs.existsSync(file)) return false;
  const pid = Number(fs.readFileSync(file, 'utf8'));
  fs.rmSync(file, { force: true });
  if (!Number.isInteger(pid) || !alive(pid)) return false;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && alive(pid); i++) await sleep(100);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  return true;
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, logName?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(250);
  }
  const hint = logName ? ` See ${path.join(DATA_DIR, `${logName}.log`)}.` : '';
  throw new Error(`${what} did not become ready within ${Math.round(timeoutMs / 1000)} s.${hint}`);
}

export function run(command: string, args: string[], options: { input?: string; quiet?: boolean } = {}): string {
  return execFileSync(command, args, {
    encoding: 'utf8',
    input: options.input,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', options.quiet ? 'pipe' : 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}
