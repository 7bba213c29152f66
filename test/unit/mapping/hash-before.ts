/**
 * stableStringify as it was written before its quick path (before fde8ac2): the oracle the current one must match
 * byte for byte, since the content hashes recorded in every store were made with it (test/unit/mapping/hash.test.ts,
 * test/unit/batch/build-equivalence.test.ts).
 */
export function stableStringifyBefore(value: unknown): string {
  const out = walk(value, new Set<object>());
  return out === undefined ? 'null' : out;
}

function walk(value: unknown, seen: Set<object>): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
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
  if (value === null) return 'null';
  const obj = value as object;
  if (seen.has(obj)) throw new TypeError('stableStringify: the value contains a cycle');
  seen.add(obj);
  try {
    if (Array.isArray(obj)) return `[${obj.map((item) => walk(item, seen) ?? 'null').join(',')}]`;
    const record = obj as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const v = walk(record[key], seen);
      if (v !== undefined) parts.push(`${JSON.stringify(key)}:${v}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    seen.delete(obj);
  }
}

