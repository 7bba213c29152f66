import { ConnectionGate } from '../../../mailchimp/connection-gate';

/** The gate's time-weighted accounting, on a clock the test moves. */
describe('ConnectionGate usage', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => {
    clock = 1_000;
  });

  it('integrates the requests in flight and splits the time into waiting, full and free', async () => {
    const gate = new ConnectionGate(2, now);
    clock += 10; // 0 in flight, nothing waiting: free
    const a = await gate.acquire();
    clock += 10; // 1 of 2: free
    const b = await gate.acquire();
    clock += 10; // 2 of 2, nothing waiting: neither free nor waiting
    let cGot = false;
    const c = gate.acquire().then((release) => {
      cGot = true;
      return release;
    });
    clock += 10; // 2 of 2, one waiting
    a(); // hands a's slot to c
    const releaseC = await c;
    expect(cGot).toBe(true);
    clock += 10; // 2 of 2 again
    b();
    releaseC();
    clock += 10; // 0: free
    expect(gate.usage()).toEqual({ ms: 60, inFlightMs: 0 * 10 + 1 * 10 + 2 * 10 + 2 * 10 + 2 * 10, limitMs: 120, waitingMs: 10, freeMs: 30 });
  });

  it('follows the limit as it moves', async () => {
    const gate = new ConnectionGate(4, now);
    const a = await gate.acquire();
    gate.setLimit(1);
    clock += 10; // 1 of 1: full, not free
    gate.setLimit(4);
    clock += 10; // 1 of 4: free
    a();
    const u = gate.usage();
    expect(u).toEqual({ ms: 20, inFlightMs: 20, limitMs: 50, waitingMs: 0, freeMs: 10 });
  });

  it('returns sums: two readings differ by what happened between them', async () => {
    const gate = new ConnectionGate(1, now);
    clock += 5;
    const first = gate.usage();
    const release = await gate.acquire();
    clock += 7;
    release();
    const second = gate.usage();
    expect(second.ms - first.ms).toBe(7);
    expect(second.inFlightMs - first.inFlightMs).toBe(7);
    expect(second.freeMs - first.freeMs).toBe(0);
  });
});
