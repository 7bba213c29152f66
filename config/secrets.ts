import { VARIABLES, type VariableSpec } from './variables';

/**
 * The values that must never reach a log line, an error message or Temporal's history: every variable flagged
 * `secret: true` in config/variables.ts that is set to something other than its public default, and the password
 * of any such URL on its own. The loggers and the error paths of every process take their redaction list from here.
 */
export function secretValues(source: NodeJS.ProcessEnv = process.env): string[] {
  const values = new Set<string>();
  for (const spec of VARIABLES as readonly VariableSpec[]) {
    const value = source[spec.name];
    if (!spec.secret || value === undefined || value === '' || value === spec.default) continue;
    values.add(value);
    const password = urlPassword(value);
    if (password) {
      values.add(password);
      values.add(decodeURIComponent(password));
    }
  }
  return [...values].filter((v) => v.length >= 4);
}

function urlPassword(value: string): string | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return undefined;
  try {
    return new URL(value).password || undefined;
  } catch {
    return undefined;
  }
}

/** The names of the secret variables (for documentation and tests). */
export const SECRET_NAMES: readonly string[] = (VARIABLES as readonly VariableSpec[]).filter((v) => v.secret).map((v) => v.name);
