import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { writeFile, rename } from 'node:fs/promises';
import type { StateSnapshot } from './state';

/** Saves the state to a JSON file a short while after it changes, and reads it back at start. */
export class StatePersistence {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly snapshot: () => StateSnapshot,
    private readonly debounceMs = 500,
  ) {}

  load(): StateSnapshot | undefined {
    if (!existsSync(this.file)) return undefined;
    const text = readFileSync(this.file, 'utf8');
    if (text.trim() === '') return undefined;
    return JSON.parse(text) as StateSnapshot;
  }

  markDirty(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const text = JSON.stringify(this.snapshot());
      this.writing = this.writing.then(async () => {
        const tmp = `${this.file}.tmp`;
        await writeFile(tmp, text);
        await rename(tmp, this.file);
      });
    }, this.debounceMs);
  }

  /** Writes now (on close). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing.catch(() => undefined);
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.snapshot()));
    renameSync(tmp, this.file);
  }
}
