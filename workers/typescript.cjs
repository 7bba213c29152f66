// Loaded first by every worker process (`node --require ./workers/typescript.cjs`: npm run worker, npm start and the
// benchmark's and the fault suite's worker): runs our TypeScript through tsx in the main thread only. Node's
// `--import tsx` would load tsx in every thread of the process too (Temporal's workflow thread: it only runs the
// bundled JavaScript) and start tsx's module-hooks threads: about 40 MB of RSS for nothing (docs/benchmarks.md,
// item 4). The sources are CommonJS, so tsx's require hook is all they need. Plain JavaScript: it runs before tsx.
const { isMainThread } = require('node:worker_threads');

if (isMainThread) require('tsx/cjs/api').register();
