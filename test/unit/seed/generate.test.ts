import {
  DEFAULT_SIZES,
  DEMO_EPOCH,
  ORDER_STATUSES,
  centsToString,
  generateShop,
  stringToCents,
  type GenerateOptions,
  type ShopData,
} from '../../../db/seed/generate';

const DEMO: GenerateOptions = { seed: 42, ...DEFAULT_SIZES };

/** The sync's e-mail rules, in short: once trimmed, ASCII local part, one "@", a dotted domain with a letter TLD. */
const VALID_EMAIL = /^[A-Za-z0-9_'+-]+(\.[A-Za-z0-9_'+-]+)*@[A-Za-z0-9][A-Za-z0-9-]*(\.[A-Za-z0-9][A-Za-z0-9-]*)*\.[A-Za-z]{2,}$/;
const EMOJI = /\p{Extended_Pictographic}/u;
const HTML = /<[a-z][^>]*>/i;

const byId = <T extends { id: string }>(rows: T[]): Map<string, T> => new Map(rows.map((r) => [r.id, r]));

describe('generateShop', () => {
  let shop: ShopData;
  beforeAll(() => {
    shop = generateShop(DEMO);
  });

  describe('determinism', () => {
    it('gives deep-equal data for the same seed and sizes', () => {
      expect(generateShop(DEMO)).toEqual(shop);
    });

    it('gives different data for a different seed', () => {
      const other = generateShop({ ...DEMO, seed: 43 });
      expect(other.products.map((p) => p.title)).not.toEqual(shop.products.map((p) => p.title));
      expect(other.orders.map((o) => o.order_total)).not.toEqual(shop.orders.map((o) => o.order_total));
      expect(other.users.map((u) => u.email)).not.toEqual(shop.users.map((u) => u.email));
    });

    it('does not use the clock: every date is at or before the demo epoch, except future promotions', () => {
      const dates: Date[] = [
        ...shop.products.flatMap((p) => [p.created_at, p.updated_at]),
        ...shop.users.flatMap((u) => [u.created_at, u.updated_at]),
        ...shop.orders.flatMap((o) => [o.ordered_at, o.updated_at]),
      ];
      for (const d of dates) expect(d.getTime()).toBeLessThanOrEqual(DEMO_EPOCH.getTime());
      expect(dates.some((d) => d.getUTCMilliseconds() !== 0)).toBe(true);
    });
  });

  describe('counts', () => {
    it('makes exactly the requested numbers of products, users, orders and promotions', () => {
      expect(shop.products).toHaveLength(DEMO.products);
      expect(shop.users).toHaveLength(DEMO.customers);
      expect(shop.orders).toHaveLength(DEMO.orders);
      expect(shop.promotions).toHaveLength(DEMO.promotions);
      expect(shop.orderLines.length).toBeGreaterThanOrEqual(DEMO.orders);
      expect(shop.orderLines.length).toBeLessThanOrEqual(DEMO.orders * 4);
      expect(shop.promoCodes.length).toBeGreaterThanOrEqual(DEMO.promotions);
      expect(shop.promoCodes.length).toBeLessThanOrEqual(DEMO.promotions * 3);
    });

    it('uses sequential explicit ids in every table', () => {
      for (const rows of [shop.products, shop.variants, shop.users, shop.orders, shop.orderLines, shop.promotions, shop.promoCodes]) {
        expect(rows.map((r) => r.id)).toEqual(rows.map((_r, i) => String(i + 1)));
      }
    });

    it('handles zero sizes and rejects orders without products', () => {
      const empty = generateShop({ seed: 1, products: 0, customers: 0, orders: 0, promotions: 0 });
      expect(empty.products).toEqual([]);
      expect(empty.orders).toEqual([]);
      expect(empty.settings).toHaveLength(5);
      const guestsOnly = generateShop({ seed: 1, products: 3, customers: 0, orders: 20, promotions: 0 });
      expect(guestsOnly.orders.every((o) => o.user_id === null && o.guest_email !== null && o.promo_code === null)).toBe(true);
      expect(() => generateShop({ seed: 1, products: 0, customers: 1, orders: 1, promotions: 0 })).toThrow(/product/);
      expect(() => generateShop({ seed: 1, products: -1, customers: 1, orders: 0, promotions: 0 })).toThrow(/products/);
    });
  });

  describe('shop settings', () => {
    it('has the settings the sync reads', () => {
      const settings = Object.fromEntries(shop.settings.map((s) => [s.name, s.value]));
      expect(settings).toMatchObject({
        mailchimp_sync_enabled: '1',
        always_opt_in: '1',
        store_domain: 'demo-shop.example',
        store_currency: 'USD',
      });
      expect(settings.store_name).toMatch(/[^ -~]/);
    });
  });

  describe('products and variants', () => {
    it('has variant-less products and products with up to 5 variants', () => {
      const counts = new Map<string, number>();
      for (const v of shop.variants) counts.set(v.product_id, (counts.get(v.product_id) ?? 0) + 1);
      const withNone = shop.products.filter((p) => !counts.has(p.id));
      expect(withNone.length).toBeGreaterThan(DEMO.products * 0.15);
      expect(Math.max(...counts.values())).toBeLessThanOrEqual(5);
      expect([...counts.values()]).toContain(5);
    });

    it('is messy: emoji and HTML, NULL optional columns, every status', () => {
      expect(shop.products.some((p) => EMOJI.test(p.title))).toBe(true);
      expect(shop.products.some((p) => p.description !== null && HTML.test(p.description))).toBe(true);
      for (const column of ['description', 'category', 'vendor', 'seo_url', 'image_url'] as const) {
        expect(shop.products.some((p) => p[column] === null)).toBe(true);
        expect(shop.products.some((p) => p[column] !== null)).toBe(true);
      }
      expect(new Set(shop.products.map((p) => p.status))).toEqual(new Set(['active', 'inactive', 'deleted']));
    });

    it('has unique codes and SKUs, USD prices ≥ 0 with two decimals', () => {
      expect(new Set(shop.products.map((p) => p.code)).size).toBe(shop.products.length);
      expect(new Set(shop.variants.map((v) => v.sku)).size).toBe(shop.variants.length);
      for (const v of shop.variants) {
        expect(v.currency).toBe('USD');
        expect(v.price).toMatch(/^\d+\.\d{2}$/);
      }
    });

    it('points every variant at an existing product and keeps dates in order', () => {
      const products = byId(shop.products);
      for (const v of shop.variants) expect(products.has(v.product_id)).toBe(true);
      for (const p of shop.products) {
        expect(p.updated_at.getTime()).toBeGreaterThanOrEqual(p.created_at.getTime());
        if (p.published_at) expect(p.published_at.getTime()).toBeGreaterThanOrEqual(p.created_at.getTime());
      }
    });
  });

  describe('users', () => {
    it('mixes marketing consent, with a consent date exactly when opted in', () => {
      expect(shop.users.some((u) => u.marketing_opt_in)).toBe(true);
      expect(shop.users.some((u) => !u.marketing_opt_in)).toBe(true);
      for (const u of shop.users) expect(u.marketing_opt_in_at !== null).toBe(u.marketing_opt_in);
    });

    it('has unicode and emoji names, some NULL', () => {
      expect(shop.users.some((u) => u.first_name === null)).toBe(true);
      expect(shop.users.some((u) => u.last_name === null)).toBe(true);
      expect(shop.users.some((u) => u.first_name !== null && /[^ -~]/.test(u.first_name))).toBe(true);
      expect(shop.users.some((u) => u.first_name !== null && EMOJI.test(u.first_name))).toBe(true);
    });

    it('has e-mails that are valid once trimmed, some mixed-case or wrapped in whitespace, unique ignoring case', () => {
      for (const u of shop.users) expect(u.email.trim()).toMatch(VALID_EMAIL);
      expect(shop.users.some((u) => u.email !== u.email.trim())).toBe(true);
      expect(shop.users.some((u) => u.email.trim() !== u.email.trim().toLowerCase())).toBe(true);
      expect(new Set(shop.users.map((u) => u.email.trim().toLowerCase())).size).toBe(shop.users.length);
    });
  });

  describe('orders', () => {
    it('has guests and registered buyers, each order one or the other', () => {
      const users = byId(shop.users);
      const guests = shop.orders.filter((o) => o.user_id === null);
      expect(guests.length).toBeGreaterThan(0);
      expect(guests.length).toBeLessThan(shop.orders.length);
      for (const o of shop.orders) {
        if (o.user_id === null) {
          expect(o.guest_email?.trim()).toMatch(VALID_EMAIL);
        } else {
          expect(users.has(o.user_id)).toBe(true);
          expect(o.guest_email).toBeNull();
          expect(users.get(o.user_id)!.created_at.getTime()).toBeLessThanOrEqual(o.ordered_at.getTime());
        }
      }
    });

    it('has registered customers checking out as guests with the address in another casing', () => {
      const userEmails = new Map(shop.users.map((u) => [u.email.trim().toLowerCase(), u.email.trim()]));
      const sameAsUser = shop.orders.filter((o) => {
        const g = o.guest_email?.trim();
        return g !== undefined && userEmails.has(g.toLowerCase()) && userEmails.get(g.toLowerCase()) !== g;
      });
      expect(sameAsUser.length).toBeGreaterThan(0);
    });

    it('has every status', () => {
      expect(new Set(shop.orders.map((o) => o.status))).toEqual(new Set(ORDER_STATUSES));
      const small = generateShop({ seed: 7, products: 2, customers: 2, orders: 6, promotions: 1 });
      expect(new Set(small.orders.map((o) => o.status))).toEqual(new Set(ORDER_STATUSES));
    });

    it('has unique SO- order numbers and ids that grow with time', () => {
      expect(new Set(shop.orders.map((o) => o.order_number)).size).toBe(shop.orders.length);
      for (const o of shop.orders) expect(o.order_number).toMatch(/^SO-\d{6,}$/);
      for (let i = 1; i < shop.orders.length; i++) {
        expect(shop.orders[i].ordered_at.getTime()).toBeGreaterThanOrEqual(shop.orders[i - 1].ordered_at.getTime());
      }
      for (const o of shop.orders) expect(o.updated_at.getTime()).toBeGreaterThanOrEqual(o.ordered_at.getTime());
    });

    it('has 1–4 lines per order referencing existing products and their own variants', () => {
      const products = byId(shop.products);
      const variants = byId(shop.variants);
      const variantsPerProduct = new Set(shop.variants.map((v) => v.product_id));
      const lineCount = new Map<string, number>();
      for (const line of shop.orderLines) {
        lineCount.set(line.order_id, (lineCount.get(line.order_id) ?? 0) + 1);
        expect(products.has(line.product_id)).toBe(true);
        if (line.variant_id === null) {
          expect(variantsPerProduct.has(line.product_id)).toBe(false);
        } else {
          expect(variants.get(line.variant_id)?.product_id).toBe(line.product_id);
        }
        expect(line.quantity).toBeGreaterThan(0);
      }
      for (const o of shop.orders) {
        expect(lineCount.get(o.id)).toBeGreaterThanOrEqual(1);
        expect(lineCount.get(o.id)).toBeLessThanOrEqual(4);
      }
      expect(shop.orderLines.some((l) => l.variant_id === null)).toBe(true);
    });

    it('has old orders referencing deleted products', () => {
      const deleted = new Set(shop.products.filter((p) => p.status === 'deleted').map((p) => p.id));
      expect(deleted.size).toBeGreaterThan(0);
      expect(shop.orderLines.some((l) => deleted.has(l.product_id))).toBe(true);
    });

    it('adds up: order_total = Σ quantity × unit_price − discount_total + tax_total + shipping_total', () => {
      const lines = new Map<string, ShopData['orderLines']>();
      for (const l of shop.orderLines) lines.set(l.order_id, [...(lines.get(l.order_id) ?? []), l]);
      for (const o of shop.orders) {
        const mine = lines.get(o.id)!;
        const subtotal = mine.reduce((sum, l) => sum + l.quantity * stringToCents(l.unit_price), 0);
        const lineDiscounts = mine.reduce((sum, l) => sum + stringToCents(l.discount), 0);
        expect(stringToCents(o.order_total)).toBe(
          subtotal - stringToCents(o.discount_total) + stringToCents(o.tax_total) + stringToCents(o.shipping_total),
        );
        expect(lineDiscounts).toBeLessThanOrEqual(stringToCents(o.discount_total));
        expect(stringToCents(o.order_total)).toBeGreaterThanOrEqual(0);
        for (const field of ['discount_total', 'tax_total', 'shipping_total', 'order_total'] as const) expect(o[field]).toMatch(/^\d+\.\d{2}$/);
        expect(o.currency).toBe('USD');
      }
    });

    it('uses existing promo codes, with a discount, and counts their usage', () => {
      const codes = new Map(shop.promoCodes.map((c) => [c.code, c]));
      const withCode = shop.orders.filter((o) => o.promo_code !== null);
      expect(withCode.length).toBeGreaterThan(0);
      const usage = new Map<string, number>();
      for (const o of withCode) {
        expect(codes.has(o.promo_code!)).toBe(true);
        expect(stringToCents(o.discount_total)).toBeGreaterThan(0);
        usage.set(o.promo_code!, (usage.get(o.promo_code!) ?? 0) + 1);
      }
      for (const o of shop.orders.filter((x) => x.promo_code === null)) expect(o.discount_total).toBe('0.00');
      for (const c of shop.promoCodes) expect(c.usage_count).toBe(usage.get(c.code) ?? 0);
    });

    it('has some campaign ids and landing sites', () => {
      expect(shop.orders.some((o) => o.campaign_id !== null)).toBe(true);
      expect(shop.orders.some((o) => o.landing_site !== null)).toBe(true);
      expect(shop.orders.some((o) => o.campaign_id === null && o.landing_site === null)).toBe(true);
    });
  });

  describe('promotions and codes', () => {
    it('has both types and all targets, percentages between 5 and 50, starts before ends', () => {
      expect(new Set(shop.promotions.map((p) => p.discount_type))).toEqual(new Set(['percentage', 'fixed']));
      expect(new Set(shop.promotions.map((p) => p.target))).toEqual(new Set(['per_item', 'total', 'shipping']));
      for (const p of shop.promotions) {
        const amount = Number(p.amount);
        if (p.discount_type === 'percentage') {
          expect(amount).toBeGreaterThanOrEqual(5);
          expect(amount).toBeLessThanOrEqual(50);
        } else {
          expect(amount).toBeGreaterThan(0);
        }
        if (p.starts_at && p.ends_at) expect(p.starts_at.getTime()).toBeLessThan(p.ends_at.getTime());
        expect(Buffer.byteLength(p.title, 'utf8')).toBeLessThanOrEqual(100);
        if (p.description !== null) expect(p.description.length).toBeLessThanOrEqual(255);
      }
    });

    it('has disabled and expired promotions', () => {
      expect(shop.promotions.some((p) => !p.enabled)).toBe(true);
      expect(shop.promotions.some((p) => p.ends_at !== null && p.ends_at < DEMO_EPOCH)).toBe(true);
      expect(shop.promotions.some((p) => p.enabled && (p.ends_at === null || p.ends_at > DEMO_EPOCH))).toBe(true);
    });

    it('has 1–3 codes per promotion, each pointing at an existing promotion, unique and at most 50 characters', () => {
      const promotions = byId(shop.promotions);
      const perPromotion = new Map<string, number>();
      for (const c of shop.promoCodes) {
        expect(promotions.has(c.promotion_id)).toBe(true);
        perPromotion.set(c.promotion_id, (perPromotion.get(c.promotion_id) ?? 0) + 1);
        expect(c.code.length).toBeLessThanOrEqual(50);
      }
      for (const p of shop.promotions) {
        expect(perPromotion.get(p.id)).toBeGreaterThanOrEqual(1);
        expect(perPromotion.get(p.id)).toBeLessThanOrEqual(3);
      }
      expect(new Set(shop.promoCodes.map((c) => c.code)).size).toBe(shop.promoCodes.length);
    });
  });

  // How fast is the benchmark's business (npm run bench seeds its shops); a timing here would fail on a slow machine.
  it('generates a 100k-order shop with unique order ids and every order dressed with its optional columns', () => {
    const big = generateShop({ seed: 5, products: 5000, customers: 20000, orders: 100_000, promotions: 50 });
    expect(big.orders).toHaveLength(100_000);
    expect(new Set(big.orders.map((o) => o.id)).size).toBe(100_000);
    expect(big.orders.every((o) => 'shipping_country_code' in o && 'tracking_number' in o)).toBe(true);
  });
});

describe('centsToString', () => {
  it('formats cents as DECIMAL(12,2) strings', () => {
    expect(centsToString(0)).toBe('0.00');
    expect(centsToString(5)).toBe('0.05');
    expect(centsToString(1999)).toBe('19.99');
    expect(centsToString(-500)).toBe('-5.00');
    expect(stringToCents('19.99')).toBe(1999);
  });
});
