/**
 * The lines of an order or a cart against the lines Mailchimp has, matched by line id: which to create, which to
 * change in place (with every field) and which to delete. Pure.
 */

export interface LineChanges<L extends { id: string }> {
  /** Lines Mailchimp lacks: POST …/lines. */
  create: L[];
  /** Lines that differ: PATCH …/lines/{line_id} with every field (a new product or variant id included). */
  update: Array<{ id: string; patch: Omit<L, 'id'> }>;
  /** Lines the shop no longer has: DELETE …/lines/{line_id}. */
  remove: string[];
}

/** A line as Mailchimp holds it (its answer carries more fields, which are ignored). */
export type RemoteLine<L extends { id: string }> = Pick<L, 'id'> & Partial<Omit<L, 'id'>>;

export function lineChanges<L extends { id: string }>(
  wanted: readonly L[],
  current: ReadonlyArray<RemoteLine<L>>,
  differs: (existing: RemoteLine<L>, line: L) => boolean,
): LineChanges<L> {
  const have = new Map(current.map((line) => [String(line.id), line]));
  const changes: LineChanges<L> = { create: [], update: [], remove: [] };
  for (const line of wanted) {
    const existing = have.get(line.id);
    const { id, ...patch } = line;
    if (!existing) changes.create.push(line);
    else if (differs(existing, line)) changes.update.push({ id, patch });
  }
  const keep = new Set(wanted.map((line) => line.id));
  for (const id of have.keys()) if (!keep.has(id)) changes.remove.push(id);
  return changes;
}
