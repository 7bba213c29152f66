/**
 * Canonical JSON for change detection: the caller hashes `stableStringify(payload)` and skips the call when the
 * hash is unchanged. Pure (no crypto) so that workflow code can import it.
 *
 * Same output as JSON.stringify except that object keys are sorted (by UTF-16 code unit order), so two payloads
 * with the same content always give the same string whatever order their keys were built in.
 * Like JSON: undefined, functions and symbols are left out of objects and become null in arrays; toJSON() is
 * honoured (Dates become ISO strings); NaN and ±Infinity become null. A bigint or a cycle throws a TypeError.
 */
export function stableStringify(value: unknown): string {
  try {
    const out = quick(value, 0);
    return out === undefined ? 'null' : out;
  } catch (err) {
    if (!(err instanceof TooDeep)) throw err;
  }
  // Deeper than any payload: what `quick` gave up on, a cycle included, written by the careful walk (which throws on a cycle).
  const out = serialise(value, new Set<object>());
  return out === undefined ? 'null' : out;
}

/** Nesting beyond this is handed to `serialise`, which tells a cycle from a deep value. */
const QUICK_DEPTH = 100;

/** What JSON writes for a value with a toJSON() (a Date: its ISO string). */
function jsonValue(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return (value as { toJSON: () => unknown }).toJSON();
  }
  return value;
}

/** Returned by scalarText for an object or an array, which the caller walks. */
const OBJECT = Symbol('object');

/** JSON's text for a value that is not an object or an array; undefined for what JSON leaves out. */
function scalarText(value: unknown): string | undefined | typeof OBJECT {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('stableStringify: a bigint cannot be serialised');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  return value === null ? 'null' : OBJECT;
}

class TooDeep extends Error {}

/**
 * The same output as `serialise`, without its set of the objects on the path (a cycle only makes it go deeper than
 * QUICK_DEPTH, and then the careful walk decides) and without intermediate arrays: this runs once per entity a sync
 * looks at, for its content hash.
 */
function quick(input: unknown, depth: number): string | undefined {
  const value = jsonValue(input);
  const text = scalarText(value);
  if (text !== OBJECT) return text;
  if (depth >= QUICK_DEPTH) throw new TooDeep();
  if (Array.isArray(value)) {
    // As `map` then `join` write it: a hole is nothing, an element JSON cannot carry is null.
    let out = '[';
    for (let i = 0; i < value.length; i += 1) {
      if (i > 0) out += ',';
      if (i in value) out += quick(value[i], depth + 1) ?? 'null';
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '';
  for (const key of Object.keys(record).sort()) {
    const v = quick(record[key], depth + 1);
    if (v !== undefined) out += out === '' ? `${JSON.stringify(key)}:${v}` : `,${JSON.stringify(key)}:${v}`;
  }
  return `{${out}}`;
}

function serialise(input: unknown, seen: Set<object>): string | undefined {
  const value = jsonValue(input);
  const text = scalarText(value);
  if (text !== OBJECT) return text;
  const obj = value as object;
  if (seen.has(obj)) throw new TypeError('stableStringify: the value contains a cycle');
  seen.add(obj);
  try {
    if (Array.isArray(obj)) {
      return `[${obj.map((item) => serialise(item, seen) ?? 'null').join(',')}]`;
    }
    const record = obj as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const v = serialise(record[key], seen);
      if (v !== undefined) parts.push(`${JSON.stringify(key)}:${v}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    seen.delete(obj);
  }
}
