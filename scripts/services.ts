import { env } from '../config/env';
import { ensureServices, stopServices } from '../services';

const HELP = `Usage: npm run services [-- start|stop]

start (default)  Start Temporal (dev server, Web UI) and the shop database, or reuse what already answers
                 at TEMPORAL_ADDRESS and DATABASE_URL. Running it twice is harmless.
stop             Stop the servers that an earlier 'start' launched (never one it merely reused).`;

async function main(): Promise<void> {
  const command = process.argv[2] ?? 'start';
  if (command === '--help' || command === '-h' || command === 'help') {
    console.log(HELP);
    return;
  }
  if (command === 'stop') {
    await stopServices();
    console.log('Stopped the services this project had started.');
    return;
  }
  if (command !== 'start') throw new Error(`Unknown command "${command}".\n${HELP}`);
  const started = await ensureServices();
  const db = new URL(env('DATABASE_URL'));
  console.log(`Temporal   ${env('TEMPORAL_ADDRESS')} namespace ${env('TEMPORAL_NAMESPACE')} (${started.temporal ? 'started' : 'already running'})`);
  console.log(`Web UI     http://127.0.0.1:${env('TEMPORAL_UI_PORT')} (when the dev server was started here)`);
  console.log(`Database   ${db.hostname}:${db.port || 3306}/${db.pathname.slice(1)} (${started.mariadb ? 'started' : 'already running'})`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
