import type { SyncHooks } from '../../activities/context';
import type { EntityType } from '../../mapping/ids';

/** Forces interleavings through the sync's test hooks: pause a sync after its read, learn when a writer waits for a lock. */

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

export interface Pause {
  /** Resolves when the paused sync has read the entity. */
  reached: Promise<void>;
  /** Lets it go on to its write. */
  release(): void;
}

export interface Interleaver {
  hooks: SyncHooks;
  /** The next read of the entity (and only that one) waits until released. */
  pauseAfterRead(type: EntityType, id: string | number): Pause;
  /** Resolves once some writer found the entity's lock held and waits for it. */
  lockWaited(type: EntityType, id: string | number): Promise<void>;
}

export function interleaver(): Interleaver {
  const pauses = new Map<string, { reached: Deferred; release: Deferred }>();
  const waits = new Map<string, Deferred>();
  const key = (type: string, id: string | number) => `${type}:${id}`;
  const waitOf = (k: string) => {
    const existing = waits.get(k);
    if (existing) return existing;
    const created = deferred();
    waits.set(k, created);
    return created;
  };
  return {
    hooks: {
      afterRead: async (type, id) => {
        const pause = pauses.get(key(type, id));
        if (!pause) return;
        pauses.delete(key(type, id));
        pause.reached.resolve();
        await pause.release.promise;
      },
      lockWait: (type, id) => waitOf(key(type, id)).resolve(),
    },
    pauseAfterRead(type, id) {
      const pause = { reached: deferred(), release: deferred() };
      pauses.set(key(type, id), pause);
      return { reached: pause.reached.promise, release: pause.release.resolve };
    },
    lockWaited(type, id) {
      return waitOf(key(type, id)).promise;
    },
  };
}
