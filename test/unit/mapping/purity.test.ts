import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Mapping code is imported by Temporal workflows: it must stay deterministic and free of Node built-ins. */
const dir = join(__dirname, '../../../mapping');
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

describe('mapping/ is workflow-safe', () => {
  it('has the expected files', () => {
    expect(files).toEqual(
      expect.arrayContaining(['result.ts', 'ids.ts', 'money.ts', 'dates.ts', 'store.ts', 'product.ts', 'customer.ts', 'order.ts', 'promo.ts', 'hash.ts', 'consent.ts']),
    );
  });

  it.each(files)('%s imports only relative modules and types', (file) => {
    const src = readFileSync(join(dir, file), 'utf8');
    for (const m of src.matchAll(/^import\s+(type\s+)?[^'"]*from\s+'([^']+)';/gm)) {
      const isType = m[1] !== undefined;
      const target = m[2];
      // Runtime imports only from mapping/ itself; the schemas (zod, Buffer) and shop types are imported as types.
      if (!isType) expect(target).toMatch(/^\.\/[a-z-]+$/);
    }
    expect(src).not.toMatch(/require\(/);
  });

  it.each(files)('%s uses no clock, randomness, crypto or Buffer', (file) => {
    // Code only: comments may well explain why crypto is not used.
    const src = readFileSync(join(dir, file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    expect(src).not.toMatch(/Date\.now|new Date\(\)|Math\.random|crypto|Buffer\.|process\.|TextEncoder|Intl\./);
  });
});
