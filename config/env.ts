import { VARIABLES, VariableName } from './variables';

/** The value of a documented variable: the environment's when set, else its default. */
export function env(name: VariableName, source: NodeJS.ProcessEnv = process.env): string {
  const value = source[name];
  if (value !== undefined) return value;
  const spec = VARIABLES.find((v) => v.name === name);
  if (!spec) throw new Error(`Unknown configuration variable ${name}`);
  return spec.default;
}

export function envInt(name: VariableName, source: NodeJS.ProcessEnv = process.env): number {
  const raw = env(name, source);
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative whole number, got "${raw}"`);
  }
  return value;
}
