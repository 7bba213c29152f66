import path from 'node:path';
import { loadDotEnv } from '../../config/load';
import { runCli } from './program';

/** `mcsync` / `npm run cli -- <command>`: see `mcsync --help`. */
if (require.main === module) {
  loadDotEnv(path.resolve(process.cwd(), '.env'));
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
      // Flush stdout before leaving: a lingering socket must not keep the process alive.
      process.stdout.write('', () => process.exit(code));
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
