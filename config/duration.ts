const UNITS: Record<string, number> = {
  ms: 1, millisecond: 1, s: 1000, sec: 1000, second: 1000, m: 60_000, min: 60_000, minute: 60_000,
  h: 3_600_000, hour: 3_600_000, d: 86_400_000, day: 86_400_000,
};

/** '7 days', '30s', '1 hour', '1500ms', 1500 → milliseconds. Pure: workflows use it too. */
export function toMs(value: string | number): number {
  if (typeof value === 'number') return value;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(value);
  const word = match ? match[2].toLowerCase() : '';
  const unit = UNITS[word] ?? UNITS[word.replace(/s$/, '')];
  if (!match || unit === undefined) throw new Error(`Cannot read the duration "${value}" (try "7 days", "1m" or "30s")`);
  return Number(match[1]) * unit;
}
