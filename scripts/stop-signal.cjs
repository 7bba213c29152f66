// Loaded by `npm start` before anything else (`node --require ./scripts/stop-signal.cjs`), so that a Ctrl-C while
// Node is still loading the TypeScript loader and the modules is remembered too; scripts/stop-signal.ts reads it
// (and loads this file itself when started another way). Plain JavaScript: it runs before tsx is there.
const KEY = Symbol.for('mcsync.stopSignal');
if (!globalThis[KEY]) {
  const state = { requested: false };
  globalThis[KEY] = state;
  // Never removed: a signal at any moment (a second Ctrl-C while it stops, one after Temporal's runtime stopped
  // listening) is only remembered, never the default "die at once".
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { state.requested = true; });
}
