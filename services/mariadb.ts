import fs from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { DATA_DIR } from './paths';
import { log, portOpen, run, spawnDetached, waitFor, which } from './process';

/**
 * The shop database for development and tests: reuse whatever answers at DATABASE_URL;
 * otherwise, on a local address, run a project-local MariaDB (installed from Debian when missing).
 */

export interface DatabaseTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export function parseDatabaseUrl(url: string): DatabaseTarget {
  const u = new URL(url);
  if (u.protocol !== 'mysql:') throw new Error('DATABASE_URL must start with mysql:// (MySQL 8 or MariaDB)');
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.replace(/^\//, ''),
  };
}

const SOCKET = path.join(DATA_DIR, 'mariadb.sock');
const DATADIR = path.join(DATA_DIR, 'mariadb');

async function canLogIn(t: DatabaseTarget): Promise<boolean> {
  try {
    const conn = await mysql.createConnection({ host: t.host, port: t.port, user: t.user, password: t.password, connectTimeout: 2000 });
    await conn.end();
    return true;
  } catch {
    return false;
  }
}

function isLocal(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1';
}

function serverBinary(): string | null {
  return which('mariadbd') ?? (fs.existsSync('/usr/sbin/mariadbd') ? '/usr/sbin/mariadbd' : null);
}

function installMariaDb(): void {
  if (!which('apt-get') || process.getuid?.() !== 0) {
    throw new Error('No MySQL answers at DATABASE_URL and MariaDB cannot be installed here (needs Debian and root). Start MySQL 8 or MariaDB and set DATABASE_URL.');
  }
  log('installing mariadb-server from Debian (once)...');
  run('apt-get', ['update', '-qq'], { quiet: true });
  run('apt-get', ['install', '-y', '-qq', 'mariadb-server', 'mariadb-client'], { quiet: true });
}

function sql(statements: string): void {
  run(which('mariadb') ?? 'mysql', ['--protocol=socket', `--socket=${SOCKET}`, '-uroot'], { input: statements, quiet: true });
}

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Ensures the database at `url` answers with its credentials and the database exists. Returns true when we started a server. */
export async function ensureMariaDb(url: string): Promise<boolean> {
  const target = parseDatabaseUrl(url);
  if (await canLogIn(target)) {
    await createDatabase(target);
    return false;
  }
  if (await portOpen(target.host, target.port)) {
    throw new Error(`A database answers at ${target.host}:${target.port} but refuses user "${target.user}". Check DATABASE_URL.`);
  }
  if (!isLocal(target.host)) throw new Error(`Nothing answers at ${target.host}:${target.port} (DATABASE_URL).`);

  if (!serverBinary()) installMariaDb();
  const binary = serverBinary();
  if (!binary) throw new Error('mariadbd was not found after installing mariadb-server.');

  if (!fs.existsSync(path.join(DATADIR, 'mysql'))) {
    fs.mkdirSync(DATADIR, { recursive: true });
    log(`initialising MariaDB data in ${DATADIR}`);
    run(which('mariadb-install-db') ?? 'mysql_install_db', [
      `--datadir=${DATADIR}`, '--user=root', '--auth-root-authentication-method=socket', '--skip-test-db',
    ], { quiet: true });
  }
  log(`starting MariaDB on ${target.host}:${target.port}`);
  spawnDetached('mariadb', binary, [
    '--no-defaults', `--datadir=${DATADIR}`, `--socket=${SOCKET}`, `--port=${target.port}`, '--bind-address=127.0.0.1',
    '--user=root', '--skip-name-resolve', '--skip-log-bin', '--max-connections=1000',
    '--innodb-buffer-pool-size=512M', '--innodb-flush-log-at-trx-commit=2', '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_unicode_ci', `--log-error=${path.join(DATA_DIR, 'mariadb.err')}`,
  ]);
  await waitFor('MariaDB', async () => fs.existsSync(SOCKET) && (await portOpen('127.0.0.1', target.port)), 60_000, 'mariadb');
  const user = quote(target.user);
  const password = quote(target.password);
  // Tests create a database per file, so the development user may create databases.
  sql(`CREATE USER IF NOT EXISTS ${user}@'%' IDENTIFIED BY ${password};
       CREATE USER IF NOT EXISTS ${user}@'localhost' IDENTIFIED BY ${password};
       GRANT ALL PRIVILEGES ON *.* TO ${user}@'%';
       GRANT ALL PRIVILEGES ON *.* TO ${user}@'localhost';
       FLUSH PRIVILEGES;`);
  await waitFor('MariaDB login', () => canLogIn(target), 20_000, 'mariadb');
  await createDatabase(target);
  return true;
}

async function createDatabase(t: DatabaseTarget): Promise<void> {
  if (!t.database) return;
  const conn = await mysql.createConnection({ host: t.host, port: t.port, user: t.user, password: t.password });
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${t.database.replace(/`/g, '')}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.end();
  }
}
