/**
 * The repository stands alone: a user who clones it has nothing beside it. No source, test or script may name a
 * path that resolves outside the repository, and the lock file must match package.json (so `npm ci` works).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const CHECKED = /\.(ts|js|mjs|cjs|sh|json|ya?ml)$|(^|\/)(Dockerfile|run|mcsync)$/;

function trackedFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' });
  return out.split('\0').filter((f) => f && CHECKED.test(f) && !f.startsWith('mailchimp/openapi/') && f !== 'package-lock.json');
}

/** Relative path literals like '../../x', resolved against the file that names them; and the shared folder's names. */
function outsidePaths(file: string, text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/['"`]((?:\.\.\/)+[^'"`\s]*)['"`]/g)) {
    const target = path.resolve(ROOT, path.dirname(file), m[1]);
    if (!target.startsWith(ROOT + path.sep) && target !== ROOT) found.push(m[1]);
  }
  for (const m of text.matchAll(/\bshared\/(reference|seeds|hooks)\b/g)) found.push(m[0]);
  return found;
}

describe('the repository is self-contained', () => {
  it('lists the files it checks', () => {
    expect(trackedFiles().length).toBeGreaterThan(100);
  });

  it('no source, test or script names a path outside the repository', () => {
    const offenders: string[] = [];
    for (const file of trackedFiles()) {
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      for (const p of outsidePaths(file, text)) offenders.push(`${file}: ${p}`);
    }
    expect(offenders).toEqual([]);
  });

  it('the check itself finds a path outside the repository', () => {
    // Built at run time, so this file does not name such a path itself.
    const outside = ['..', '..', '..', '..', ['sha', 'red'].join(''), 'reference', 'a.yml'].join('/');
    expect(outsidePaths('test/unit/x.test.ts', `fs.readFileSync('${outside}')`)).toHaveLength(2);
    expect(outsidePaths('test/unit/x.test.ts', "import x from '../../mapping/ids'")).toEqual([]);
  });

  it('package-lock.json is in sync with package.json (npm ci would install it)', () => {
    execFileSync('npm', ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'pipe' });
  }, 60000);
});
