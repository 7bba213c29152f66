import { promoCodeSchema, promoRulePatchSchema, promoRuleSchema } from '../../../mailchimp/schemas';
import { DEFAULT_REDEMPTION_URL_TEMPLATE, mapPromoCode, mapPromoRule, promoRulePatchFrom, redemptionUrl, ruleKeepsRemovedDate } from '../../../mapping/promo';
import { utf8ByteLength } from '../../../mapping/text';
import { expectSchemaAccepts, payloadOf, promoCodeRow, promotionRow, settings } from './fixtures';

describe('mapPromoRule', () => {
  it('maps id, title, description, amount (percentage / 100), type, target, dates, enabled', () => {
    const r = payloadOf(mapPromoRule(promotionRow()));
    expect(r).toEqual({
      id: '33',
      title: 'Spring sale 🌸 10 %',
      description: 'Ten percent off everything in spring',
      amount: 0.1,
      type: 'percentage',
      target: 'total',
      starts_at: '2026-03-20T00:00:00.000Z',
      ends_at: '2026-06-21T00:00:00.000Z',
      enabled: true,
    });
    expectSchemaAccepts(promoRuleSchema, r, 'promo rule');
  });

  it.each([
    ['0.00', 0],
    ['12.50', 0.125],
    ['33.33', 0.3333],
    ['100.00', 1],
  ])('a percentage of %s is the fraction %p', (amount, fraction) => {
    const r = payloadOf(mapPromoRule(promotionRow({ amount })));
    expect(r.amount).toBe(fraction);
    expectSchemaAccepts(promoRuleSchema, r, 'promo rule');
  });

  it.each(['per_item', 'total', 'shipping'] as const)('a fixed %s promotion keeps its amount of money', (target) => {
    const r = payloadOf(mapPromoRule(promotionRow({ discount_type: 'fixed', amount: '5.00', target })));
    expect(r).toMatchObject({ type: 'fixed', amount: 5, target });
    expectSchemaAccepts(promoRuleSchema, r, 'promo rule');
  });

  it('free shipping (fixed, shipping, 0) is sent as is', () => {
    const r = payloadOf(mapPromoRule(promotionRow({ discount_type: 'fixed', amount: '0.00', target: 'shipping' })));
    expect(r).toMatchObject({ type: 'fixed', amount: 0, target: 'shipping' });
  });

  it('a fixed amount above 100 is fine (only percentages are bounded)', () => {
    expect(payloadOf(mapPromoRule(promotionRow({ discount_type: 'fixed', amount: '250.00' }))).amount).toBe(250);
  });

  it('sends enabled false for a disabled promotion', () => {
    expect(payloadOf(mapPromoRule(promotionRow({ enabled: false }))).enabled).toBe(false);
  });

  it('uses the title as description when the description is empty or missing', () => {
    expect(payloadOf(mapPromoRule(promotionRow({ description: null }))).description).toBe('Spring sale 🌸 10 %');
    expect(payloadOf(mapPromoRule(promotionRow({ description: '  ' }))).description).toBe('Spring sale 🌸 10 %');
  });

  it('leaves open-ended dates out', () => {
    const r = payloadOf(mapPromoRule(promotionRow({ starts_at: null, ends_at: null })));
    expect(r).not.toHaveProperty('starts_at');
    expect(r).not.toHaveProperty('ends_at');
    expectSchemaAccepts(promoRuleSchema, r, 'promo rule');
  });

  it('accepts only a start or only an end', () => {
    expect(mapPromoRule(promotionRow({ starts_at: null })).kind).toBe('ok');
    expect(mapPromoRule(promotionRow({ ends_at: null })).kind).toBe('ok');
  });

  it('truncates a title over 100 UTF-8 bytes on a character boundary instead of failing', () => {
    const title = 'Große Frühlings-Aktion 🌸🌷🌼 — '.repeat(5); // far over 100 bytes, multi-byte characters throughout
    const r = payloadOf(mapPromoRule(promotionRow({ title })));
    expect(utf8ByteLength(r.title as string)).toBeLessThanOrEqual(100);
    expect(title.startsWith(r.title as string)).toBe(true);
    expect(r.title).not.toMatch(/[\uD800-\uDBFF]$/); // no half emoji
    expectSchemaAccepts(promoRuleSchema, r, 'promo rule');
  });

  it('a 100-byte title is kept whole; 101 bytes are cut', () => {
    expect(payloadOf(mapPromoRule(promotionRow({ title: 'x'.repeat(100) }))).title).toBe('x'.repeat(100));
    expect(payloadOf(mapPromoRule(promotionRow({ title: 'x'.repeat(98) + 'é' }))).title).toBe('x'.repeat(98) + 'é');
    expect(payloadOf(mapPromoRule(promotionRow({ title: 'x'.repeat(99) + 'é' }))).title).toBe('x'.repeat(99));
  });

  it('the description falls back to the FULL title, cut to 255 characters', () => {
    const title = '🌸'.repeat(200); // 400 UTF-16 units, 800 bytes
    const r = payloadOf(mapPromoRule(promotionRow({ title, description: null })));
    expect(r.description).toBe('🌸'.repeat(127));
    expectSchemaAccepts(promoRuleSchema, r, 'promo rule');
  });

  it('truncates a description over 255 characters', () => {
    const long = '<b>Deal</b> 🎉 '.repeat(40); // HTML is kept, emoji are never split
    const r = payloadOf(mapPromoRule(promotionRow({ description: long })));
    expect(r.description.length).toBeLessThanOrEqual(255);
    expect(long.startsWith(r.description)).toBe(true);
    expect(r.description.length).toBeGreaterThanOrEqual(254);
    expect(r.description).not.toMatch(/[\uD800-\uDBFF]$/);
    expectSchemaAccepts(promoRuleSchema, r, 'promo rule');
  });

  it('strips control characters from title and description', () => {
    const r = payloadOf(mapPromoRule(promotionRow({ title: 'Sale\u0000!', description: 'Big\u0007 sale' })));
    expect(r.title).toBe('Sale!');
    expect(r.description).toBe('Big sale');
  });

  it('an empty title is left out (description required instead)', () => {
    const r = payloadOf(mapPromoRule(promotionRow({ title: '', description: 'Only a description' })));
    expect(r).not.toHaveProperty('title');
    expect(r.description).toBe('Only a description');
    expectSchemaAccepts(promoRuleSchema, r, 'promo rule');
  });

  it.each([
    ['a percentage over 100', promotionRow({ amount: '150.00' }), 'Promotion 33 was not sent: the percentage 150.00 is not between 0 and 100', 'amount'],
    ['a negative percentage', promotionRow({ amount: '-5.00' }), 'Promotion 33 was not sent: the percentage -5.00 is not between 0 and 100', 'amount'],
    ['a percentage that is not a number', promotionRow({ amount: 'ten' }), 'Promotion 33 was not sent: the percentage "ten" is not a number', 'amount'],
    [
      'a negative fixed amount',
      promotionRow({ discount_type: 'fixed', amount: '-5.00' }),
      'Promotion 33 was not sent: the amount "-5.00" is negative',
      'amount',
    ],
    [
      'an end before the start',
      promotionRow({ starts_at: new Date('2026-06-01T00:00:00Z'), ends_at: new Date('2026-05-01T00:00:00Z') }),
      'Promotion 33 was not sent: it ends (2026-05-01T00:00:00.000Z) before or when it starts (2026-06-01T00:00:00.000Z)',
      'ends_at',
    ],
    [
      'an end equal to the start',
      promotionRow({ starts_at: new Date('2026-06-01T00:00:00Z'), ends_at: new Date('2026-06-01T00:00:00Z') }),
      'Promotion 33 was not sent: it ends (2026-06-01T00:00:00.000Z) before or when it starts (2026-06-01T00:00:00.000Z)',
      'ends_at',
    ],
    ['an id over 50 characters', promotionRow({ id: '9'.repeat(51) }), `Promotion ${'9'.repeat(51)} was not sent: its id is longer than 50 characters`, 'id'],
    ['no title and no description', promotionRow({ title: ' ', description: null }), 'Promotion 33 was not sent: it has neither a title nor a description', 'description'],
    ['an invalid start date', promotionRow({ starts_at: new Date('nope') }), 'Promotion 33 was not sent: its start date is not a valid date', 'starts_at'],
  ])('fails on %s', (_label, row, reason, field) => {
    expect(mapPromoRule(row)).toEqual({ kind: 'invalid', reason, field });
  });

  it('an id of exactly 50 characters is fine', () => {
    expect(mapPromoRule(promotionRow({ id: '9'.repeat(50) })).kind).toBe('ok');
  });
});

