/**
 * A progress display on stderr: a redrawn bar on a terminal, plain lines (only when something changed) otherwise,
 * so a log file or CI output stays readable.
 */
export interface ProgressSink {
  write(chunk: string): unknown;
}

export interface Progress {
  update(done: number, total: number, label: string): void;
  /** Ends the bar (a newline on a terminal) with a last line. */
  finish(label: string): void;
}

const WIDTH = 30;

export function progressLine(done: number, total: number, label: string): string {
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const percent = Math.floor(fraction * 100);
  const filled = Math.round(fraction * WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${String(percent).padStart(3)}% ${done}/${total} ${label}`;
}

/** Without a terminal, a line at most this often (plus whenever the label changes or the work completes). */
export const PLAIN_LINE_INTERVAL_MS = 2000;

export function createProgress(sink: ProgressSink, isTTY: boolean, now: () => number = Date.now): Progress {
  let last = '';
  let lastLabel: string | undefined;
  let lastAt = -Infinity;
  let drawn = false;
  return {
    update(done, total, label) {
      const line = progressLine(done, total, label);
      if (line === last) return;
      if (isTTY) {
        last = line;
        sink.write(`\r\x1b[2K${line}`);
        drawn = true;
        return;
      }
      const due = label !== lastLabel || (total > 0 && done >= total) || now() - lastAt >= PLAIN_LINE_INTERVAL_MS;
      if (!due) return;
      last = line;
      lastLabel = label;
      lastAt = now();
      sink.write(`${line}\n`);
    },
    finish(label) {
      if (isTTY && drawn) sink.write(`\r\x1b[2K`);
      sink.write(`${label}\n`);
    },
  };
}
