import type { FieldError } from './schemas/validate';
import { MailchimpError, type MailchimpErrorKind } from './mailchimp-error';
import { parseRetryAfter } from './retry-after';

/** Where a failure happened; copied onto the error. */
export interface RequestContext {
  method?: string;
  /** Path below the API root only. */
  path?: string;
  entity?: string;
  /** Scrubbed from every text (the API key). */
  secrets?: readonly string[];
}

/** Response headers as any HTTP library gives them; names are matched case-insensitively. */
export type HeaderBag = Readonly<Record<string, unknown>>;

interface ProblemDetail {
  title: string;
  detail: string;
  errors: FieldError[];
}

/** Reads an RFC 7807 problem body (object or JSON text). Null when the body is not a JSON object. */
function readProblem(body: unknown): ProblemDetail | null {
  let value = body;
  if (value instanceof ArrayBuffer) value = Buffer.from(value);
  if (Buffer.isBuffer(value)) value = value.toString('utf8');
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const errors = Array.isArray(record.errors)
    ? record.errors.flatMap((e): FieldError[] =>
        typeof e === 'object' && e !== null
          ? [{ field: String((e as Record<string, unknown>).field ?? ''), message: String((e as Record<string, unknown>).message ?? '') }]
          : [],
      )
    : [];
  return {
    title: typeof record.title === 'string' ? record.title : '',
    detail: typeof record.detail === 'string' ? record.detail : '',
    errors,
  };
}

function header(headers: HeaderBag, name: string): unknown {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

const COMPLIANCE_TITLES = new Set(['member in compliance state', 'forgotten email not subscribed']);

function kindOf400(problem: ProblemDetail): MailchimpErrorKind {
  const title = problem.title.trim().toLowerCase();
  if (title === 'member exists') return 'member_exists';
  if (COMPLIANCE_TITLES.has(title)) return 'compliance';
  if (/already exists/i.test(problem.detail)) return 'already_exists';
  if (/does not exist in the account/i.test(problem.detail)) return 'missing_dependency';
  return 'validation';
}

function kindOf(status: number, problem: ProblemDetail | null): MailchimpErrorKind {
  if (status === 400) return kindOf400(problem ?? { title: '', detail: '', errors: [] });
  if (status === 401) return 'auth';
  // At very high volume Mailchimp answers 403 with no JSON body: that is throttling, not a bad key.
  if (status === 403) return problem ? 'auth' : 'rate_limited';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status === 408 || status >= 500) return 'transient';
  // 405, 414, 422, 426 and other 4xx: the request itself is wrong; sending it again will not help.
  return 'validation';
}

/**
 * Mailchimp refused a new order that names, by id only, a customer it does not have (deleted by hand, while the sync
 * state says it was sent): the order's sync sends the customer again and retries (activities/entities/order.ts).
 */
export function refusesUnknownCustomer(err: MailchimpError): boolean {
  return err.kind === 'validation' && err.fieldErrors.some((e) => e.field === 'customer.email_address');
}

/** Mailchimp's refusal of a cart or order naming a campaign it does not have (a deleted campaign's id, from a cookie). */
export const UNKNOWN_CAMPAIGN = 'A campaign with the provided ID does not exist.';

/**
 * Mailchimp refused a write for its `campaign_id` (the campaign is deleted or never existed): the cart is sent again
 * without it (activities/entities/cart.ts). Matched on the text whatever the kind: "… in the account" reads as a
 * missing dependency.
 */
export function refusesUnknownCampaign(err: MailchimpError): boolean {
  return (err.kind === 'validation' || err.kind === 'missing_dependency') && /campaign with the provided id does not exist/i.test(err.detail);
}

/** Classifies a non-2xx response. */
export function classifyResponse(status: number, problemBody: unknown, headers: HeaderBag = {}, context: RequestContext = {}): MailchimpError {
  const problem = readProblem(problemBody);
  const kind = kindOf(status, problem);
  const retryAfterMs = kind === 'rate_limited' ? parseRetryAfter(header(headers, 'retry-after')) : undefined;
  return new MailchimpError({
    kind,
    status,
    title: problem?.title || `HTTP ${status}`,
    detail: problem?.detail ?? '',
    fieldErrors: problem?.errors ?? [],
    retryAfterMs,
    method: context.method,
    path: context.path,
    entity: context.entity,
    secrets: context.secrets,
  });
}

const NETWORK_CODES: Record<string, string> = {
  ECONNABORTED: 'the request timed out',
  ETIMEDOUT: 'the request timed out',
  ESOCKETTIMEDOUT: 'the request timed out',
  ECONNRESET: 'the connection was reset',
  ECONNREFUSED: 'the connection was refused',
  EPIPE: 'the connection was closed while sending',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ENOTFOUND: 'the host name did not resolve',
  EAI_AGAIN: 'the host name did not resolve',
  ERR_SOCKET_CONNECTION_TIMEOUT: 'the connection timed out',
};

function readCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function readMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : '';
}

/** True for failures where no response came back: timeouts, resets, refusals, "socket hang up". */
export function isNetworkError(err: unknown): boolean {
  const code = readCode(err);
  if (code !== undefined && code in NETWORK_CODES) return true;
  return /socket hang up|timeout|timed out/i.test(readMessage(err));
}

/** Classifies a failure with no HTTP response: always `transient`. Keeps only the code and message. */
export function classifyNetworkError(err: unknown, context: RequestContext = {}): MailchimpError {
  const code = readCode(err);
  const message = readMessage(err);
  const reason = (code && NETWORK_CODES[code]) || (/socket hang up/i.test(message) ? 'the connection was closed (socket hang up)' : message || 'network failure');
  return new MailchimpError({
    kind: 'transient',
    status: 0,
    title: code ?? 'Network Error',
    detail: reason,
    method: context.method,
    path: context.path,
    entity: context.entity,
    secrets: context.secrets,
  });
}
