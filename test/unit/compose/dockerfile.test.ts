import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { prebuiltWorkflowBundle, writeWorkflowBundle, WORKFLOW_BUNDLE_PATH } from '../../../workers/bundle';

/**
 * The Dockerfile, read as a build would: its stages, what each copies and runs. No Docker engine runs here, so the
 * runtime stage is checked against the import graph of the processes the image runs (every folder they load is
 * copied, nothing from test/, bench/ or docs/ is needed, every package they import is a production dependency),
 * and the bundle step is run for real.
 */

const ROOT = path.resolve(__dirname, '../../..');
const text = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
// Continuation lines joined, comments and blank lines dropped.
const instructions = text.replace(/\\\n\s*/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

interface Stage {
  name: string;
  from: string;
  lines: string[];
}

const stages: Stage[] = [];
for (const line of instructions) {
  const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?$/i.exec(line);
  if (from) stages.push({ from: from[1] as string, name: from[2] ?? String(stages.length), lines: [] });
  else stages[stages.length - 1]?.lines.push(line);
}
const stage = (name: string): Stage => {
  const found = stages.find((s) => s.name === name);
  if (!found) throw new Error(`Dockerfile has no stage ${name}`);
  return found;
};
const runtime = stages[stages.length - 1] as Stage;
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>; devDependencies: Record<string, string>; scripts: Record<string, string>;
};

/** The processes the image runs: the worker (CMD), the compose services' commands, the bundle step. */
const ENTRY_POINTS = ['workers/main.ts', 'client/cli/main.ts', 'scripts/migrate.ts', 'emulator/main.ts', 'db/seed/main.ts', 'webhooks/register-main.ts', 'workers/bundle.ts'];

