/** Text that must never leave the process: API keys and auth header values. */
const KEY_SHAPED = /\b[0-9a-f]{32}-[a-z]{2,4}\d{1,3}\b/gi;
const AUTH_HEADER_VALUE = /\b(Basic|Bearer)\s+[A-Za-z0-9+/=._~-]+/g;
export const REDACTED = '[REDACTED]';

/**
 * Replaces every occurrence of each secret, anything shaped like a Mailchimp API key,
 * and Basic/Bearer credentials with `[REDACTED]`.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out.replace(KEY_SHAPED, REDACTED).replace(AUTH_HEADER_VALUE, `$1 ${REDACTED}`);
}
