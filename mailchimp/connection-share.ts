/** What one live worker would use of a key's connections: the most requests it had in flight or waiting lately. */
export interface HolderDemand {
  holder: string;
  demand: number;
}

/**
 * How a key's `total` connections are divided between the live workers that share it (db/connection-leases.ts).
 * Every worker computes it from the same table, so they agree without talking to each other. Each worker is
 * guaranteed one connection (so a change arriving at an idle worker is sent at once); the rest go to those that want
 * more, evenly ("water-filling": nobody gets more than it wants while another wants more than it has); what nobody
 * wants is handed out too (in holder order), so a lone busy worker keeps every connection until another asks.
 * More workers than connections: the first `total` (in holder order) get one each, the others none.
 */
export function divideConnections(total: number, holders: readonly HolderDemand[]): Map<string, number> {
  const sorted = [...new Map(holders.map((h) => [h.holder, h])).values()].sort((a, b) => (a.holder < b.holder ? -1 : a.holder > b.holder ? 1 : 0));
  const share = new Map<string, number>(sorted.map((h) => [h.holder, 0]));
  let left = Math.max(0, Math.floor(total));
  for (const h of sorted) {
    if (left === 0) break;
    share.set(h.holder, 1);
    left -= 1;
  }
  const wants = new Map(sorted.map((h) => [h.holder, Math.max(0, Math.floor(h.demand) - (share.get(h.holder) ?? 0))]));
  while (left > 0) {
    const wanting = sorted.filter((h) => (wants.get(h.holder) ?? 0) > 0);
    if (wanting.length === 0) break;
    const each = Math.max(1, Math.floor(left / wanting.length));
    for (const h of wanting) {
      if (left === 0) break;
      const give = Math.min(each, wants.get(h.holder) ?? 0, left);
      share.set(h.holder, (share.get(h.holder) ?? 0) + give);
      wants.set(h.holder, (wants.get(h.holder) ?? 0) - give);
      left -= give;
    }
  }
  for (let i = 0; left > 0 && sorted.length > 0; i = (i + 1) % sorted.length) {
    const h = sorted[i];
    share.set(h.holder, (share.get(h.holder) ?? 0) + 1);
    left -= 1;
  }
  return share;
}
