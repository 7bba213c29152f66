import { isCountryCode } from '../../../mapping/address';
import { generateShop } from '../../../db/seed/generate';
import { OPTIONAL_ORDER_COLUMNS, OPTIONAL_USER_COLUMNS } from '../../../mapping/address-columns';

describe('demo addresses and tracking', () => {
  const shop = generateShop({ seed: 42, products: 30, customers: 400, orders: 800, promotions: 3 });
  const valid = (code: string | null | undefined) => typeof code === 'string' && isCountryCode(code.trim().toUpperCase());

  it('every user and order row has every optional column (NULL when not set)', () => {
    for (const u of shop.users) for (const c of OPTIONAL_USER_COLUMNS) expect(u).toHaveProperty(c.name);
    for (const o of shop.orders) for (const c of OPTIONAL_ORDER_COLUMNS) expect(o).toHaveProperty(c.name);
  });

  it('users: most with an address, some without, some with a country code that is not ISO 3166-1 alpha-2', () => {
    const withCity = shop.users.filter((u) => (u.city ?? '').trim() !== '');
    expect(withCity.length).toBeGreaterThan(shop.users.length / 2);
    expect(shop.users.some((u) => u.city === null)).toBe(true);
    expect(shop.users.some((u) => u.country_code && !valid(u.country_code))).toBe(true);
    expect(shop.users.some((u) => u.country_code && u.country_code !== u.country_code.toUpperCase() && valid(u.country_code))).toBe(true);
  });

  it('orders: shipping and billing addresses, some empty, some invalid; shipped orders mostly tracked, others never', () => {
    expect(shop.orders.some((o) => o.shipping_city && valid(o.shipping_country_code))).toBe(true);
    expect(shop.orders.some((o) => o.shipping_city === null && o.shipping_name === null)).toBe(true);
    expect(shop.orders.some((o) => o.billing_city !== null && o.billing_city !== o.shipping_city)).toBe(true);
    expect(shop.orders.some((o) => o.shipping_country_code && !valid(o.shipping_country_code))).toBe(true);
    const shipped = shop.orders.filter((o) => o.status === 'shipped');
    expect(shipped.filter((o) => o.tracking_number !== null).length).toBeGreaterThan(shipped.length / 2);
    expect(shop.orders.filter((o) => o.status !== 'shipped').every((o) => o.tracking_number === null && o.tracking_url === null)).toBe(true);
  });

  it('the other columns are the same as without locations (their own random stream)', () => {
    const again = generateShop({ seed: 42, products: 30, customers: 400, orders: 800, promotions: 3 });
    expect(again).toEqual(shop);
    expect(shop.users[0].email).toBe(generateShop({ seed: 42, products: 30, customers: 400, orders: 0, promotions: 3 }).users[0].email);
  });
});
