/**
 * SQL lives in db/ (the sync's own tables) and source/ (the shop's): every other folder calls their functions
 * (docs/architecture.md). A knex query (`db('table').where(…)`, `.raw(…)`, `.migrate.…`) anywhere else fails here.
 * test/ and bench/ set up and inspect databases themselves and are not checked.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const ALLOWED = /^(db|source|test|bench|node_modules)\//;

/** A query builder started on a table name and chained, a raw statement, or a migration call. */
const QUERY = /(?:\b\w+|\))\(\s*['"`][a-z_]+(?:\s+as\s+\w+)?['"`]\s*\)\s*\.\s*(?:where\w*|andWhere\w*|insert|select|first|count|max|min|sum|update|delete|del|join|leftJoin|distinct|orderBy|pluck|increment|decrement|truncate)\s*\(/g;
const RAW = /\.\s*(?:raw|whereRaw|joinRaw)\s*\(|\.\s*migrate\s*\.\s*\w+\s*\(/g;

export function queriesIn(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...code.matchAll(QUERY), ...code.matchAll(RAW)].map((m) => m[0].replace(/\s+/g, ' '));
}

describe('SQL only behind db/ and source/', () => {
  it('no other folder runs a query', () => {
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '*.ts'], { cwd: ROOT, encoding: 'utf8' })
      .split('\0')
      .filter((f) => f && !ALLOWED.test(f) && fs.existsSync(path.join(ROOT, f)));
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((f) => queriesIn(fs.readFileSync(path.join(ROOT, f), 'utf8')).map((q) => `${f}: ${q}`));
    expect(found).toEqual([]);
  });

  it('the check itself sees chained, multi-line, raw and migration queries, and not other calls', () => {
    expect(queriesIn("await ctx.db()('orders').where({ id }).first('id');")).toHaveLength(1);
    expect(queriesIn("await trx('mc_audience_members')\n  .insert(row)\n  .onConflict(['a']);")).toHaveLength(1);
    expect(queriesIn("db('order_lines as l').join('orders as o', 'o.id', 'l.order_id')")).toHaveLength(1);
    expect(queriesIn("q.andWhere('received_at', '<', db.raw('NOW(3)'))")).toHaveLength(1);
    expect(queriesIn('await db.migrate.latest();')).toHaveLength(1);
    expect(queriesIn("env('SYNC_SOURCE').trim(); Buffer.from('x').toString(); app.get('/x', h);\n// db('x').where() in a comment")).toEqual([]);
  });
});