describe('promoRulePatchFrom', () => {
  it('drops the id and keeps every field the rule has', () => {
    const r = payloadOf(mapPromoRule(promotionRow()));
    const { id: _id, ...rest } = r;
    expect(promoRulePatchFrom(r)).toEqual(rest);
    expectSchemaAccepts(promoRulePatchSchema, promoRulePatchFrom(r), 'promo rule patch');
  });

  it('sends an emptied title as "", and no date the promotion does not have (a date-time cannot be "")', () => {
    const patch = promoRulePatchFrom(payloadOf(mapPromoRule(promotionRow({ title: '', starts_at: null, ends_at: null }))));
    expect(patch.title).toBe('');
    expect(patch).not.toHaveProperty('starts_at');
    expect(patch).not.toHaveProperty('ends_at');
    expectSchemaAccepts(promoRulePatchSchema, patch, 'promo rule patch');
  });
});

describe('ruleKeepsRemovedDate', () => {
  const withDates = payloadOf(mapPromoRule(promotionRow()));
  const noEnd = payloadOf(mapPromoRule(promotionRow({ ends_at: null })));
  const noStart = payloadOf(mapPromoRule(promotionRow({ starts_at: null })));
  const remote = { starts_at: '2026-03-20T00:00:00+00:00', ends_at: '2026-06-21T00:00:00+00:00' };

  it('a removed end date or start date that Mailchimp still has means the rule is recreated', () => {
    expect(ruleKeepsRemovedDate(remote, noEnd)).toBe(true);
    expect(ruleKeepsRemovedDate(remote, noStart)).toBe(true);
  });

  it('no recreate when the dates agree or Mailchimp has none', () => {
    expect(ruleKeepsRemovedDate(remote, withDates)).toBe(false);
    expect(ruleKeepsRemovedDate({ starts_at: '2026-03-20T00:00:00+00:00', ends_at: '' }, noEnd)).toBe(false);
    expect(ruleKeepsRemovedDate({}, noEnd)).toBe(false);
  });
});

