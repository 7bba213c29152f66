/**
 * The sync worker a process runs is built in one place, workers/from-env.ts (activities, pause breaker, metrics,
 * maintenance activities, connection leases), and every command that runs one gives it the V8 flags of
 * workers/node-flags: `npm run worker` (the Dockerfile's CMD), `npm start`, and the benchmark's and the fault suite's
 * worker process (bench/lib.ts reads the file). Tests build their in-process workers with createSyncWorker themselves
 * and are not checked.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { workerNodeEnv } from '../../../workers/worker-node-flags';

const ROOT = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

function codeOf(file: string): string {
  return fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

describe('one production worker', () => {
  it('only workers/from-env.ts builds a sync worker (outside the tests)', () => {
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '*.ts'], { cwd: ROOT, encoding: 'utf8' })
      .split('\0')
      .filter((f) => f && !/^(test|node_modules)\//.test(f) && fs.existsSync(path.join(ROOT, f)));
    expect(files.length).toBeGreaterThan(100);
    const building = files.filter((f) => /\bcreateSyncWorker\s*\(/.test(codeOf(f)) && f !== 'workers/worker.ts');
    expect(building).toEqual(['workers/from-env.ts']);
    const runningOne = files.filter((f) => /\bcreateWorkerFromEnv\s*\(/.test(codeOf(f)) && f !== 'workers/from-env.ts').sort();
    expect(runningOne).toEqual(['bench/worker-child.ts', 'scripts/start.ts', 'workers/main.ts']);
  });

  it('npm start and npm run worker run with the V8 flags of workers/node-flags, tsx in the main thread only', () => {
    for (const script of ['start', 'worker']) expect({ script, command: pkg.scripts[script] }).toEqual({ script, command: expect.stringMatching(/^(exec )?(env \$\(cat workers\/node-env\) )?node .*\$\(cat workers\/node-flags\) .*--require \.\/workers\/typescript\.cjs /) });
    // `--import tsx` would load tsx into every thread (Temporal's workflow thread) and start its module-hooks threads.
    for (const script of ['start', 'worker']) expect({ script, command: pkg.scripts[script] }).toEqual({ script, command: expect.not.stringContaining('--import tsx') });
  });

  it('npm start and npm run worker run with the environment of workers/node-env (glibc malloc arenas capped)', () => {
    for (const script of ['start', 'worker']) expect({ script, command: pkg.scripts[script] }).toEqual({ script, command: expect.stringMatching(/^(exec )?env \$\(cat workers\/node-env\) node /) });
    expect(workerNodeEnv()).toEqual({ MALLOC_ARENA_MAX: '2' });
  });
});
