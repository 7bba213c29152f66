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

export function createProgress(sink: ProgressSink, isTTY: boolean): Progress {
  let last = '';
  let drawn = false;
  return {
    update(done, total, label) {
      const line = progressLine(done, total, label);
      if (line === last) return;
      last = line;
      if (isTTY) {
        sink.write(`\r\x1b[2K${line}`);
        drawn = true;
      } else {
        sink.write(`${line}\n`);
      }
    },
    finish(label) {
      if (isTTY && drawn) sink.write(`\r\x1b[2K`);
      sink.write(`${label}\n`);
    },
  };
}
