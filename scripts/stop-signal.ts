/**
 * Imported first by scripts/start.ts, before the heavy modules load: a Ctrl-C (or SIGTERM) that arrives while
 * `npm start` is still loading or starting is remembered, and honoured as soon as the worker runs, instead of the
 * process being killed half-started. Once the worker runs, Temporal's runtime handles the first signal itself (it
 * shuts the worker down, then stops listening). The listener (scripts/stop-signal.cjs, which `npm start` loads
 * before the TypeScript loader) stays for the life of the process, so a signal at any moment (a second Ctrl-C while
 * it stops, one while Temporal's runtime no longer listens) never kills it half-stopped: everything it started is
 * stopped and it exits 0.
 *
 * `npm start` is `exec node --require ./scripts/stop-signal.cjs $(cat workers/node-flags) --require ./workers/typescript.cjs scripts/start.ts`: `exec`, so that npm's
 * child is Node itself (a shell in between dies of the Ctrl-C and npm then reports 130), and Node with tsx as a
 * loader rather than the `tsx` command, which relays a signal to its child and kills it (exit 130) when the child has
 * not answered within 30 ms, which a busy start-up (modules compiled, migrations) does not always do.
 */
import './stop-signal.cjs';

const KEY = Symbol.for('mcsync.stopSignal');

export function stopRequested(): boolean {
  return (globalThis as unknown as Record<symbol, { requested: boolean } | undefined>)[KEY]?.requested === true;
}
