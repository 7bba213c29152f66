import fs from 'node:fs';
import { log, run, which } from './process';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Debian's Chromium for the browser test (no browser can be downloaded here): installed with apt-get when missing. */
export function ensureChromium(): string {
  if (fs.existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (!which('apt-get') || process.getuid?.() !== 0) {
    throw new Error(`${CHROMIUM_PATH} is missing and cannot be installed here (needs Debian and root): apt-get install chromium`);
  }
  log('installing chromium from Debian (once)...');
  run('apt-get', ['update', '-qq'], { quiet: true });
  run('apt-get', ['install', '-y', '-qq', 'chromium'], { quiet: true });
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`apt-get install chromium did not provide ${CHROMIUM_PATH}`);
  return CHROMIUM_PATH;
}
