import fs from 'node:fs';
import path from 'node:path';
import { ensureServices } from '../../services';
import { DATA_DIR } from '../../services/paths';

export const STARTED_FILE = path.join(DATA_DIR, 'test-started-services.json');

/**
 * Starts (or reuses) the real Temporal dev server and MariaDB once for the whole run. Several jest projects share
 * this setup: what any of them started is remembered, so the teardown stops exactly that.
 */
export default async function globalSetup(): Promise<void> {
  const started = await ensureServices();
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const before = fs.existsSync(STARTED_FILE) ? (JSON.parse(fs.readFileSync(STARTED_FILE, 'utf8')) as typeof started) : { temporal: false, mariadb: false };
  fs.writeFileSync(STARTED_FILE, JSON.stringify({ temporal: before.temporal || started.temporal, mariadb: before.mariadb || started.mariadb }));
}
