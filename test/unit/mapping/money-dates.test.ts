import { isoUtc, isValidDate } from '../../../mapping/dates';
import {
  isCurrencyCode,
  nonNegativeMoney,
  normaliseCurrency,
  parseDecimal,
  percentToFraction,
  sameCurrency,
} from '../../../mapping/money';

describe('parseDecimal: DECIMAL strings to numbers, exactly', () => {
  it.each([
    ['19.90', 19.9],
    ['0.00', 0],
    ['-0.00', 0],
    ['1234567890.12', 1234567890.12],
    ['7', 7],
    [' 3.50 ', 3.5],
    ['-2.50', -2.5],
    [12.5, 12.5],
  ])('parseDecimal(%j) = %p', (raw, expected) => {
    expect(parseDecimal(raw)).toBe(expected);
  });
  it('never returns -0', () => {
    expect(Object.is(parseDecimal('-0.00'), 0)).toBe(true);
  });
  it.each(['', 'abc', 'NaN', '1,50', '€3', '1e5', '1.2.3', '.5', '5.', 'Infinity', null, undefined, NaN, Infinity])(
    'refuses %j',
    (raw) => {
      expect(parseDecimal(raw as string)).toBeUndefined();
    },
  );
});

describe('nonNegativeMoney', () => {
  it('accepts zero and positive amounts', () => {
    expect(nonNegativeMoney('0.00', 'the total')).toEqual({ ok: true, value: 0 });
    expect(nonNegativeMoney('31.77', 'the total')).toEqual({ ok: true, value: 31.77 });
  });
  it('says a negative amount is negative', () => {
    expect(nonNegativeMoney('-3.00', 'the order total')).toEqual({ ok: false, problem: 'the order total "-3.00" is negative' });
  });
  it('says a non-number is not a number', () => {
    expect(nonNegativeMoney('NaN', 'the order total')).toEqual({ ok: false, problem: 'the order total "NaN" is not a number' });
    expect(nonNegativeMoney(null, 'the price')).toEqual({ ok: false, problem: 'the price null is not a number' });
  });
});

describe('percentToFraction', () => {
  it.each([
    ['10.00', 0.1],
    ['12.50', 0.125],
    ['7.00', 0.07],
    ['33.33', 0.3333],
    ['100.00', 1],
    ['0.00', 0],
  ])('%s %% → %p', (raw, expected) => {
    expect(percentToFraction(raw)).toBe(expected);
  });
  it('refuses a non-number', () => {
    expect(percentToFraction('ten')).toBeUndefined();
  });
});

describe('currencies', () => {
  it('compare case-insensitively and ignore spaces', () => {
    expect(sameCurrency('eur', 'EUR ')).toBe(true);
    expect(sameCurrency('USD', 'EUR')).toBe(false);
  });
  it('normalise to uppercase', () => {
    expect(normaliseCurrency(' eur')).toBe('EUR');
  });
  it('are 3 letters', () => {
    expect(isCurrencyCode('EUR')).toBe(true);
    expect(isCurrencyCode('eur')).toBe(true);
    expect(isCurrencyCode('EURO')).toBe(false);
    expect(isCurrencyCode('€')).toBe(false);
  });
});

describe('dates', () => {
  it('format as ISO 8601 UTC', () => {
    expect(isoUtc(new Date('2026-03-05T23:59:59.999+01:00'))).toBe('2026-03-05T22:59:59.999Z');
  });
  it('leave null, undefined and invalid dates out', () => {
    expect(isoUtc(null)).toBeUndefined();
    expect(isoUtc(undefined)).toBeUndefined();
    expect(isoUtc(new Date('not a date'))).toBeUndefined();
    expect(isValidDate(new Date(NaN))).toBe(false);
  });
});
