/**
 * The folder-level import directions of docs/architecture.md, checked against every .ts file outside node_modules
 * and test/. The allowed imports are read from the doc's table itself, so the doc and the code cannot drift apart:
 * an import the table does not allow fails here, as does a folder the table does not describe, and the table's
 * folder graph must have no cycle, type-only imports included (a loop of types is a loop to whoever reads the code).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../../..');
const DOC = 'docs/architecture.md';

export interface Rule {
  values: Set<string>;
  types: Set<string>;
}

/** The rows of the doc's "may import" table: `folder/` → the folders it may import from, and those it may name types of. */
export function parseRules(markdown: string): Map<string, Rule> {
  const lines = markdown.split('\n');
  const header = lines.findIndex((l) => /^\|\s*folder\s*\|\s*may import\s*\|\s*may import types of\s*\|/i.test(l));
  if (header < 0) throw new Error(`${DOC} has no "| folder | may import | may import types of |" table`);
  const rules = new Map<string, Rule>();
  const folders = (cell: string) => new Set([...cell.matchAll(/`([a-z][\w-]*)\/`/g)].map((m) => m[1]));
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|').slice(1, -1);
    if (cells.length < 3) throw new Error(`${DOC}: a row of the import table has ${cells.length} cells: ${line}`);
    const [name] = [...folders(cells[0])];
    if (!name) throw new Error(`${DOC}: an import table row names no folder: ${line}`);
    rules.set(name, { values: folders(cells[1]), types: folders(cells[2]) });
  }
  return rules;
}

export interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
  file: string;
  spec: string;
}

/** The relative imports (static, type-only, re-exports, dynamic import() and require()) of one file, as folder edges. */
export function importsOf(file: string, text: string): Edge[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const edges: Edge[] = [];
  const from = file.split('/')[0];
  const add = (spec: string, typeOnly: boolean) => {
    if (!spec.startsWith('.')) return;
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
    const to = target.split('/')[0];
    // A file at the top (package.json) is data, not a folder of code.
    if (to !== from && !to.includes('.')) edges.push({ from, to, typeOnly, file, spec });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const allNamedTypes = !!bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
      const typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && allNamedTypes));
      add(node.moduleSpecifier.text, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.exportClause;
      const allNamedTypes = !!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
      add(node.moduleSpecifier.text, node.isTypeOnly || allNamedTypes);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      add(node.moduleReference.expression.text, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0])) {
      const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const callee = node.expression;
      // require('x') and require.resolve('x') (a folder the worker bundles is a dependency too).
      const isRequire = (ts.isIdentifier(callee) && callee.text === 'require')
        || (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'require' && callee.name.text === 'resolve');
      if (isImport || isRequire) add(node.arguments[0].text, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** A cycle of the graph (as folder names, first repeated last), or null. */
export function findCycle(graph: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const walk = (node: string): string[] | null => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const found = walk(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of [...graph.keys()].sort()) {
    if (!state.has(node)) {
      const found = walk(node);
      if (found) return found;
    }
  }
  return null;
}

function sourceFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '*.ts'], { cwd: ROOT, encoding: 'utf8' });
  return [...new Set(out.split('\0'))]
    .filter((f) => f && f.includes('/') && !f.startsWith('test/') && !f.startsWith('node_modules/') && fs.existsSync(path.join(ROOT, f)))
    .sort();
}

