import type { MailchimpClient } from '../../mailchimp';
import type { MemberStatus } from '../../mapping/consent';
import { customerIdForEmail } from '../../mapping/ids';
import { asMemberStatus } from '../entities/customer';
import { forEachConcurrent } from '../../util/concurrency';

const PAGE = 1000;
const FIELDS = 'members.email_address,members.status,total_items';

/** Every member of the audience: email hash → status. GET /lists/{id}/members, 1,000 per page. */
export async function listAudience(mailchimp: MailchimpClient, listId: string): Promise<Map<string, MemberStatus>> {
  const statuses = new Map<string, MemberStatus>();
  const add = (items: ReadonlyArray<{ email_address?: string; status?: unknown }>) => {
    for (const m of items) {
      const status = asMemberStatus(m.status);
      if (m.email_address && status) statuses.set(customerIdForEmail(m.email_address), status);
    }
  };
  const first = await mailchimp.listMembers(listId, { count: PAGE, offset: 0, fields: FIELDS });
  add(first.items);
  const offsets: number[] = [];
  for (let offset = PAGE; offset < first.total_items; offset += PAGE) offsets.push(offset);
  await forEachConcurrent(offsets, 4, async (offset) => {
    add((await mailchimp.listMembers(listId, { count: PAGE, offset, fields: FIELDS })).items);
  });
  return statuses;
}

/**
 * One listing of the audience per backfill phase (the key names the phase), shared by the phase's pages in this
 * worker, so consent needs no GET per contact. Only the newest listing is kept. Contacts the phase itself adds are
 * synced (and so never looked up again), so a listing taken at the phase's first page stays good for the phase.
 */
export function createAudienceSnapshots(mailchimp: MailchimpClient, listId: string) {
  let current: { key: string; statuses: Promise<Map<string, MemberStatus>> } | undefined;
  return {
    get(key: string): Promise<Map<string, MemberStatus>> {
      if (current?.key !== key) {
        const statuses = listAudience(mailchimp, listId);
        const entry = { key, statuses };
        current = entry;
        // A failed listing is not kept: the next page lists again.
        statuses.catch(() => {
          if (current === entry) current = undefined;
        });
      }
      return current.statuses;
    },
  };
}

export type AudienceSnapshots = ReturnType<typeof createAudienceSnapshots>;
