import fs from 'node:fs';
import path from 'node:path';
import { DATA_DIR, VENV_DIR } from './paths';
import { log, portOpen, run, spawnDetached, stopRecorded, waitFor, which } from './process';

/**
 * A local fake Stripe for tests and the demo: localstripe (PyPI, stateful, sends signed webhooks), installed into the
 * project-local .venv on first use and started on demand, like services/temporal.ts does for Temporal.
 * What it does not cover is listed in docs/stripe.md.
 */

export const LOCALSTRIPE_VERSION = '1.15.10';

export function localstripeBinary(): string {
  const local = path.join(VENV_DIR, 'bin', 'localstripe');
  if (fs.existsSync(local)) return local;
  const python = which('python3') ?? which('python');
  if (!python) throw new Error('python3 is needed to install the fake Stripe (localstripe from PyPI).');
  if (!fs.existsSync(path.join(VENV_DIR, 'bin', 'pip'))) run(python, ['-m', 'venv', VENV_DIR], { quiet: true });
  log(`installing the fake Stripe (PyPI localstripe==${LOCALSTRIPE_VERSION}) into ${VENV_DIR}`);
  run(path.join(VENV_DIR, 'bin', 'pip'), ['install', '--quiet', `localstripe==${LOCALSTRIPE_VERSION}`], { quiet: true });
  if (!fs.existsSync(local)) throw new Error(`localstripe did not install ${local}`);
  return local;
}

/** The local port of a Stripe API URL, or null when the URL is not local (real Stripe, or empty). */
export function localStripePort(apiUrl: string): number | null {
  if (!apiUrl) return null;
  const url = new URL(apiUrl);
  if (!['127.0.0.1', 'localhost'].includes(url.hostname)) return null;
  return Number(url.port || 80);
}

/**
 * Ensures a fake Stripe answers at `apiUrl` (a local http URL). Returns true when it started one (stop it with
 * stopLocalStripe). `name` keeps the pid file apart when tests run their own.
 */
export async function ensureLocalStripe(apiUrl: string, name = 'localstripe'): Promise<boolean> {
  const port = localStripePort(apiUrl);
  if (port === null) throw new Error(`${apiUrl} is not a local address: no fake Stripe is started for it.`);
  if (await portOpen('127.0.0.1', port)) return false;
  const binary = localstripeBinary();
  fs.mkdirSync(DATA_DIR, { recursive: true });
  log(`starting the fake Stripe (localstripe) on ${port}`);
  // --from-scratch: the fake's own disk store (/tmp/localstripe.pickle) is shared by every instance; never load it.
  spawnDetached(name, binary, ['--port', String(port), '--from-scratch']);
  await waitFor('localstripe', () => portOpen('127.0.0.1', port), 90_000, name); // slow on a loaded 2-core machine
  return true;
}

export function stopLocalStripe(name = 'localstripe'): Promise<boolean> {
  return stopRecorded(name);
}

/** Registers a webhook endpoint with the fake (real Stripe: the dashboard or the webhook endpoints API). */
export async function registerLocalStripeWebhook(apiUrl: string, id: string, url: string, secret: string): Promise<void> {
  const res = await fetch(`${apiUrl.replace(/\/+$/, '')}/_config/webhooks/${encodeURIComponent(id)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ url, secret }).toString(),
  });
  if (!res.ok) throw new Error(`localstripe refused the webhook registration: ${res.status}`);
}
