import { ApiError } from './problem';

export const apiKeyMissing = (): ApiError =>
  new ApiError(401, 'API Key Missing', 'Your request did not include an API key.');
export const apiKeyInvalid = (): ApiError =>
  new ApiError(401, 'API Key Invalid', "Your API key may be invalid, or you've attempted to access the wrong datacenter.");

/**
 * The API key of a request: HTTP Basic with any user name and the key as password (or an OAuth Bearer token).
 * Throws Mailchimp's 401 when it is missing or not `expected`.
 */
export function authenticate(header: string | undefined, expected: string): string {
  if (!header || header.trim() === '') throw apiKeyMissing();
  const [scheme, credentials = ''] = header.trim().split(/\s+/, 2);
  let key: string | undefined;
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    key = colon >= 0 ? decoded.slice(colon + 1) : undefined;
  } else if (scheme.toLowerCase() === 'bearer') {
    key = credentials;
  }
  if (key === undefined || key === '') throw apiKeyMissing();
  if (key !== expected) throw apiKeyInvalid();
  return key;
}
