/* The emulator as a process: `npm run emulator -- --port 4010 --latency-ms 100 ...`. */
import { prepareConfigOrExit } from '../config/load';
import { env } from '../config/env';
import type { ConfigPatch } from './config';
import { startEmulator, type StartEmulatorOptions } from './index';

const HELP = `Mailchimp Marketing API v3.0 emulator

Usage: npm run emulator -- [options]

  --port N                 listen port (default EMULATOR_PORT=${env('EMULATOR_PORT')}; 0 = random)
  --host H                 listen address (default 127.0.0.1)
  --api-key KEY            the only accepted API key (default EMULATOR_API_KEY)
  --state-file PATH        load/save state as JSON (default EMULATOR_STATE_FILE)
  --list-id ID             id of the audience that exists at start (default MAILCHIMP_LIST_ID)
  --double-optin           the audience starts with double_optin true
  --latency-ms N           added to every /3.0 call
  --jitter-ms N            plus a random 0..N ms
  --max-concurrent N       simultaneous /3.0 calls per key before 429 (default 10)
  --seed N                 seed for faults and batch shuffling
  --error-500-rate P       probability (0..1) of a 500
  --error-503-rate P       probability of a 503
  --rate-limit-rate P      probability of a 429 with Retry-After
  --retry-after S          Retry-After of those 429s, seconds (default 1)
  --hang-rate P            probability that a call hangs
  --hang-ms N              how long a hanging call hangs (default 130000)
  --reset-rate P           probability of a connection reset
  --bodiless-429-rate P    probability of a 429 with no body (throttling at very high volume)
  --bodiless-403-rate P    probability of a 403 with no body (the same)
  --server-timeout-ms N    a call held this long is cut off with no answer (default 120000, Mailchimp's)
  --outage                 every /3.0 call answers 503 until turned off (POST /_emulator/config)
  --outage-until ISO       every /3.0 call answers 503 until this time
  --batch-ops-per-second N batch processing rate (default 1000)
  --batch-finalize-ms N    delay between a batch's last operation and "finished" (default 0)
  --batch-preprocess-ms N  how long a new batch stays "preprocessing" (default 0)
  --batch-max-pending N    unfinished batches before 429 (default 500)
  --no-batch-shuffle       run batch operations in submitted order
  --help                   this text

Control routes: GET /_emulator/health, /_emulator/stats, /_emulator/state, /_emulator/config;
POST /_emulator/config, /_emulator/reset, /_emulator/stats/reset, /_emulator/lists/{id}/settings,
/_emulator/lists/{id}/members/{hash}/{confirm|unsubscribe|clean|change-email|profile|compliance|forget}; GET / (HTML overview).
`;

export function parseArgs(argv: string[]): StartEmulatorOptions | 'help' {
  const options: StartEmulatorOptions = {};
  const config: ConfigPatch = {};
  const faults: NonNullable<ConfigPatch['faults']> = {};
  const batches: NonNullable<ConfigPatch['batches']> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[i + 1];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      i += 1;
      return v;
    };
    const num = (): number => {
      const raw = value();
      const n = Number(raw);
      if (!Number.isFinite(n)) throw new Error(`${flag} needs a number, got "${raw}"`);
      return n;
    };
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--port': options.port = num(); break;
      case '--host': options.host = value(); break;
      case '--api-key': options.apiKey = value(); break;
      case '--state-file': options.stateFile = value(); break;
      case '--list-id': options.listId = value(); break;
      case '--double-optin': options.doubleOptIn = true; break;
      case '--latency-ms': options.latencyMs = num(); break;
      case '--jitter-ms': options.jitterMs = num(); break;
      case '--max-concurrent': options.maxConcurrent = num(); break;
      case '--seed': config.seed = num(); break;
      case '--error-500-rate': faults.error500Rate = num(); break;
      case '--error-503-rate': faults.error503Rate = num(); break;
      case '--rate-limit-rate': faults.rateLimitRate = num(); break;
      case '--retry-after': faults.retryAfterSeconds = num(); break;
      case '--hang-rate': faults.hangRate = num(); break;
      case '--hang-ms': faults.hangMs = num(); break;
      case '--reset-rate': faults.resetRate = num(); break;
      case '--bodiless-429-rate': faults.bodiless429Rate = num(); break;
      case '--bodiless-403-rate': faults.bodiless403Rate = num(); break;
      case '--server-timeout-ms': faults.serverTimeoutMs = num(); break;
      case '--outage': faults.outage = true; break;
      case '--outage-until': faults.outageUntil = value(); break;
      case '--batch-ops-per-second': batches.opsPerSecond = num(); break;
      case '--batch-finalize-ms': batches.finalizeDelayMs = num(); break;
      case '--batch-preprocess-ms': batches.preprocessMs = num(); break;
      case '--batch-max-pending': batches.maxPending = num(); break;
      case '--no-batch-shuffle': batches.shuffle = false; break;
      default:
        throw new Error(`Unknown option ${flag} (see --help)`);
    }
  }
  if (Object.keys(faults).length > 0) config.faults = faults;
  if (Object.keys(batches).length > 0) config.batches = batches;
  options.config = config;
  return options;
}

async function main(): Promise<void> {
  let parsed: StartEmulatorOptions | 'help';
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  if (parsed === 'help') {
    process.stdout.write(HELP);
    return;
  }
  const emulator = await startEmulator({ ...parsed, warm: true });
  process.stdout.write(`Mailchimp emulator listening on ${emulator.url} (API at ${emulator.url}/3.0)\n`);
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  prepareConfigOrExit('emulator');
  void main();
}
