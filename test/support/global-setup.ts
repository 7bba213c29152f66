import fs from 'node:fs';
import path from 'node:path';
import { ensureServices } from '../../services';
import { DATA_DIR } from '../../services/paths';

export const STARTED_FILE = path.join(DATA_DIR, 'test-started-services.json');

/** Starts (or reuses) the real Temporal dev server and MariaDB once for the whole run. */
export default async function globalSetup(): Promise<void> {
  const started = await ensureServices();
  fs.mkdirSync(DATA_DIR, { recursive: true });
  fs.writeFileSync(STARTED_FILE, JSON.stringify(started));
}
