import { memberPatchSchema, memberPostSchema, memberPutSchema, memberTagsSchema } from '../../mailchimp/schemas';
import type { MemberUpdate } from '../audience';
import { memberView } from '../audience';
import { noContent, ok, type Handler } from '../context';
import { ApiError, invalidResource } from '../problem';
import type { Router } from '../router';
import { MEMBER_STATUSES, type Json, type ListRecord, type MemberRecord, type MemberStatus } from '../state';
import { mailchimpTime, memberKey, page, paging, subscriberHash } from '../util';
import { validateBody } from '../validation';

const memberExists = (email: string): ApiError =>
  new ApiError(400, 'Member Exists', `${email} is already a list member. Use PUT to insert or update list members.`);

/** The optional member fields of a validated body, as an Audience update. */
function profileUpdate(body: {
  merge_fields?: Record<string, unknown>;
  interests?: Record<string, boolean>;
  email_type?: string;
  language?: string;
  vip?: boolean;
  location?: unknown;
  marketing_permissions?: unknown;
}): MemberUpdate {
  const extra: Json = {};
  if (body.location !== undefined) extra.location = body.location;
  if (body.marketing_permissions !== undefined) extra.marketing_permissions = body.marketing_permissions;
  return { merge_fields: body.merge_fields, interests: body.interests, email_type: body.email_type, language: body.language, vip: body.vip, extra };
}

function addTags(list: ListRecord, member: MemberRecord, names: string[], now: string, nextId: () => number): void {
  for (const name of names) {
    if (member.tags.some((t) => t.name === name)) continue;
    let id = list.tags.get(name);
    if (id === undefined) {
      id = nextId();
      list.tags.set(name, id);
    }
    member.tags.push({ id, name, date_added: now });
  }
}

const listMembers: Handler = ({ params, query, services }) => {
  const list = services.audience.list(params.list_id);
  const p = paging(query);
  const status = query.status;
  if (status !== undefined && !(MEMBER_STATUSES as readonly string[]).includes(status)) {
    throw invalidResource([{ field: 'status', message: `must be one of ${MEMBER_STATUSES.join(', ')}` }]);
  }
  const filter = status === undefined ? undefined : (m: MemberRecord) => m.status === status;
  const { items, total } = page(list.members.values(), list.members.size, p, filter);
  return ok({ members: items.map(memberView), list_id: list.id, total_items: total, _links: [] });
};

const postMember: Handler = ({ params, body, services }) => {
  const list = services.audience.list(params.list_id);
  const input = validateBody(memberPostSchema, body, 'member');
  const existing = list.members.get(subscriberHash(input.email_address));
  let member: MemberRecord;
  if (existing && existing.status !== 'archived') throw memberExists(input.email_address);
  if (existing) {
    member = existing;
    services.audience.update(list, member, profileUpdate(input), 'api');
    services.audience.setStatus(list, member, input.status, 'api');
  } else {
    const update = profileUpdate(input);
    member = services.audience.create(list, { ...update, email_address: input.email_address, status: input.status, ip_signup: input.ip_signup, ip_opt: input.ip_opt }, 'api-member', 'api');
  }
  if (input.tags) addTags(list, member, input.tags, mailchimpTime(), () => services.state.nextTagId());
  return ok(memberView(member));
};

const getMember: Handler = ({ params, services }) => {
  const list = services.audience.list(params.list_id);
  return ok(memberView(services.audience.member(list, memberKey(params.subscriber_hash))));
};

/** PUT: email_address and status_if_new are needed only for an address not yet on the list. */
const existingPutSchema = memberPutSchema.partial({ email_address: true, status_if_new: true });

const putMember: Handler = ({ params, body, services }) => {
  const list = services.audience.list(params.list_id);
  const key = memberKey(params.subscriber_hash);
  const existing = list.members.get(key);
  if (!existing) {
    const input = validateBody(memberPutSchema, body, 'member');
    if (subscriberHash(input.email_address) !== key) {
      throw invalidResource([{ field: 'email_address', message: 'does not match the subscriber hash in the URL' }]);
    }
    const status: MemberStatus = input.status ?? input.status_if_new;
    const member = services.audience.create(
      list,
      { ...profileUpdate(input), email_address: input.email_address, status, ip_signup: input.ip_signup, ip_opt: input.ip_opt },
      'api-member',
      'api',
    );
    return ok(memberView(member));
  }
  const input = validateBody(existingPutSchema, body, 'member');
  if (input.email_address !== undefined && subscriberHash(input.email_address) !== key) {
    throw memberExists(input.email_address);
  }
  services.audience.update(list, existing, profileUpdate(input), 'api');
  const status = input.status ?? (existing.status === 'archived' ? input.status_if_new : undefined);
  if (status !== undefined) services.audience.setStatus(list, existing, status, 'api');
  return ok(memberView(existing));
};

const patchMember: Handler = ({ params, body, services }) => {
  const list = services.audience.list(params.list_id);
  let member = services.audience.member(list, memberKey(params.subscriber_hash));
  const input = validateBody(memberPatchSchema, body, 'member');
  if (input.email_address !== undefined && subscriberHash(input.email_address) !== member.id) {
    if (list.members.has(subscriberHash(input.email_address))) throw memberExists(input.email_address);
    member = services.audience.changeEmail(list, member, input.email_address, 'api');
  }
  services.audience.update(list, member, profileUpdate(input), 'api');
  if (input.status !== undefined) services.audience.setStatus(list, member, input.status, 'api');
  return ok(memberView(member));
};

const deleteMember: Handler = ({ params, services }) => {
  const list = services.audience.list(params.list_id);
  const member = services.audience.member(list, memberKey(params.subscriber_hash));
  services.audience.setStatus(list, member, 'archived', 'api');
  return noContent();
};

const getTags: Handler = ({ params, services }) => {
  const list = services.audience.list(params.list_id);
  const member = services.audience.member(list, memberKey(params.subscriber_hash));
  return ok({ tags: member.tags, total_items: member.tags.length, _links: [] });
};

const postTags: Handler = ({ params, body, services }) => {
  const list = services.audience.list(params.list_id);
  const member = services.audience.member(list, memberKey(params.subscriber_hash));
  const input = validateBody(memberTagsSchema, body, 'member tags');
  const now = mailchimpTime();
  for (const tag of input.tags) {
    if (tag.status === 'active') addTags(list, member, [tag.name], now, () => services.state.nextTagId());
    else member.tags = member.tags.filter((t) => t.name !== tag.name);
  }
  return noContent();
};

export function registerMemberRoutes(router: Router<Handler>): void {
  router.add('GET', '/lists/{list_id}/members', listMembers);
  router.add('POST', '/lists/{list_id}/members', postMember);
  router.add('GET', '/lists/{list_id}/members/{subscriber_hash}', getMember);
  router.add('PUT', '/lists/{list_id}/members/{subscriber_hash}', putMember);
  router.add('PATCH', '/lists/{list_id}/members/{subscriber_hash}', patchMember);
  router.add('DELETE', '/lists/{list_id}/members/{subscriber_hash}', deleteMember);
  router.add('GET', '/lists/{list_id}/members/{subscriber_hash}/tags', getTags);
  router.add('POST', '/lists/{list_id}/members/{subscriber_hash}/tags', postTags);
}
