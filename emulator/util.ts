import { createHash } from 'node:crypto';
import { Random } from '../util/random';
import { invalidResource } from './problem';

/** Mailchimp's timestamp style: `2024-05-01T12:00:00+00:00`. */
export function mailchimpTime(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** Webhook `fired_at`: `YYYY-MM-DD HH:MM:SS` in UTC. */
export function firedAt(date: Date = new Date()): string {
  return date.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '');
}

export function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

export function subscriberHash(email: string): string {
  return md5(email.toLowerCase());
}

/** The path's `{subscriber_hash}` may also be the raw email address. */
export function memberKey(hashOrEmail: string): string {
  return hashOrEmail.includes('@') ? subscriberHash(hashOrEmail) : hashOrEmail.toLowerCase();
}

export type Query = Record<string, string>;

export const PAGE_SIZE_DEFAULT = 10;
export const PAGE_SIZE_MAX = 1000;

export interface Paging {
  count: number;
  offset: number;
}

export function paging(query: Query): Paging {
  const count = query.count === undefined ? PAGE_SIZE_DEFAULT : Number(query.count);
  const offset = query.offset === undefined ? 0 : Number(query.offset);
  const errors = [];
  if (!Number.isInteger(count) || count < 0) errors.push({ field: 'count', message: 'must be a whole number' });
  else if (count > PAGE_SIZE_MAX) errors.push({ field: 'count', message: `must be at most ${PAGE_SIZE_MAX}` });
  if (!Number.isInteger(offset) || offset < 0) errors.push({ field: 'offset', message: 'must be a non-negative whole number' });
  if (errors.length > 0) throw invalidResource(errors);
  return { count, offset };
}

/**
 * One page of `items` (in insertion order) and the number matching `filter`.
 * Without a filter, only the page is visited; `size` gives the total.
 */
export function page<T>(items: Iterable<T>, size: number, p: Paging, filter?: (item: T) => boolean): { items: T[]; total: number } {
  const out: T[] = [];
  let index = 0;
  for (const item of items) {
    if (filter && !filter(item)) continue;
    if (index >= p.offset && out.length < p.count) out.push(item);
    index += 1;
    if (!filter && out.length >= p.count) break;
  }
  return { items: out, total: filter ? index : size };
}

/** The emulator's random numbers (faults, latency, batch order): replayed from the config's seed; none: a fresh one. */
export function randomFor(seed: number | null | undefined): Random {
  return new Random(seed ?? Math.floor(Math.random() * 2 ** 32));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
