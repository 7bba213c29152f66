import knexFactory from 'knex';
import { createCliContext } from '../../../client/cli/context';
import * as shopDb from '../../../source/shop-db';

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

  it("takes the source's order options from the CLI's own environment (options.env), not the process's", () => {
    const created = jest.spyOn(shopDb, 'createShopDbSource');
    try {
      const env = { ...process.env, SYNC_SOURCE: 'shop-db', SEND_PENDING_ORDERS: 'true', ORDER_URL_TEMPLATE: 'https://shop.example/orders/{id}' };
      createCliContext({ db, env, stdout: { write: () => true }, stderr: { write: () => true } }, false).source();
      expect(created).toHaveBeenCalledWith(db, { orders: { sendPending: true, urlTemplate: 'https://shop.example/orders/{id}' } });
    } finally {
      created.mockRestore();
    }
  });
});
