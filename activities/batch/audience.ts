import { createHash } from 'node:crypto';
import type { AudienceKnowledge } from '../../db/sync-state';
import type { MailchimpClient } from '../../mailchimp';
import type { MemberStatus } from '../../mapping/consent';
import { customerIdForEmail } from '../../mapping/ids';
import { asMemberStatus } from '../entities/customer';
import { forEachConcurrent } from '../../util/concurrency';

const PAGE = 1000;
const FIELDS = 'members.email_address,members.status,total_items';

/**
 * Every member of the audience, a page (1,000 members) at a time: GET /lists/{id}/members, four pages at once, each
 * handed to `onPage` (email hash and status) and then dropped, so no more than four pages are held.
 */
export async function listAudience(
  mailchimp: MailchimpClient, listId: string, onPage: (members: Array<{ emailHash: string; status: MemberStatus }>) => Promise<void>,
): Promise<void> {
  const members = (items: ReadonlyArray<{ email_address?: string; status?: unknown }>) => items.flatMap((m) => {
    const status = asMemberStatus(m.status);
    return m.email_address && status ? [{ emailHash: customerIdForEmail(m.email_address), status }] : [];
  });
  const first = await mailchimp.listMembers(listId, { count: PAGE, offset: 0, fields: FIELDS });
  await onPage(members(first.items));
  const offsets: number[] = [];
  for (let offset = PAGE; offset < first.total_items; offset += PAGE) offsets.push(offset);
  await forEachConcurrent(offsets, 4, async (offset) => {
    await onPage(members((await mailchimp.listMembers(listId, { count: PAGE, offset, fields: FIELDS })).items));
  });
}

/**
 * One listing of the audience per backfill phase (the key names the phase), so consent needs no GET per contact.
 * The listing is kept in the sync's tables (mc_audience_listing), not in memory: a page looks up only its own
 * contacts, and every worker of the phase uses the one listing (the first to need it lists; a listing interrupted
 * is listed again). Only the newest listing is kept. Contacts the phase itself adds are synced (and so never looked
 * up again), so a listing taken at the phase's first page stays good for the phase.
 */
export function createAudienceSnapshots(mailchimp: MailchimpClient, listId: string, knowledge: AudienceKnowledge) {
  const { listing } = knowledge;
  let current: { id: string; ready: Promise<void> } | undefined;

  async function list(id: string): Promise<void> {
    if (await listing.isComplete(id)) return;
    await listing.begin(id);
    await listAudience(mailchimp, listId, (members) => listing.add(id, members));
    await listing.complete(id);
  }

  function ready(key: string): Promise<void> {
    const id = createHash('sha1').update(key).digest('hex');
    if (current?.id !== id) {
      const entry = { id, ready: list(id) };
      current = entry;
      // A failed listing is not kept: the next page lists again.
      entry.ready.catch(() => {
        if (current === entry) current = undefined;
      });
    }
    return current.ready;
  }

  return {
    /** The listed audience status of these contacts (absent: not in the audience when the phase listed it). */
    async lookup(key: string, emailHashes: readonly string[]): Promise<Map<string, MemberStatus>> {
      await ready(key);
      const id = createHash('sha1').update(key).digest('hex');
      const found = await listing.statuses(id, emailHashes);
      const out = new Map<string, MemberStatus>();
      for (const [hash, status] of found) {
        const known = asMemberStatus(status);
        if (known) out.set(hash, known);
      }
      return out;
    },
  };
}

export type AudienceSnapshots = ReturnType<typeof createAudienceSnapshots>;
