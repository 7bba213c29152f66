import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * `npm run test:property -- [--runs N] [--seed S] [--path P] [--no-shrink] [--initial N] [--changes N] [--trace] [--scenario F]`:
 * the differential property test with more runs than `npm test` gives it, or one failure replayed (the seed and path
 * fast-check printed), or a scenario in a JSON file (a counterexample, trimmed by hand). Failures are shrunk to a
 * minimal sequence unless --no-shrink. A plain run index as --path starts there: `--seed 9001 --path 62 --runs 138`
 * goes on with a 200-run pass that stopped at run 62.
 */

const FLAGS: Record<string, string> = { '--scenario': 'PROPERTY_SCENARIO', '--runs': 'PROPERTY_RUNS', '--seed': 'PROPERTY_SEED', '--path': 'PROPERTY_PATH', '--initial': 'PROPERTY_INITIAL', '--changes': 'PROPERTY_CHANGES' };

function parse(argv: string[]): Record<string, string> {
  const env: Record<string, string> = { PROPERTY_SHRINK: '1' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.split('=', 2);
    if (flag === '--no-shrink') env.PROPERTY_SHRINK = '0';
    else if (flag === '--trace') env.PROPERTY_TRACE = '1';
    else if (FLAGS[flag]) {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') throw new Error(`${flag} needs a value`);
      env[FLAGS[flag]] = flag === '--scenario' ? path.resolve(process.env.INIT_CWD ?? process.cwd(), value) : value;
    } else throw new Error(`unknown option ${arg} (use --runs, --seed, --path, --no-shrink, --initial, --changes, --trace, --scenario)`);
  }
  return env;
}

let extra: Record<string, string>;
try {
  extra = parse(process.argv.slice(2));
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
const root = path.resolve(__dirname, '../..');
const jest = spawnSync(
  process.execPath,
  [require.resolve('jest/bin/jest', { paths: [root] }), '--runInBand', '--selectProjects', 'property', '--runTestsByPath', 'test/property/differential.test.ts', '-t', 'holds for'],
  { cwd: root, stdio: 'inherit', env: { ...process.env, ...extra } },
);
process.exit(jest.status ?? 1);
