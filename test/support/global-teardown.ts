import fs from 'node:fs';
import path from 'node:path';
import { stopServices } from '../../services';
import { DATA_DIR } from '../../services/paths';

/** Stops only what the global setup started; servers that were already running stay up. */
export default async function globalTeardown(): Promise<void> {
  const file = path.join(DATA_DIR, 'test-started-services.json');
  if (!fs.existsSync(file)) return;
  const started = JSON.parse(fs.readFileSync(file, 'utf8')) as { temporal: boolean; mariadb: boolean };
  fs.rmSync(file, { force: true });
  await stopServices(started);
}
