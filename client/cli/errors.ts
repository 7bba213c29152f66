import { MailchimpError } from '../../mailchimp/mailchimp-error';

/** Exit codes of `mcsync`, as documented in every command's --help. */
export const EXIT = {
  ok: 0,
  /** The command ran but found a problem: a failed entity, drift, a failed workflow. */
  failure: 1,
  /** Bad arguments: unknown command, option or entity type. */
  usage: 2,
  /** Temporal, the database or Mailchimp could not be reached. */
  unreachable: 3,
} as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0  success (and, for reconcile/errors, nothing found)
  1  failure: an entity or workflow failed, failed entities listed, drift found
  2  usage error: unknown command, option or type
  3  a service cannot be reached (Temporal, the database, Mailchimp)`;

/** An error whose exit code and message are meant for the operator as they are. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
    this.name = 'CliError';
  }
}

export function usageError(message: string): CliError {
  return new CliError(message, EXIT.usage);
}

export function unreachable(service: string, detail: string): CliError {
  return new CliError(`Cannot reach ${service}: ${detail}`, EXIT.unreachable);
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EAI_AGAIN', 'EPIPE',
]);
const DATABASE_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST', 'ER_ACCESS_DENIED_ERROR', 'ER_BAD_DB_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_CON_COUNT_ERROR',
]);

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The exit code and message for any error a command throws: our own CliErrors keep theirs; connection problems
 * of the database (mysql2/knex), Temporal (gRPC) and Mailchimp become exit 3 naming the service; the rest exit 1.
 */
export function classifyError(err: unknown): { exitCode: number; message: string } {
  if (err instanceof CliError) return { exitCode: err.exitCode, message: err.message };
  if (err instanceof MailchimpError) {
    if ((err.kind === 'transient' && err.status === 0) || err.kind === 'auth') {
      return { exitCode: EXIT.unreachable, message: `Cannot reach Mailchimp (MAILCHIMP_API_URL / MAILCHIMP_API_KEY): ${err.message}` };
    }
    return { exitCode: EXIT.failure, message: `Mailchimp: ${err.message}` };
  }
  const message = err instanceof Error ? err.message : String(err);
  const code = codeOf(err);
  if (code && DATABASE_CODES.has(code)) return { exitCode: EXIT.unreachable, message: `Cannot reach the database (DATABASE_URL): ${message}` };
  if (err instanceof Error && err.name === 'KnexTimeoutError') {
    return { exitCode: EXIT.unreachable, message: `Cannot reach the database (DATABASE_URL): ${message}` };
  }
  if (code && NETWORK_CODES.has(code) && (err as { fatal?: unknown }).fatal === true) {
    // mysql2 marks the connection errors it cannot recover from as fatal.
    return { exitCode: EXIT.unreachable, message: `Cannot reach the database (DATABASE_URL): ${message}` };
  }
  if (code && NETWORK_CODES.has(code)) return { exitCode: EXIT.unreachable, message: `Cannot reach a service: ${message}` };
  // gRPC UNAVAILABLE (14) and DEADLINE_EXCEEDED (4) from the Temporal client.
  const grpc = (err as { code?: unknown; cause?: { code?: unknown } } | null);
  if (err instanceof Error && (err.name === 'ServiceError' || err.name === 'TransportError')) {
    const status = typeof grpc?.cause?.code === 'number' ? grpc.cause.code : typeof grpc?.code === 'number' ? grpc.code : undefined;
    if (status === 14 || status === 4 || err.name === 'TransportError') {
      return { exitCode: EXIT.unreachable, message: `Cannot reach Temporal (TEMPORAL_ADDRESS): ${message}` };
    }
  }
  return { exitCode: EXIT.failure, message };
}
