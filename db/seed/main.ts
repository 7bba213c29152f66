/**
 * `npm run seed -- [--products N] [--customers N] [--orders N] [--promotions N] [--carts N] [--seed N] [--reset] [--dry-run]`
 * Generates a deterministic demo shop and writes it to DATABASE_URL (migrations are applied first).
 */
import { Command, InvalidArgumentError } from 'commander';
import type { Knex } from 'knex';
import { createDb, migrateLatest } from '../knex';
import { DEFAULT_SEED, DEFAULT_SIZES, generateShop, type GenerateOptions, type ShopData } from './generate';
import { writeShop, type WriteSummary } from './write';

export interface SeedCliOptions extends GenerateOptions {
  reset: boolean;
  dryRun: boolean;
}

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('expected a whole number ≥ 0');
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('number too large');
  return n;
}

function seedNumber(value: string): number {
  if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError('expected a whole number');
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('number too large');
  return n;
}

export function buildSeedCommand(): Command {
  return new Command('seed')
    .description('Fill the shop database (DATABASE_URL) with deterministic demo data: the same --seed and sizes give the same rows.')
    .option('--products <n>', 'products', wholeNumber, DEFAULT_SIZES.products)
    .option('--customers <n>', 'registered customers (users); guests come on top', wholeNumber, DEFAULT_SIZES.customers)
    .option('--orders <n>', 'orders (1–4 lines each)', wholeNumber, DEFAULT_SIZES.orders)
    .option('--promotions <n>', 'promotions (1–3 promo codes each)', wholeNumber, DEFAULT_SIZES.promotions)
    .option('--carts <n>', 'carts (abandoned, converted, emptied, guest, old ...; dated from now)', wholeNumber, 0)
    .option('--seed <n>', 'random seed', seedNumber, DEFAULT_SEED)
    .option('--reset', 'empty the shop tables first (otherwise rows are merged by primary key)', false)
    .option('--dry-run', 'generate and print the counts without touching the database', false)
    .allowExcessArguments(false);
}

/** Parses CLI arguments (without `node script`); throws a CommanderError on bad input instead of exiting. */
export function parseSeedArgs(args: readonly string[]): SeedCliOptions {
  const command = buildSeedCommand().exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  command.parse([...args], { from: 'user' });
  return optionsOf(command);
}

function optionsOf(command: Command): SeedCliOptions {
  const o = command.opts<SeedCliOptions>();
  return {
    products: o.products, customers: o.customers, orders: o.orders, promotions: o.promotions, carts: o.carts, seed: o.seed, reset: o.reset, dryRun: o.dryRun,
  };
}

export interface SeedResult {
  data: ShopData;
  written: WriteSummary | null;
}

/** Generates and (unless dryRun) writes the shop to `db`, applying migrations first. */
export async function runSeed(db: Knex | null, options: SeedCliOptions, log: (line: string) => void = () => undefined): Promise<SeedResult> {
  const started = process.hrtime.bigint();
  const elapsed = (): string => `${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(2)}s`;
  if (options.orders > 0 && options.products === 0) throw new Error('--orders needs at least one product (--products ≥ 1)');
  // Carts are dated from the real clock (CART_MAX_AGE counts from now), unless the caller fixed it.
  const data = generateShop({ ...options, cartsAt: options.cartsAt ?? new Date() });
  log(`generated seed ${options.seed} in ${elapsed()}: ${Object.entries(data).map(([k, v]) => `${v.length} ${k}`).join(', ')}`);
  if (options.dryRun || db === null) return { data, written: null };
  const applied = await migrateLatest(db);
  if (applied.length > 0) log(`applied migrations: ${applied.join(', ')}`);
  if (options.reset) log('reset: emptied the shop tables');
  const written = await writeShop(db, data, { reset: options.reset, onTable: (table, rows) => log(`  ${table}: ${rows} rows`) });
  log(`done in ${elapsed()}`);
  return { data, written };
}

async function main(): Promise<void> {
  const options = optionsOf(buildSeedCommand().parse(process.argv));
  const db = options.dryRun ? null : createDb();
  try {
    await runSeed(db, options, (line) => console.log(line));
  } finally {
    await db?.destroy();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
