/**
 * Imported first by scripts/start.ts, before the heavy modules load: a Ctrl-C (or SIGTERM) that arrives while
 * `npm start` is still loading or starting is remembered, and honoured as soon as the worker runs, instead of the
 * process being killed half-started. Once the worker runs, Temporal's runtime handles the signals itself.
 */
let requested = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => { requested = true; });

export function stopRequested(): boolean {
  return requested;
}
