import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { VARIABLES, type VariableSpec } from './variables';

/** One variable whose value is not allowed. `shown` is the value as it may be printed (secrets masked). */
export interface ConfigProblem {
  readonly name: string;
  readonly shown: string;
  readonly allowed: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(formatProblems(problems));
    this.name = 'ConfigError';
  }
}

/** The exit code of every process whose configuration is invalid (the CLI's usage error too). */
export const CONFIG_EXIT_CODE = 2;

/** A secret's value as it may be shown: a URL (DATABASE_URL) keeps all but its password, anything else only its length. */
export function maskValue(spec: Pick<VariableSpec, 'name' | 'secret'>, value: string): string {
  if (!spec.secret || value === '') return value;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    try {
      const url = new URL(value);
      if (url.password) url.password = '****';
      return url.toString();
    } catch {
      // not a URL: masked whole below
    }
  }
  return `(secret, ${value.length} characters)`;
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
  const lines = problems.map((p) => `  ${p.name}=${JSON.stringify(p.shown)} is not allowed: use ${p.allowed}.`);
  return `Invalid configuration (see config/variables.ts or the README's Configuration table):\n${lines.join('\n')}`;
}

/** Rules between variables, which no single variable's check can see. */
function crossProblems(source: NodeJS.ProcessEnv): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const cert = source.TEMPORAL_TLS_CLIENT_CERT_PATH ?? '';
  const key = source.TEMPORAL_TLS_CLIENT_KEY_PATH ?? '';
  if (cert !== '' && key === '') problems.push({ name: 'TEMPORAL_TLS_CLIENT_KEY_PATH', shown: '', allowed: 'the key of TEMPORAL_TLS_CLIENT_CERT_PATH (both or neither)' });
  if (key !== '' && cert === '') problems.push({ name: 'TEMPORAL_TLS_CLIENT_CERT_PATH', shown: '', allowed: 'the certificate of TEMPORAL_TLS_CLIENT_KEY_PATH (both or neither)' });
  return problems;
}

/** Every documented variable that is set to a value its check refuses (unset variables take their valid defaults). */
export function validateConfig(source: NodeJS.ProcessEnv = process.env): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const spec of VARIABLES as readonly VariableSpec[]) {
    const value = source[spec.name];
    if (value === undefined || !spec.check) continue;
    if (!spec.check.schema.safeParse(value).success) {
      problems.push({ name: spec.name, shown: maskValue(spec, value), allowed: spec.check.allowed });
    }
  }
  return [...problems, ...crossProblems(source)];
}

/**
 * Copies the variables of a `.env` file into `target` where `target` does not already have them: the environment
 * wins. A missing file is fine. Returns the names it set.
 */
export function loadDotEnv(file: string, target: NodeJS.ProcessEnv = process.env): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const loaded: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (target[name] !== undefined) continue;
    target[name] = value;
    loaded.push(name);
  }
  return loaded;
}

export interface PrepareOptions {
  env?: NodeJS.ProcessEnv;
  /** The .env file to load (default: .env in the working directory); false: none. */
  dotEnv?: string | false;
}

/** Loads `.env` and validates the configuration; throws a ConfigError naming every bad variable. */
export function prepareConfig(options: PrepareOptions = {}): void {
  const target = options.env ?? process.env;
  if (options.dotEnv !== false) loadDotEnv(options.dotEnv ?? path.resolve(process.cwd(), '.env'), target);
  const problems = validateConfig(target);
  if (problems.length > 0) throw new ConfigError(problems);
}

/** For a process's entry point: prepareConfig, or the problems on stderr and exit code 2. */
export function prepareConfigOrExit(processName: string): void {
  try {
    prepareConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${processName}: ${err.message}\n`);
    process.exit(CONFIG_EXIT_CODE);
  }
}
