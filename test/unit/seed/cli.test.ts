import { parseSeedArgs, runSeed } from '../../../db/seed/main';

describe('seed CLI arguments', () => {
  it('defaults to a small demo', () => {
    expect(parseSeedArgs([])).toEqual({ products: 200, customers: 500, orders: 1000, promotions: 20, carts: 0, seed: 42, reset: false, dryRun: false });
  });

  it('reads sizes, seed and flags', () => {
    expect(parseSeedArgs(['--products', '500', '--customers', '2000', '--orders', '5000', '--promotions', '50', '--seed', '7', '--reset'])).toEqual({
      products: 500, customers: 2000, orders: 5000, promotions: 50, carts: 0, seed: 7, reset: true, dryRun: false,
    });
    expect(parseSeedArgs(['--carts', '25']).carts).toBe(25);
    expect(parseSeedArgs(['--dry-run', '--seed=-3']).seed).toBe(-3);
  });

  it('refuses bad numbers and unknown options', () => {
    expect(() => parseSeedArgs(['--orders', 'abc'])).toThrow(/whole number/);
    expect(() => parseSeedArgs(['--orders', '-1'])).toThrow();
    expect(() => parseSeedArgs(['--orders', '1.5'])).toThrow();
    expect(() => parseSeedArgs(['--bogus'])).toThrow(/unknown option/);
  });

  it('generates without a database on a dry run', async () => {
    const lines: string[] = [];
    const result = await runSeed(null, { ...parseSeedArgs(['--orders', '10', '--products', '3', '--customers', '2', '--promotions', '1']), dryRun: true }, (l) => lines.push(l));
    expect(result.written).toBeNull();
    expect(result.data.orders).toHaveLength(10);
    expect(lines.join('\n')).toMatch(/10 orders/);
  });
});
