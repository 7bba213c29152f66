import { MailchimpError } from '../mailchimp-error';
import { MAILCHIMP_LIMITS } from '../schemas/limits';
import type { Transport, QueryParams } from '../transport';
import type { Page, PageOptions } from '../types';

/** Query parameters of one page, refusing a `count` Mailchimp would reject. */
export function pageQuery(path: string, options: PageOptions = {}): QueryParams {
  const { count, offset, fields } = options;
  if (count !== undefined && (!Number.isInteger(count) || count < 1 || count > MAILCHIMP_LIMITS.pageSizeMax)) {
    throw new MailchimpError({
      kind: 'validation',
      status: 0,
      title: 'Invalid Resource',
      detail: `Not sent: count must be a whole number from 1 to ${MAILCHIMP_LIMITS.pageSizeMax}`,
      fieldErrors: [{ field: 'count', message: `must be from 1 to ${MAILCHIMP_LIMITS.pageSizeMax}` }],
      method: 'GET',
      path,
    });
  }
  return {
    count,
    offset,
    fields: fields === undefined ? undefined : typeof fields === 'string' ? fields : fields.join(','),
  };
}

/** A collection response names its items after the resource (`products`, `members`, ...): take the array. */
export function toPage<T>(body: unknown): Page<T> {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const itemsKey = Object.keys(record).find((key) => key !== '_links' && Array.isArray(record[key]));
  const items = (itemsKey ? record[itemsKey] : []) as T[];
  const total = Number(record.total_items);
  return { items, total_items: Number.isFinite(total) ? total : items.length };
}

export async function fetchPage<T>(transport: Transport, path: string, options: PageOptions & { query?: QueryParams } = {}): Promise<Page<T>> {
  const body = await transport.call<unknown>({ method: 'GET', path, query: { ...options.query, ...pageQuery(path, options) } });
  return toPage<T>(body);
}

/** The body's `id` for error messages, when it has one. */
export function idOf(body: unknown): string {
  const id = typeof body === 'object' && body !== null ? (body as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : '(no id)';
}
