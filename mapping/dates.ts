/** Dates: the shop gives Date objects in UTC; Mailchimp gets ISO 8601 in UTC (`2026-11-23T10:15:00.000Z`). */

export function isValidDate(d: unknown): d is Date {
  return d instanceof Date && !Number.isNaN(d.getTime());
}

/** ISO 8601 UTC, or undefined for null or an invalid Date (toISOString would throw). */
export function isoUtc(d: Date | null | undefined): string | undefined {
  return isValidDate(d) ? d.toISOString() : undefined;
}
