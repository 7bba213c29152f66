import { runCli } from './program';

/** `mcsync` / `npm run cli -- <command>`: see `mcsync --help`. */
if (require.main === module) {
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
