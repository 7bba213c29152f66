import fs from 'node:fs';
import fc from 'fast-check';
import { runScenario, type RunResult } from './differential';
import { scenario, type Scenario } from './steps';
import { startTwoStores, type TwoStores } from './stores';

/**
 * The differential property (README, "The promise"): after random merchant changes over every contract table, applied
 * while change scans and the immediate path run, the incremental store equals a fresh full sync of the final shop
 * into an empty store. `npm test` runs a few fixed-seed runs; `npm run test:property -- --runs 200` more, and
 * `-- --seed S --path P` replays a failure (test/property/run.ts passes these as PROPERTY_* variables).
 */

const runs = Number(process.env.PROPERTY_RUNS ?? 3);
const seed = Number(process.env.PROPERTY_SEED ?? 20261201);
/**
 * A failure's path (`61:3:2`) replays that one case; a plain run index (`61`) starts the runs there: `--path 61
 * --runs 139` runs cases 61 to 199 of the seed, as a 200-run pass interrupted at 61 would have gone on.
 */
const path = process.env.PROPERTY_PATH || undefined;
const shrink = process.env.PROPERTY_SHRINK === '1';
/** A scenario written by hand (or copied from a counterexample) as JSON, run once instead of random ones. */
const scenarioFile = process.env.PROPERTY_SCENARIO || undefined;
const size = { initial: Number(process.env.PROPERTY_INITIAL ?? 6), changes: Number(process.env.PROPERTY_CHANGES ?? 12) };
/** Per run: a fresh shop, two full syncs, the changes and the catch-up take a few seconds each on this machine. */
const PER_RUN_MS = 120_000;

function report(result: RunResult): string {
  const diffs = result.diffs.slice(0, 40);
  return [
    `The incremental store differs from a fresh full sync in ${result.diffs.length} place(s):`,
    ...diffs.map((d) => `  ${d}`),
    ...(result.diffs.length > diffs.length ? [`  ... and ${result.diffs.length - diffs.length} more`] : []),
    'Notes:', ...result.notes.map((n) => `  ${n}`),
    'Steps applied:', ...result.log.map((l) => `  ${l}`),
  ].join('\n');
}

describe('differential property: incremental sync ends where a fresh full sync ends', () => {
  let stores: TwoStores;
  beforeAll(async () => {
    stores = await startTwoStores();
  });
  afterAll(async () => {
    await stores?.stop();
  });

  it('sees a difference planted in the incremental store after the catch-up', async () => {
    const fixed: Scenario = {
      initial: [{
        kind: 'createProduct', notify: false, variants: [{ title: 'One', price: '10.00', currency: 'USD', inventory_quantity: 3, image_url: null, status: 'active' }],
        fields: { title: 'Shoe', description: null, category: 'Shoes', vendor: null, seo_url: '/p/shoe', image_url: null, status: 'active', published_at: null },
      }],
      changes: [{ kind: 'updateProduct', notify: true, pick: 0, patch: { vendor: 'Acme' } }, { kind: 'scan' }],
    };
    const { h } = stores;
    const result = await runScenario(stores, fixed, {
      beforeCompare: async () => {
        const list = await h.http.get(`/3.0/ecommerce/stores/${h.config.storeId}/products`);
        const code = String((list.data as { products: Array<{ id: string }> }).products[0].id);
        expect((await h.http.patch(`/3.0/ecommerce/stores/${h.config.storeId}/products/${code}`, { vendor: 'Planted' })).status).toBe(200);
      },
    });
    expect(result.diffs).toEqual([expect.stringMatching(/^products\/P-\d+\.vendor: incremental "Planted", fresh "Acme"$/)]);
  });

  (scenarioFile ? it : it.skip)(`holds for the scenario in ${scenarioFile ?? 'PROPERTY_SCENARIO'}`, async () => {
    const result = await runScenario(stores, JSON.parse(fs.readFileSync(scenarioFile as string, 'utf8')) as Scenario);
    if (result.diffs.length > 0) throw new Error(report(result));
  }, PER_RUN_MS);

  (scenarioFile ? it.skip : it)(`holds for ${path ? `the replayed case ${seed}/${path}` : `${runs} random runs from seed ${seed}`}`, async () => {
    await fc.assert(
      fc.asyncProperty(scenario(size), async (s) => {
        const result = await runScenario(stores, s);
        if (result.diffs.length > 0) throw new Error(report(result));
      }),
      { seed, path, numRuns: runs, endOnFailure: !shrink },
    );
  }, (path?.includes(':') ? 1 : runs) * PER_RUN_MS * (shrink ? 20 : 1) + 60_000);
});
