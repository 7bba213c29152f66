import { randomUUID } from 'node:crypto';

/** Mailchimp's error documents: RFC 7807 problem details. */
export const PROBLEM_TYPE = 'https://mailchimp.com/developer/marketing/docs/errors/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
export const NOT_FOUND_DETAIL = 'The requested resource could not be found.';
export const INVALID_RESOURCE_DETAIL =
  "The resource submitted could not be validated. For field-specific details, see the 'errors' array.";

export interface FieldProblem {
  field: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: FieldProblem[];
}

/** A Mailchimp error answer; thrown by handlers and turned into a problem+json body by the dispatcher. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors?: FieldProblem[],
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${title}: ${detail}`);
  }

  toBody(): ProblemBody {
    const body: ProblemBody = { type: PROBLEM_TYPE, title: this.title, status: this.status, detail: this.detail, instance: randomUUID() };
    if (this.errors) body.errors = this.errors;
    return body;
  }
}

export const notFound = (): ApiError => new ApiError(404, 'Resource Not Found', NOT_FOUND_DETAIL);

export const methodNotAllowed = (method: string): ApiError =>
  new ApiError(405, 'Method Not Allowed', `The requested method and resource are not compatible. See the Allow header for this resource's available methods. (${method})`);

export const badRequest = (detail: string): ApiError =>
  new ApiError(400, 'Bad Request', `We were unable to process the request. ${detail}`);

export const invalidResource = (errors: FieldProblem[], detail = INVALID_RESOURCE_DETAIL): ApiError =>
  new ApiError(400, 'Invalid Resource', detail, errors);

export const tooManyRequests = (detail: string, retryAfterSeconds?: number): ApiError =>
  new ApiError(429, 'Too Many Requests', detail, undefined, retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) });

export const jsonParseError = (): ApiError =>
  new ApiError(400, 'JSON Parse Error', 'We encountered an unspecified JSON parsing error.');
