import { Router } from '../../../emulator/router';

describe('Router', () => {
  const router = new Router<string>();
  router.add('GET', '/ecommerce/stores/{store_id}', 'getStore');
  router.add('PATCH', '/ecommerce/stores/{store_id}', 'patchStore');
  router.add('GET', '/ecommerce/orders', 'accountOrders');
  router.add('GET', '/ecommerce/stores/{store_id}/orders', 'orders');

  it('matches params and prefers static segments', () => {
    expect(router.match('GET', '/ecommerce/orders')).toMatchObject({ kind: 'found', handler: 'accountOrders' });
    expect(router.match('GET', '/ecommerce/stores/s%201')).toMatchObject({ kind: 'found', handler: 'getStore', params: { store_id: 's 1' }, pattern: '/ecommerce/stores/{store_id}' });
    expect(router.match('GET', '/ecommerce/stores/s1/orders/')).toMatchObject({ kind: 'found', handler: 'orders' });
  });

  it('tells a wrong verb from an unknown path', () => {
    expect(router.match('DELETE', '/ecommerce/stores/s1')).toMatchObject({ kind: 'method-not-allowed', allowed: ['GET', 'PATCH'] });
    expect(router.match('GET', '/ecommerce/stores/s1/nothing')).toEqual({ kind: 'not-found' });
    expect(router.match('GET', '/ecommerce')).toEqual({ kind: 'not-found' });
  });
});
