import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { redactSecrets, REDACTED } from '../mailchimp/redact';

/**
 * The process's JSON logger (pino). Every line is scrubbed just before it is written:
 * - the Mailchimp API key and the webhook secret (as given, URL-encoded and JSON-escaped), anything shaped like an
 *   API key, and Basic/Bearer credentials → `[REDACTED]`;
 * - fields named like credentials (apiKey, secret, password, authorization headers) → `[REDACTED]`;
 * - email addresses → the local part masked (`j***@example.com`), the domain kept for diagnosis.
 */

export type LogLevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
const LEVELS: readonly LogLevelName[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

export interface CreateLoggerOptions {
  /** LOG_LEVEL; unknown values fall back to info. */
  level?: string;
  /** Values that must never appear in a log line (the API key, the webhook secret). */
  secrets?: ReadonlyArray<string | undefined>;
  /** Where lines go (default stdout). Tests pass a capturing stream. */
  destination?: DestinationStream;
  /** Fixed fields on every line. */
  base?: Record<string, unknown>;
}

/** Credential-like fields, at the top level and up to two levels down (pino's redact paths). */
export const REDACT_PATHS = [
  'apiKey', 'api_key', 'secret', 'webhookSecret', 'password', 'authorization', 'Authorization',
  'headers.authorization', 'headers.Authorization',
  '*.apiKey', '*.api_key', '*.secret', '*.webhookSecret', '*.password', '*.authorization', '*.Authorization',
  '*.headers.authorization', '*.headers.Authorization',
  'req.headers.authorization', 'config.auth', '*.config.auth', 'auth', '*.auth',
];

// Local part: RFC 5322 atext plus dots (what appears in practice); the domain needs a dot and a 2+ letter TLD.
const EMAIL = /([A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g;

/** `jane.doe@example.com` → `j***@example.com`. */
export function maskEmails(text: string): string {
  return text.replace(EMAIL, (_match, local: string, domain: string) => `${local.charAt(0)}***@${domain}`);
}

/** Every form in which a secret could appear in a JSON log line. */
function secretForms(secrets: ReadonlyArray<string | undefined>): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(JSON.stringify(encodeURIComponent(secret)).slice(1, -1));
  }
  // Longest first, so a form containing another is replaced whole.
  return [...forms].sort((a, b) => b.length - a.length);
}

/** The scrubbing applied to each serialized line (exported for tests and for other sinks). */
export function scrubber(secrets: ReadonlyArray<string | undefined>): (line: string) => string {
  const forms = secretForms(secrets);
  return (line) => maskEmails(redactSecrets(line, forms));
}

export function logLevel(value: string | undefined): LogLevelName {
  const level = (value ?? '').trim().toLowerCase() as LogLevelName;
  return LEVELS.includes(level) ? level : 'info';
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const scrub = scrubber(options.secrets ?? []);
  const config: LoggerOptions = {
    level: logLevel(options.level),
    base: { service: 'mcsync', ...options.base },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    hooks: { streamWrite: scrub },
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}

export type { Logger };