describe('mapPromoCode', () => {
  it('maps id, code, redemption_url (default template), usage_count, enabled', () => {
    const c = payloadOf(mapPromoCode(promoCodeRow(), promotionRow(), settings));
    expect(c).toEqual({
      id: '77',
      code: 'SPRING10',
      redemption_url: 'https://shop.example.com/cart?promo=SPRING10',
      usage_count: 5,
      enabled: true,
    });
    expectSchemaAccepts(promoCodeSchema, c, 'promo code');
  });

  it('URL-encodes the code in the redemption URL and keeps it as is in `code`', () => {
    const c = payloadOf(mapPromoCode(promoCodeRow({ code: 'SOMMER 20%&☀️' }), promotionRow(), settings));
    expect(c.code).toBe('SOMMER 20%&☀️');
    expect(c.redemption_url).toBe(`https://shop.example.com/cart?promo=${encodeURIComponent('SOMMER 20%&☀️')}`);
    expect(c.redemption_url).toBe('https://shop.example.com/cart?promo=SOMMER%2020%25%26%E2%98%80%EF%B8%8F');
    expectSchemaAccepts(promoCodeSchema, c, 'promo code');
  });

  it('uses a custom template, replacing every {domain} and {code}', () => {
    const c = payloadOf(
      mapPromoCode(promoCodeRow(), promotionRow(), { ...settings, storeDomain: 'https://shop.example.com/' }, 'https://{domain}/apply/{code}?utm_campaign={code}'),
    );
    expect(c.redemption_url).toBe('https://shop.example.com/apply/SPRING10?utm_campaign=SPRING10');
  });

  it('the default template is the one documented for PROMO_REDEMPTION_URL', () => {
    expect(DEFAULT_REDEMPTION_URL_TEMPLATE).toBe('https://{domain}/cart?promo={code}');
    expect(redemptionUrl(DEFAULT_REDEMPTION_URL_TEMPLATE, 'a.example', 'X Y')).toBe('https://a.example/cart?promo=X%20Y');
  });

  it('sends a disabled code as enabled false, and a usage count of 0', () => {
    expect(payloadOf(mapPromoCode(promoCodeRow({ enabled: false, usage_count: 0 }), promotionRow(), settings))).toMatchObject({
      enabled: false,
      usage_count: 0,
    });
  });

  it('trims the code', () => {
    expect(payloadOf(mapPromoCode(promoCodeRow({ code: '  SPRING10 ' }), promotionRow(), settings)).code).toBe('SPRING10');
  });

  it('a code of exactly 50 characters is fine', () => {
    expect(mapPromoCode(promoCodeRow({ code: 'C'.repeat(50) }), promotionRow(), settings).kind).toBe('ok');
  });

  it.each([
    ['a code over 50 characters', promoCodeRow({ code: 'C'.repeat(51) }), {}, `Promo code 77 was not sent: the code "${'C'.repeat(51)}" is longer than 50 characters`, 'code'],
    ['an empty code', promoCodeRow({ code: '   ' }), {}, 'Promo code 77 was not sent: its code is empty', 'code'],
    ['an id over 50 characters', promoCodeRow({ id: '1'.repeat(51) }), {}, `Promo code ${'1'.repeat(51)} was not sent: its id is longer than 50 characters`, 'id'],
    ['a negative usage count', promoCodeRow({ usage_count: -1 }), {}, 'Promo code 77 was not sent: its usage count -1 is not a whole number of 0 or more', 'usage_count'],
    ['a code of another promotion', promoCodeRow({ promotion_id: '34' }), {}, 'Promo code 77 was not sent: it belongs to promotion 34, not 33', 'promotion_id'],
    [
      'a redemption URL over 2000 characters',
      promoCodeRow(),
      { storeDomain: `${'d'.repeat(2000)}.example.com` },
      'Promo code 77 was not sent: its redemption URL is longer than 2000 characters',
      'redemption_url',
    ],
  ])('fails on %s', (_label, row, settingsOver, reason, field) => {
    expect(mapPromoCode(row, promotionRow(), { ...settings, ...settingsOver })).toEqual({ kind: 'invalid', reason, field });
  });
});
