/**
 * What the product sync's "kept for sent orders" reads cost (source/shop-db.ts productIdsReferencedByOrders,
 * productIdsOrderedWithoutVariant, orderedVariantSkus: (key, order) pairs of orders that are not pending, then the
 * orders read and judged by isSentOrder until one per key is sent), on a seeded shop with no sync running: queries,
 * rows of pairs and wall time, for every product in pages as a full resync reads them, and per product as an entity
 * sync reads them.
 *
 *   npx tsx bench/sent-keys.ts [--size small|medium|large] [--page 250] [--sample 200]
 *
 * Sizes as `npm run bench` seeds them (seed 42). Creates and drops its own database next to DATABASE_URL's.
 */
import { generateShop } from '../db/seed/generate';
import { writeShop } from '../db/seed/write';
import { createShopDbSource } from '../source/shop-db';
import { createFreshDatabase } from './lib';
import { SIZES } from './main';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

async function main(): Promise<void> {
  const size = option('size', 'medium') as keyof typeof SIZES;
  const pageSize = Number(option('page', '250'));
  const sample = Number(option('sample', '200'));
  if (!(size in SIZES)) throw new Error(`--size must be one of ${Object.keys(SIZES).join(', ')}`);
  const fresh = await createFreshDatabase(`sentkeys_${size}`);
  try {
    const shop = await writeShop(fresh.db, generateShop({ seed: 42, ...SIZES[size] }));
    const source = createShopDbSource(fresh.db);
    let queries = 0;
    fresh.db.on('query', () => {
      queries += 1;
    });
    const ids = ((await fresh.db('products').orderBy('id').select('id')) as Array<{ id: number }>).map((r) => String(r.id));
    const pairs = (await fresh.db('order_lines').count('* as n').first()) as { n: number | string };
    const measure = async (label: string, count: number, run: () => Promise<unknown>) => {
      const q0 = queries;
      const t0 = process.hrtime.bigint();
      await run();
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const q = queries - q0;
      process.stdout.write(`${label}: ${q} queries, ${ms.toFixed(0)} ms; per product ${(q / count).toFixed(3)} queries, ${(ms / count).toFixed(2)} ms\n`);
    };
    process.stdout.write(`${size} shop: ${JSON.stringify(shop)}; ${Number(pairs.n)} order lines\n`);
    const pages: string[][] = [];
    for (let i = 0; i < ids.length; i += pageSize) pages.push(ids.slice(i, i + pageSize));
    // What one product page of a full resync reads (activities/batch/page.ts productChunk): both, for its ids.
    await measure(`full resync pages (${pages.length} of ${pageSize}): productIdsReferencedByOrders + productIdsOrderedWithoutVariant`, ids.length, async () => {
      for (const page of pages) await Promise.all([source.productIdsReferencedByOrders(page), source.productIdsOrderedWithoutVariant(page)]);
    });
    // What one product's entity sync reads (activities/entities/product-write.ts neededByOrders), for a sample.
    const some = ids.filter((_, i) => i % Math.max(1, Math.floor(ids.length / sample)) === 0).slice(0, sample);
    await measure(`entity syncs (${some.length} products): productIdsOrderedWithoutVariant`, some.length, async () => {
      for (const id of some) await source.productIdsOrderedWithoutVariant([id]);
    });
    await measure(`entity syncs (${some.length} products): orderedVariantSkus`, some.length, async () => {
      for (const id of some) await source.orderedVariantSkus?.(id);
    });
    if (process.argv.includes('--explain')) {
      const slow: Array<{ sql: string; ms: number }> = [];
      const started = new Map<string, { sql: string; at: bigint }>();
      fresh.db.on('query', (q: { __knexQueryUid: string; sql: string }) => started.set(q.__knexQueryUid, { sql: q.sql, at: process.hrtime.bigint() }));
      fresh.db.on('query-response', (_r: unknown, q: { __knexQueryUid: string }) => {
        const s = started.get(q.__knexQueryUid);
        if (s) slow.push({ sql: s.sql, ms: Number(process.hrtime.bigint() - s.at) / 1e6 });
      });
      await source.productIdsOrderedWithoutVariant([some[0]]);
      await source.orderedVariantSkus?.(some[0]);
      for (const q of slow) process.stdout.write(`${q.ms.toFixed(1)} ms  ${q.sql.slice(0, 300)}\n`);
    }
  } finally {
    await fresh.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
