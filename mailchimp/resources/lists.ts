import { apiPath } from '../api-path';
import {
  listWebhookSchema,
  memberPatchSchema,
  memberPostSchema,
  memberPutSchema,
  memberTagsSchema,
  type ListWebhookPayload,
  type MemberPatchPayload,
  type MemberPostPayload,
  type MemberPutPayload,
  type MemberTagsPayload,
} from '../schemas';
import { subscriberHash } from '../subscriber-hash';
import type { Transport } from '../transport';
import type { ListResource, ListWebhookResource, MemberResource, MemberStatus, Page, PageOptions } from '../types';
import { fetchPage } from './collection';

export interface ListMembersOptions extends PageOptions {
  status?: MemberStatus;
}

export interface ListMethods {
  /** Throws not_found for an unknown list. */
  getList(listId: string): Promise<ListResource>;
  getMember(listId: string, email: string): Promise<MemberResource | null>;
  /** POST: adds a new address; an address already on the list fails with member_exists (use upsertMember). */
  createMember(listId: string, body: MemberPostPayload): Promise<MemberResource>;
  /** PUT "add or update": `status_if_new` applies to a new address only. */
  upsertMember(listId: string, email: string, body: MemberPutPayload): Promise<MemberResource>;
  /** PATCH; how a member is unsubscribed. */
  updateMember(listId: string, email: string, patch: MemberPatchPayload): Promise<MemberResource>;
  /** DELETE archives the member. Already gone counts as done. */
  archiveMember(listId: string, email: string): Promise<void>;
  listMembers(listId: string, options?: ListMembersOptions): Promise<Page<MemberResource>>;
  setMemberTags(listId: string, email: string, body: MemberTagsPayload): Promise<void>;
  createListWebhook(listId: string, body: ListWebhookPayload): Promise<ListWebhookResource>;
  listListWebhooks(listId: string): Promise<ListWebhookResource[]>;
  deleteListWebhook(listId: string, webhookId: string): Promise<void>;
}

export function listMethods(t: Transport): ListMethods {
  const member = (listId: string, email: string) => apiPath`/lists/${listId}/members/${subscriberHash(email)}`;
  const memberLabel = (email: string) => `member ${email}`;
  return {
    getList: (listId) => t.call({ method: 'GET', path: apiPath`/lists/${listId}`, entity: `list ${listId}` }),
    getMember: (listId, email) => t.callOrNull({ method: 'GET', path: member(listId, email), entity: memberLabel(email) }),
    createMember: (listId, body) =>
      t.send(memberPostSchema, {
        method: 'POST',
        path: apiPath`/lists/${listId}/members`,
        body,
        entity: memberLabel(typeof body.email_address === 'string' ? body.email_address : '(no email)'),
      }),
    upsertMember: (listId, email, body) =>
      t.send(memberPutSchema, { method: 'PUT', path: member(listId, email), body, entity: memberLabel(email) }),
    updateMember: (listId, email, patch) =>
      t.send(memberPatchSchema, { method: 'PATCH', path: member(listId, email), body: patch, entity: memberLabel(email) }),
    archiveMember: (listId, email) => t.remove({ path: member(listId, email), entity: memberLabel(email) }),
    listMembers: (listId, options = {}) =>
      fetchPage<MemberResource>(t, apiPath`/lists/${listId}/members`, { ...options, query: { status: options.status } }),
    setMemberTags: (listId, email, body) =>
      t.send(memberTagsSchema, { method: 'POST', path: `${member(listId, email)}/tags`, body, entity: `tags of ${memberLabel(email)}` }),
    createListWebhook: (listId, body) =>
      t.send(listWebhookSchema, { method: 'POST', path: apiPath`/lists/${listId}/webhooks`, body, entity: `webhook of list ${listId}` }),
    listListWebhooks: async (listId) => {
      const page = await fetchPage<ListWebhookResource>(t, apiPath`/lists/${listId}/webhooks`);
      return page.items;
    },
    deleteListWebhook: (listId, webhookId) =>
      t.remove({ path: apiPath`/lists/${listId}/webhooks/${webhookId}`, entity: `webhook ${webhookId} of list ${listId}` }),
  };
}