describe(`the folder import directions of ${DOC}`, () => {
  const rules = parseRules(fs.readFileSync(path.join(ROOT, DOC), 'utf8'));
  const files = sourceFiles();
  const edges = files.flatMap((f) => importsOf(f, fs.readFileSync(path.join(ROOT, f), 'utf8')));

  it('reads the table and finds the source files', () => {
    expect(rules.size).toBeGreaterThan(10);
    expect(files.length).toBeGreaterThan(100);
    expect(edges.length).toBeGreaterThan(100);
  });

  it('describes every top-level folder that holds TypeScript, and only those', () => {
    const folders = [...new Set(files.map((f) => f.split('/')[0]))].sort();
    expect([...rules.keys()].sort()).toEqual(folders);
  });

  it('no file imports a folder its row does not allow (type-only imports: also the types column)', () => {
    const refused = edges
      .filter((e) => {
        const rule = rules.get(e.from);
        if (!rule) return true;
        return !rule.values.has(e.to) && !(e.typeOnly && rule.types.has(e.to));
      })
      .map((e) => `${e.file}: ${e.typeOnly ? 'import type' : 'import'} '${e.spec}' (${e.from}/ → ${e.to}/)`);
    expect(refused).toEqual([]);
  });

  it('the table names only folders it describes, each once per row', () => {
    const problems: string[] = [];
    for (const [from, rule] of rules) {
      for (const to of [...rule.values, ...rule.types]) if (!rules.has(to)) problems.push(`${from}/ names ${to}/, which is not in the table`);
      for (const to of rule.types) if (rule.values.has(to)) problems.push(`${from}/ names ${to}/ in both columns`);
      if (rule.values.has(from) || rule.types.has(from)) problems.push(`${from}/ names itself`);
    }
    expect(problems).toEqual([]);
  });

  it('names only files and folders that exist (a `<name>` part stands for any)', () => {
    const doc = fs.readFileSync(path.join(ROOT, DOC), 'utf8');
    const named = [...new Set([...doc.matchAll(/`([a-z][\w.<>-]*\/[\w.<>/-]*)`/g)].map((m) => m[1]))];
    expect(named.length).toBeGreaterThan(30);
    const exists = (p: string): boolean => {
      if (!p.includes('<')) return fs.existsSync(path.join(ROOT, p));
      // A template such as activities/entities/<entity>.ts: its folder exists and holds at least one such file.
      const dir = path.dirname(p);
      const pattern = new RegExp(`^${path.basename(p).replace(/[.]/g, '\\.').replace(/<[^>]+>/g, '[\\w-]+')}$`);
      return fs.existsSync(path.join(ROOT, dir)) && fs.readdirSync(path.join(ROOT, dir)).some((f) => pattern.test(f));
    };
    expect(named.filter((p) => !exists(p))).toEqual([]);
  });

  it('the folder graph of both columns has no cycle: values and types of values', () => {
    const graph = new Map<string, Set<string>>([...rules].map(([from, r]) => [from, new Set([...r.values, ...r.types])]));
    expect(findCycle(graph)).toBeNull();
  });

  it('the folder graph of the imports themselves has no cycle, type-only imports included', () => {
    const graph = new Map<string, Set<string>>();
    for (const e of edges) graph.set(e.from, new Set([...(graph.get(e.from) ?? []), e.to]));
    expect(findCycle(graph)).toBeNull();
  });

  it('is a layering: a row may import (values or types) only folders of rows above it (the page says so)', () => {
    const order = [...rules.keys()];
    const upward = [...rules].flatMap(([from, r]) => [...r.values, ...r.types].filter((to) => order.indexOf(to) > order.indexOf(from)).map((to) => `${from}/ → ${to}/`));
    expect(upward).toEqual([]);
  });
});

describe('the checker itself', () => {
  it('tells imports of types from imports of values, and sees re-exports, import() and require()', () => {
    const text = [
      "import type { A } from '../mapping/a';",
      "import { type B, type C } from '../source/b';",
      "import { type D, e } from '../db/d';",
      "import f from '../config/f';",
      "export { g } from '../util/g';",
      "export type { H } from '../workflows/h';",
      "const i = require('../mailchimp/i');",
      "const bundled = require.resolve('../workers');",
      "async function j() { return import('../client/j'); }",
      "type K = import('../activities/k').K;",
      "import { l } from './l';",
      "import m from 'knex';",
      "import { version } from '../package.json';",
    ].join('\n');
    const edges = importsOf('wiring/x.ts', text).map((e) => `${e.to}${e.typeOnly ? ':type' : ''}`);
    expect(edges).toEqual(['mapping:type', 'source:type', 'db', 'config', 'util', 'workflows:type', 'mailchimp', 'workers', 'client', 'activities:type']);
  });

  it('finds a cycle, and none in a layered graph', () => {
    const g = (pairs: Array<[string, string[]]>) => new Map(pairs.map(([k, v]) => [k, new Set(v)]));
    expect(findCycle(g([['a', ['b']], ['b', ['c']], ['c', ['a']]]))).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle(g([['a', ['b', 'c']], ['b', ['c']], ['c', []]]))).toBeNull();
  });

  it('reads a table row with its two columns', () => {
    const md = '| folder | may import | may import types of |\n|---|---|---|\n| `mapping/` | — | `source/`, `mailchimp/` |\n| `db/` | `config/` | — |\n\nafter';
    const rules = parseRules(md);
    expect([...rules.keys()]).toEqual(['mapping', 'db']);
    expect([...rules.get('mapping')!.types].sort()).toEqual(['mailchimp', 'source']);
    expect([...rules.get('db')!.values]).toEqual(['config']);
  });
});
