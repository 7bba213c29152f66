import { formatFieldErrors, type FieldError } from './schemas/validate';
import { redactSecrets } from './redact';

export const MAILCHIMP_ERROR_KINDS = [
  'validation',
  'already_exists',
  'member_exists',
  'missing_dependency',
  'not_found',
  'compliance',
  'auth',
  'rate_limited',
  'transient',
] as const;
export type MailchimpErrorKind = (typeof MAILCHIMP_ERROR_KINDS)[number];

export interface MailchimpErrorInit {
  kind: MailchimpErrorKind;
  /** HTTP status; 0 when no response came (network failure, or a body refused before sending). */
  status: number;
  title: string;
  detail: string;
  fieldErrors?: FieldError[];
  retryAfterMs?: number;
  method?: string;
  /** Path below the API root, e.g. `/ecommerce/stores/shop1/orders`. Never a full URL. */
  path?: string;
  /** What was being written or read, e.g. "order 10023". */
  entity?: string;
  /** Strings to scrub from every text field (the API key). */
  secrets?: readonly string[];
}

/** What `toJSON` returns: every field a log line or a Temporal failure detail needs. */
export interface MailchimpErrorJSON {
  name: 'MailchimpError';
  message: string;
  kind: MailchimpErrorKind;
  status: number;
  title: string;
  detail: string;
  fieldErrors: FieldError[];
  retryAfterMs?: number;
  method: string;
  path: string;
  entity?: string;
}

/** A failed Mailchimp call, classified. Carries no request config, headers or credentials. */
export class MailchimpError extends Error {
  override readonly name = 'MailchimpError';
  readonly kind: MailchimpErrorKind;
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly fieldErrors: FieldError[];
  declare readonly retryAfterMs?: number;
  readonly method: string;
  readonly path: string;
  declare readonly entity?: string;

  constructor(init: MailchimpErrorInit) {
    const scrub = (text: string) => redactSecrets(text, init.secrets);
    const fields = {
      kind: init.kind,
      status: init.status,
      title: scrub(init.title),
      detail: scrub(init.detail),
      fieldErrors: (init.fieldErrors ?? []).map((e) => ({ field: scrub(e.field), message: scrub(e.message) })),
      method: init.method ?? '',
      path: scrub(init.path ?? ''),
      entity: init.entity === undefined ? undefined : scrub(init.entity),
      retryAfterMs: init.retryAfterMs,
    };
    super(scrub(describe(fields)));
    this.kind = fields.kind;
    this.status = fields.status;
    this.title = fields.title;
    this.detail = fields.detail;
    this.fieldErrors = fields.fieldErrors;
    this.method = fields.method;
    this.path = fields.path;
    if (fields.entity !== undefined) this.entity = fields.entity;
    if (fields.retryAfterMs !== undefined) this.retryAfterMs = fields.retryAfterMs;
  }

  toJSON(): MailchimpErrorJSON {
    return {
      name: this.name,
      message: this.message,
      kind: this.kind,
      status: this.status,
      title: this.title,
      detail: this.detail,
      fieldErrors: this.fieldErrors,
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
      method: this.method,
      path: this.path,
      ...(this.entity !== undefined ? { entity: this.entity } : {}),
    };
  }
}

type Described = Required<Pick<MailchimpErrorInit, 'kind' | 'status' | 'title' | 'detail' | 'fieldErrors' | 'method' | 'path'>> &
  Pick<MailchimpErrorInit, 'entity' | 'retryAfterMs'>;

/** One sentence a person understands, e.g. "Mailchimp rejected order 10023: lines.0.price: must be a number". */
function describe(e: Described): string {
  const request = [e.method, e.path].filter(Boolean).join(' ') || 'the request';
  const what = e.entity ?? request;
  const said = [e.title, e.detail].filter(Boolean).join(': ');
  switch (e.kind) {
    case 'validation':
      return `Mailchimp rejected ${what}: ${e.fieldErrors.length > 0 ? formatFieldErrors(e.fieldErrors) : said}`;
    case 'already_exists':
      return `Mailchimp already has ${what}: ${e.detail || e.title}`;
    case 'member_exists':
      return `Mailchimp refused ${what}: the address is already a list member (${said})`;
    case 'missing_dependency':
      return `Mailchimp refused ${what} because something it references is not there yet: ${e.detail || e.title}`;
    case 'not_found':
      return `Mailchimp could not find ${what} (${request})`;
    case 'compliance':
      return `Mailchimp will not subscribe ${what}: ${said}`;
    case 'auth':
      return `Mailchimp refused the API key for ${request} (${e.status} ${said})`;
    case 'rate_limited': {
      const wait = e.retryAfterMs !== undefined ? `; retry after ${Math.ceil(e.retryAfterMs / 1000)} s` : '';
      return `Mailchimp is limiting requests (${e.status}) for ${request}${wait}`;
    }
    case 'transient':
      return `Mailchimp did not complete ${request}${e.status ? ` (${e.status})` : ''}: ${said || 'no answer'}`;
  }
}
