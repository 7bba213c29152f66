/**
 * The outcome of mapping one shop row to a Mailchimp payload.
 * - ok: send `payload`.
 * - skip: nothing to send, by design (a pending order, an inactive product); not an error.
 * - invalid: the row cannot be sent; `reason` is a sentence for a person, `field` names the offending field when one is to blame.
 */
export type Mapped<T> =
  | { kind: 'ok'; payload: T }
  | { kind: 'skip'; reason: string }
  | { kind: 'invalid'; reason: string; field?: string };

export function ok<T>(payload: T): Mapped<T> {
  return { kind: 'ok', payload };
}

export function skip<T = never>(reason: string): Mapped<T> {
  return { kind: 'skip', reason };
}

export function invalid<T = never>(reason: string, field?: string): Mapped<T> {
  return field === undefined ? { kind: 'invalid', reason } : { kind: 'invalid', reason, field };
}

/** Re-labels a failure of another type (the payload type does not matter for a failure). */
export function failureOf<T>(m: Exclude<Mapped<unknown>, { kind: 'ok' }>): Mapped<T> {
  return m;
}

export function isOk<T>(m: Mapped<T>): m is { kind: 'ok'; payload: T } {
  return m.kind === 'ok';
}