function resolveLocal(from: string, spec: string): string {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${path.relative(ROOT, from)} imports ${spec}, which does not resolve`);
}

/** Every repository file and every package the entry points load at run time (type-only imports excluded). */
function importGraph(entries: string[]): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = entries.map((e) => path.join(ROOT, e));
  const pattern = /(?:^|\n)\s*(?:import|export)\s+(?!type\s)(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire(?:\.resolve)?\(\s*['"]([^'"]+)['"]\s*\)/g;
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    for (const m of fs.readFileSync(file, 'utf8').matchAll(pattern)) {
      const spec = (m[1] ?? m[2] ?? m[3]) as string;
      if (spec.startsWith('.')) queue.push(resolveLocal(file, spec));
      else packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string));
    }
  }
  return { files, packages };
}

const graph = importGraph(ENTRY_POINTS);
const topFolders = new Set([...graph.files].map((f) => path.relative(ROOT, f).split(path.sep)[0] as string).filter((p) => !p.endsWith('.ts')));

/** Sources of the runtime stage's COPY lines from the build context (not --from another stage). */
const copied = runtime.lines
  .filter((l) => /^COPY\s/.test(l) && !/--from=/.test(l))
  .flatMap((l) => l.replace(/^COPY\s+/, '').split(/\s+/).slice(0, -1));

describe('Dockerfile', () => {
  it('has the build, prod-deps and runtime stages, all on node:20', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'prod-deps', 'runtime']);
    for (const s of stages) expect(s.from).toMatch(/^node:20-[\w.-]+$/);
  });

  it('installs only production dependencies in the image, from the lock file', () => {
    expect(stage('prod-deps').lines).toContain('RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force');
    expect(runtime.lines).toContain('COPY --from=prod-deps /app/node_modules ./node_modules');
    expect(runtime.lines.filter((l) => /^RUN\s+npm\s/.test(l))).toEqual([]);
    expect(stage('build').lines).toContain('RUN npm ci --no-audit --no-fund && npm cache clean --force');
  });

  it('bundles the workflow code at build time and ships the bundle where the worker looks for it', () => {
    expect(stage('build').lines).toContain('RUN npx tsx workers/bundle.ts /app/dist/workflow-bundle.js');
    expect(WORKFLOW_BUNDLE_PATH).toBe(path.join(ROOT, 'dist/workflow-bundle.js'));
    expect(runtime.lines).toContain('COPY --from=build /app/dist/workflow-bundle.js ./dist/workflow-bundle.js');
  });

  it('copies every folder the image\'s processes load, and no tests, bench, docs or screenshots', () => {
    expect(graph.files.size).toBeGreaterThan(50);
    expect([...topFolders].filter((f) => !copied.includes(f))).toEqual([]);
    expect(copied.filter((c) => ['test', 'bench', 'docs', '.', 'node_modules'].includes(c.split('/')[0] as string))).toEqual([]);
    expect([...topFolders].filter((f) => ['test', 'bench', 'docs'].includes(f))).toEqual([]);
    for (const c of copied) expect({ c, exists: fs.existsSync(path.join(ROOT, c)) }).toEqual({ c, exists: true });
  });

  it('needs no development dependency at run time', () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const external = [...graph.packages].filter((p) => !builtins.has(p) && !builtins.has(p.replace(/^node:/, '')));
    expect(external.length).toBeGreaterThan(5);
    expect(external.filter((p) => !(p in pkg.dependencies))).toEqual([]);
    // The image runs TypeScript through tsx (npm run worker / migrate / seed).
    expect(pkg.dependencies).toHaveProperty('tsx');
    // One Node process (tsx as a require hook, not its CLI's child process), with the worker's V8 flags from
    // workers/node-flags and the environment of workers/node-env; tsx in the main thread only (workers/typescript.cjs).
    expect(pkg.scripts.worker).toBe('env $(cat workers/node-env) node $(cat workers/node-flags) --require ./workers/typescript.cjs workers/main.ts');
  });

  it('runs the worker as the node user, with a health check on its Temporal connection', () => {
    expect(runtime.lines.filter((l) => /^USER\s/.test(l)).pop()).toBe('USER node');
    expect(runtime.lines.filter((l) => /^CMD\s/.test(l)).pop()).toBe('CMD ["npm", "run", "worker"]');
    const health = runtime.lines.find((l) => /^HEALTHCHECK\s/.test(l));
    expect(health).toMatch(/CMD \["node", "-e", ".*\/healthz'\)/);
    expect(runtime.lines).toContain('ENV NODE_ENV=production');
  });

  it('keeps local state and secrets out of the build context', () => {
    const ignored = fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.data', '.venv', 'dist', '.git', '.env']));
  });
});

describe('the bundle step (workers/bundle.ts, as the build stage runs it)', () => {
  it('writes a bundle with every workflow and none of the I/O modules', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mcsync-bundle-')), 'workflow-bundle.js');
    const { bytes } = await writeWorkflowBundle(file);
    const code = fs.readFileSync(file, 'utf8');
    expect(bytes).toBe(Buffer.byteLength(code));
    const workflows = [...fs.readFileSync(path.join(ROOT, 'workflows/index.ts'), 'utf8').matchAll(/export \{ (\w+) \}/g)].map((m) => m[1] as string);
    expect(workflows).toEqual(expect.arrayContaining(['entitySyncWorkflow', 'fullResyncWorkflow', 'changeScanWorkflow', 'webhookRetentionWorkflow']));
    for (const name of workflows) expect({ name, bundled: code.includes(`function ${name}(`) }).toEqual({ name, bundled: true });
    for (const io of ['knex', 'mysql2', 'axios', 'fastify']) expect({ io, bundled: code.includes(`node_modules/${io}/`) }).toEqual({ io, bundled: false });
  }, 180_000);
});

describe('the worker and the prebuilt bundle', () => {
  it('uses a bundle newer than workflows/, and ignores a missing or outdated one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcsync-prebuilt-'));
    const file = path.join(dir, 'workflow-bundle.js');
    expect(prebuiltWorkflowBundle(file)).toBeUndefined();
    fs.writeFileSync(file, '// bundle');
    expect(prebuiltWorkflowBundle(file)).toEqual({ codePath: file });
    const old = new Date(Date.UTC(2000, 0, 1));
    fs.utimesSync(file, old, old);
    expect(prebuiltWorkflowBundle(file)).toBeUndefined();
  });
});
