import { classifyNetworkError, classifyResponse, parseRetryAfter, type MailchimpErrorKind } from '../../../mailchimp/errors';

const problem = (status: number, title: string, detail: string, extra: Record<string, unknown> = {}) => ({
  type: 'https://mailchimp.com/developer/marketing/docs/errors/',
  title,
  status,
  detail,
  instance: 'abc',
  ...extra,
});

const cases: Array<[string, number, unknown, MailchimpErrorKind]> = [
  ['Invalid Resource', 400, problem(400, 'Invalid Resource', "The resource submitted could not be validated. For field-specific details, see the 'errors' array."), 'validation'],
  ['duplicate order', 400, problem(400, 'Bad Request', 'We were unable to process the request. An order with the provided ID already exists in the account.'), 'already_exists'],
  ['duplicate product', 400, problem(400, 'Bad Request', 'A product with the provided ID already exists in the account.'), 'already_exists'],
  ['Member Exists', 400, problem(400, 'Member Exists', 'a@example.com is already a list member. Use PUT to insert or update list members.'), 'member_exists'],
  ['Member In Compliance State', 400, problem(400, 'Member In Compliance State', 'a@example.com is in a compliance state due to unsubscribe, bounce, or compliance review and cannot be subscribed.'), 'compliance'],
  ['Forgotten Email Not Subscribed', 400, problem(400, 'Forgotten Email Not Subscribed', 'a@example.com was permanently deleted and cannot be re-imported.'), 'compliance'],
  ['missing variant', 400, problem(400, 'Bad Request', 'A product with the provided variant ID does not exist in the account for this list.'), 'missing_dependency'],
  ['missing product', 400, problem(400, 'Bad Request', 'A product with the provided ID does not exist in the account for this list.'), 'missing_dependency'],
  ['other 400', 400, problem(400, 'Bad Request', 'Something else.'), 'validation'],
  ['400 as JSON text', 400, JSON.stringify(problem(400, 'Member Exists', 'x')), 'member_exists'],
  ['401 API Key Invalid', 401, problem(401, 'API Key Invalid', 'Your API key may be invalid, or you\'ve attempted to access the wrong datacenter.'), 'auth'],
  ['403 Forbidden with a body', 403, problem(403, 'Forbidden', 'You don\'t have permission.'), 'auth'],
  ['403 with no body (high volume)', 403, '', 'rate_limited'],
  ['403 with an HTML body', 403, '<html>Forbidden</html>', 'rate_limited'],
  ['404', 404, problem(404, 'Resource Not Found', 'The requested resource could not be found.'), 'not_found'],
  ['405', 405, problem(405, 'Method Not Allowed', 'The requested method and resource are not compatible.'), 'validation'],
  ['429', 429, problem(429, 'Too Many Requests', 'You have exceeded the limit of 10 simultaneous connections.'), 'rate_limited'],
  ['500', 500, problem(500, 'Internal Server Error', 'An unexpected internal error has occurred.'), 'transient'],
  ['502 HTML', 502, '<html>Bad gateway</html>', 'transient'],
  ['503 empty', 503, undefined, 'transient'],
];

describe('classifyResponse', () => {
  it.each(cases)('%s → %s', (_label, status, body, kind) => {
    const error = classifyResponse(status, body, {});
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
  });

  it('keeps title, detail and field errors of a validation problem', () => {
    const error = classifyResponse(
      400,
      problem(400, 'Invalid Resource', 'The resource submitted could not be validated.', {
        errors: [{ field: 'lines.0.price', message: 'must be a number' }],
      }),
      {},
      { method: 'POST', path: '/ecommerce/stores/shop1/orders', entity: 'order 10023' },
    );
    expect(error).toMatchObject({
      kind: 'validation',
      title: 'Invalid Resource',
      detail: 'The resource submitted could not be validated.',
      fieldErrors: [{ field: 'lines.0.price', message: 'must be a number' }],
      method: 'POST',
      path: '/ecommerce/stores/shop1/orders',
    });
    expect(error.message).toBe('Mailchimp rejected order 10023: lines.0.price: must be a number');
  });

  it('reads Retry-After in seconds, whatever the header name case', () => {
    expect(classifyResponse(429, problem(429, 'Too Many Requests', ''), { 'Retry-After': '7' }).retryAfterMs).toBe(7000);
    expect(classifyResponse(429, problem(429, 'Too Many Requests', ''), { 'retry-after': ['3'] }).retryAfterMs).toBe(3000);
  });

  it('reads Retry-After as an HTTP date', () => {
    const at = new Date(Date.now() + 30_000).toUTCString();
    const ms = classifyResponse(429, problem(429, 'Too Many Requests', ''), { 'retry-after': at }).retryAfterMs;
    expect(ms).toBeGreaterThan(28_000);
    expect(ms).toBeLessThanOrEqual(30_000);
  });

  it('has no retryAfterMs when Retry-After is missing or unreadable, or the kind is not rate_limited', () => {
    expect(classifyResponse(429, problem(429, 'Too Many Requests', ''), {}).retryAfterMs).toBeUndefined();
    expect(classifyResponse(429, problem(429, 'Too Many Requests', ''), { 'retry-after': 'soon' }).retryAfterMs).toBeUndefined();
    expect(classifyResponse(500, problem(500, 'x', ''), { 'retry-after': '5' }).retryAfterMs).toBeUndefined();
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('handles seconds, fractions, dates in the past and garbage', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('classifyNetworkError', () => {
  const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });
  it.each([
    ['timeout (ETIMEDOUT)', withCode('ETIMEDOUT', 'timeout of 30000ms exceeded')],
    ['timeout (ECONNABORTED)', withCode('ECONNABORTED', 'timeout of 30000ms exceeded')],
    ['ECONNRESET', withCode('ECONNRESET', 'read ECONNRESET')],
    ['ECONNREFUSED', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:4010')],
    ['socket hang up', new Error('socket hang up')],
  ])('%s → transient, status 0', (_label, err) => {
    const error = classifyNetworkError(err, { method: 'GET', path: '/ping' });
    expect(error.kind).toBe('transient');
    expect(error.status).toBe(0);
    expect(error.message).toContain('GET /ping');
  });

  it('keeps no reference to the original error (which may hold request config)', () => {
    const original = Object.assign(new Error('socket hang up'), { config: { auth: { password: 'secret-key-us1' } } });
    const error = classifyNetworkError(original);
    expect(error.cause).toBeUndefined();
    expect(JSON.stringify(error)).not.toContain('secret-key-us1');
  });
});
