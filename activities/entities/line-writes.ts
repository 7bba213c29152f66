import type { LineChanges, RemoteLine } from '../../mapping/lines';

/** The line routes of one order or cart: …/lines (list, POST), …/lines/{line_id} (PATCH, DELETE). */
export interface LineRoutes<L extends { id: string }> {
  list(): Promise<ReadonlyArray<RemoteLine<L>>>;
  update(lineId: string, patch: Omit<L, 'id'>): Promise<unknown>;
  create(line: L): Promise<unknown>;
  remove(lineId: string): Promise<void>;
}

/**
 * Makes Mailchimp's lines of an order or a cart the wanted ones: the lines the PATCH answered with (listed when it
 * did not carry them) are diffed, changed lines PATCHed, new ones POSTed, and lines no longer wanted DELETEd after
 * the others, so the order or cart never has no line. Returns the lines Mailchimp had before.
 */
export async function writeLines<L extends { id: string }>(
  answered: ReadonlyArray<RemoteLine<L>> | undefined,
  routes: LineRoutes<L>,
  diff: (current: ReadonlyArray<RemoteLine<L>>) => LineChanges<L>,
): Promise<ReadonlyArray<RemoteLine<L>>> {
  const current = answered ?? (await routes.list());
  const changes = diff(current);
  for (const { id, patch } of changes.update) await routes.update(id, patch);
  for (const line of changes.create) await routes.create(line);
  for (const id of changes.remove) await routes.remove(id);
  return current;
}
