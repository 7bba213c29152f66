import knexFactory from 'knex';
import { createCliContext } from '../../../client/cli/context';

/** The CLI reads the shop through the source SYNC_SOURCE names, built by the worker's own function (wiring/env.ts). */
describe('the CLI source', () => {
  // Never queried: knex connects on the first query only.
  const db = knexFactory({ client: 'mysql2', connection: { uri: 'mysql://nobody@127.0.0.1:1/none' } as never });
  afterAll(() => db.destroy());

  const sourceOf = (sourceName: string) => createCliContext({ db, config: { sourceName }, stdout: { write: () => true }, stderr: { write: () => true } }, false).source();

  it('is the shop database for shop-db and Stripe for stripe, as in the worker', () => {
    expect(sourceOf('shop-db')).not.toHaveProperty('reader');
    expect(typeof sourceOf('shop-db').productIdByCode).toBe('function');
    expect(sourceOf('stripe')).toHaveProperty('reader');
  });

  it('refuses a source the worker does not know instead of falling back to the shop database', () => {
    expect(() => sourceOf('csv')).toThrow('SYNC_SOURCE must be shop-db or stripe, got "csv"');
  });
});
