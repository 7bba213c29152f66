/**
 * Money. The shop stores DECIMAL(12,2) as strings ("19.90"); Mailchimp wants JSON numbers.
 * A plain decimal string converts exactly to the nearest double (19.9); anything else is refused, never guessed.
 */

/** A plain decimal: optional minus, digits, optional fraction. No exponent, no thousands separators, no currency sign. */
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** The number a DECIMAL string stands for, or undefined when it is not a plain decimal (NaN, "", "1,50", "€3"). */
export function parseDecimal(raw: string | number | null | undefined): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? normaliseZero(raw) : undefined;
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim();
  if (!DECIMAL.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? normaliseZero(n) : undefined;
}

/** -0 would print as 0 but compare oddly in hashes and tests. */
function normaliseZero(n: number): number {
  return n === 0 ? 0 : n;
}

export type MoneyResult = { ok: true; value: number } | { ok: false; problem: string };

/**
 * A non-negative amount of money, or the phrase saying why not, e.g. `the order total "-3.00" is negative`.
 * `what` names the field for the sentence ("the order total", "the price of variant SKU-1").
 */
export function nonNegativeMoney(raw: string | number | null | undefined, what: string): MoneyResult {
  const value = parseDecimal(raw);
  if (value === undefined) return { ok: false, problem: `${what} ${JSON.stringify(raw ?? null)} is not a number` };
  if (value < 0) return { ok: false, problem: `${what} ${JSON.stringify(raw)} is negative` };
  return { ok: true, value };
}

/**
 * A percentage as Mailchimp's fraction: "12.50" → 0.125. Computed by moving the decimal point in the string,
 * so the result is the double nearest to the exact decimal (no 12.5 / 100 rounding surprise).
 */
export function percentToFraction(raw: string | number): number | undefined {
  const n = parseDecimal(raw);
  if (n === undefined) return undefined;
  const fraction = Number(`${typeof raw === 'string' ? raw.trim() : String(n)}e-2`);
  return Number.isFinite(fraction) ? normaliseZero(fraction) : undefined;
}

/** Currency codes compare case-insensitively ("eur" and "EUR" are the same currency). */
export function sameCurrency(a: string, b: string): boolean {
  return a.trim().toUpperCase() === b.trim().toUpperCase();
}

/** The ISO 4217 form Mailchimp expects: three uppercase letters. */
export function normaliseCurrency(code: string): string {
  return code.trim().toUpperCase();
}

export function isCurrencyCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(normaliseCurrency(code));
}
