import fs from 'node:fs';
import path from 'node:path';
import { VARIABLES } from '../../config/variables';

const root = path.resolve(__dirname, '../..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const scripts = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

describe('README', () => {
  it.each(VARIABLES.map((v) => [v.name, v.default] as const))('documents %s with its default', (name, def) => {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
    expect(row).toBeDefined();
    expect(row).toContain(def === '' ? '(empty)' : `\`${def}\``);
  });

  it('documents no variable the code does not read', () => {
    const known = new Set<string>(VARIABLES.map((v) => v.name));
    const rows = readme.split('\n').filter((line) => /^\| `[A-Z][A-Z0-9_]+` \|/.test(line));
    const documented = rows.map((line) => /^\| `([A-Z0-9_]+)`/.exec(line)?.[1] ?? '');
    expect(documented.filter((name) => !known.has(name))).toEqual([]);
  });

  it('has the two quick-start commands, and CI runs the test one', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm install && npm test');
    expect(scripts.start).toBeDefined();
    expect(scripts.test).toBeDefined();
    expect(fs.readFileSync(path.join(root, '.ci/run'), 'utf8')).toContain('npm install && npm test');
  });

  it('names only npm scripts that exist', () => {
    const named = [...readme.matchAll(/npm run ([a-z:-]+)/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((name) => !(name in scripts))).toEqual([]);
  });

  it('links only to files that exist', () => {
    const links = [...readme.matchAll(/\]\(((?!https?:)[^)#]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((link) => !fs.existsSync(path.join(root, link)))).toEqual([]);
  });
});
