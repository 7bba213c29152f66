import { randomBytes } from 'node:crypto';
import { customerAudienceAction } from './consent';
import { ApiError, notFound } from './problem';
import type { EmulatorState, Json, ListRecord, MemberOrigin, MemberRecord, MemberStatus, WebhookEvent, WebhookSource } from './state';
import { mailchimpTime, subscriberHash } from './util';

/** Something that happened to a member, for the audience webhooks. */
export interface AudienceEvent {
  type: Exclude<WebhookEvent, 'campaign'>;
  source: WebhookSource;
  list: ListRecord;
  member: MemberRecord;
  /** Extra `data[...]` fields (action, reason, new_email, ...). */
  data: Record<string, string>;
}

export interface NewMember {
  email_address: string;
  status: MemberStatus;
  merge_fields?: Record<string, unknown>;
  interests?: Record<string, boolean>;
  email_type?: string;
  language?: string;
  vip?: boolean;
  ip_signup?: string;
  timestamp_signup?: string;
  ip_opt?: string;
  timestamp_opt?: string;
  extra?: Json;
}

export interface MemberUpdate {
  merge_fields?: Record<string, unknown>;
  interests?: Record<string, boolean>;
  email_type?: string;
  language?: string;
  vip?: boolean;
  extra?: Json;
}

/** Member writes in one place, so every path (member API, e-commerce, control routes) fires the same events. */
export class Audience {
  constructor(
    private readonly state: EmulatorState,
    private readonly emit: (event: AudienceEvent) => void,
  ) {}

  list(listId: string): ListRecord {
    const list = this.state.lists.get(listId);
    if (!list) throw notFound();
    return list;
  }

  member(list: ListRecord, hash: string): MemberRecord {
    const member = list.members.get(hash);
    if (!member) throw notFound();
    return member;
  }

  /** Refuses what Mailchimp refuses: re-adding a forgotten address, or the API subscribing a member in compliance state. */
  assertMayAdd(list: ListRecord, email: string): void {
    if (list.forgotten.has(subscriberHash(email))) {
      throw new ApiError(400, 'Forgotten Email Not Subscribed', `${email} was permanently deleted and cannot be re-imported. The contact must re-subscribe to get back on the list.`);
    }
  }

  assertMaySubscribe(member: MemberRecord, status: MemberStatus, source: WebhookSource): void {
    if (source === 'api' && member.compliance && (status === 'subscribed' || status === 'pending')) {
      throw new ApiError(400, 'Member In Compliance State', `${member.email_address} is in a compliance state due to unsubscribe, bounce, or compliance review and cannot be subscribed.`);
    }
  }

  /** Permanent deletion ("forget"): the member is gone and its address can never be added again by the API. */
  forget(list: ListRecord, member: MemberRecord): void {
    list.members.delete(member.id);
    list.forgotten.add(member.id);
  }

  create(list: ListRecord, input: NewMember, origin: MemberOrigin, source: WebhookSource): MemberRecord {
    this.assertMayAdd(list, input.email_address);
    const now = mailchimpTime();
    const hash = subscriberHash(input.email_address);
    const optedIn = input.status === 'subscribed';
    const member: MemberRecord = {
      id: hash,
      email_address: input.email_address,
      unique_email_id: randomBytes(5).toString('hex'),
      web_id: this.state.nextWebId(),
      email_type: input.email_type ?? 'html',
      status: input.status,
      merge_fields: { ...(input.merge_fields ?? {}) },
      interests: { ...(input.interests ?? {}) },
      language: input.language ?? '',
      vip: input.vip ?? false,
      extra: input.extra ?? {},
      ip_signup: input.ip_signup ?? '',
      timestamp_signup: input.timestamp_signup ?? (input.status === 'pending' ? now : ''),
      ip_opt: input.ip_opt ?? '',
      timestamp_opt: input.timestamp_opt ?? (optedIn ? now : ''),
      last_changed: now,
      source: origin,
      tags: [],
      list_id: list.id,
    };
    list.members.set(hash, member);
    if (member.status === 'subscribed') this.emit({ type: 'subscribe', source, list, member, data: {} });
    return member;
  }

  setStatus(list: ListRecord, member: MemberRecord, status: MemberStatus, source: WebhookSource, reason?: string): void {
    const previous = member.status;
    if (previous === status) return;
    this.assertMaySubscribe(member, status, source);
    member.status = status;
    member.last_changed = mailchimpTime();
    if (status === 'subscribed') {
      member.timestamp_opt = member.last_changed;
      this.emit({ type: 'subscribe', source, list, member, data: {} });
    } else if (status === 'unsubscribed' && previous === 'subscribed') {
      this.emit({ type: 'unsubscribe', source, list, member, data: { action: 'unsub', reason: reason ?? 'manual', campaign_id: '' } });
    } else if (status === 'archived' && previous === 'subscribed') {
      this.emit({ type: 'unsubscribe', source, list, member, data: { action: 'delete', reason: reason ?? 'manual', campaign_id: '' } });
    } else if (status === 'cleaned') {
      this.emit({ type: 'cleaned', source, list, member, data: { reason: reason ?? 'hard', campaign_id: '' } });
    }
  }

  /** Profile fields; a change to merge fields, interests or email type fires `profile`. */
  update(list: ListRecord, member: MemberRecord, update: MemberUpdate, source: WebhookSource): void {
    let profileChanged = false;
    if (update.merge_fields) {
      const next = { ...member.merge_fields, ...update.merge_fields };
      if (JSON.stringify(next) !== JSON.stringify(member.merge_fields)) profileChanged = true;
      member.merge_fields = next;
    }
    if (update.interests) {
      const next = { ...member.interests, ...update.interests };
      if (JSON.stringify(next) !== JSON.stringify(member.interests)) profileChanged = true;
      member.interests = next;
    }
    if (update.email_type !== undefined && update.email_type !== member.email_type) {
      member.email_type = update.email_type;
      profileChanged = true;
    }
    if (update.language !== undefined) member.language = update.language;
    if (update.vip !== undefined) member.vip = update.vip;
    if (update.extra) member.extra = { ...member.extra, ...update.extra };
    member.last_changed = mailchimpTime();
    if (profileChanged && member.status !== 'archived') this.emit({ type: 'profile', source, list, member, data: {} });
  }

  /** Moves a member to a new address (its hash changes); fires `upemail`. */
  changeEmail(list: ListRecord, member: MemberRecord, newEmail: string, source: WebhookSource): MemberRecord {
    const oldEmail = member.email_address;
    const oldId = member.id;
    const newId = subscriberHash(newEmail);
    list.members.delete(oldId);
    member.email_address = newEmail;
    member.id = newId;
    member.last_changed = mailchimpTime();
    list.members.set(newId, member);
    this.emit({ type: 'upemail', source, list, member, data: { new_id: newId, new_email: newEmail, old_email: oldEmail, old_id: oldId } });
    return member;
  }

  /** Throws, before anything is written, what the audience side of a customer write would refuse. */
  assertCustomerAllowed(list: ListRecord, email: string, optIn: boolean, previousOptIn: boolean | undefined): void {
    const hash = subscriberHash(email);
    const existing = list.members.get(hash);
    if (!existing) {
      if (optIn) this.assertMayAdd(list, email);
      return;
    }
    const action = customerAudienceAction({ member: existing, optIn, previousOptIn, doubleOptIn: list.double_optin });
    if (action.kind === 'set-status') this.assertMaySubscribe(existing, action.status, 'api');
  }

  /** The e-commerce side of a customer write (see consent.ts). */
  applyCustomer(
    list: ListRecord,
    customer: { email_address: string; first_name?: string; last_name?: string },
    optIn: boolean,
    previousOptIn: boolean | undefined,
  ): void {
    const existing = list.members.get(subscriberHash(customer.email_address));
    if (!existing && list.forgotten.has(subscriberHash(customer.email_address))) {
      // A forgotten address is never re-added: opting it in is refused, a transactional customer adds no member.
      if (optIn) this.assertMayAdd(list, customer.email_address);
      return;
    }
    const action = customerAudienceAction({ member: existing, optIn, previousOptIn, doubleOptIn: list.double_optin });
    if (action.kind === 'create') {
      const merge: Record<string, unknown> = {};
      if (customer.first_name) merge.FNAME = customer.first_name;
      if (customer.last_name) merge.LNAME = customer.last_name;
      this.create(list, { email_address: customer.email_address, status: action.status, merge_fields: merge }, 'api-ecommerce', 'api');
    } else if (action.kind === 'set-status' && existing) {
      this.setStatus(list, existing, action.status, 'api');
    }
  }
}

const DEFAULT_MERGE_FIELDS = { FNAME: '', LNAME: '', ADDRESS: '', PHONE: '' };

export function memberView(member: MemberRecord): Json {
  const merge = { ...DEFAULT_MERGE_FIELDS, ...member.merge_fields };
  const fullName = [merge.FNAME, merge.LNAME].filter((part) => typeof part === 'string' && part.length > 0).join(' ');
  return {
    id: member.id,
    email_address: member.email_address,
    unique_email_id: member.unique_email_id,
    contact_id: member.id,
    full_name: fullName,
    web_id: member.web_id,
    email_type: member.email_type,
    status: member.status,
    merge_fields: merge,
    interests: member.interests,
    stats: { avg_open_rate: 0, avg_click_rate: 0 },
    ip_signup: member.ip_signup,
    timestamp_signup: member.timestamp_signup,
    ip_opt: member.ip_opt,
    timestamp_opt: member.timestamp_opt,
    member_rating: 2,
    last_changed: member.last_changed,
    language: member.language,
    vip: member.vip,
    email_client: '',
    location: { latitude: 0, longitude: 0, gmtoff: 0, dstoff: 0, country_code: '', timezone: '' },
    ...member.extra,
    source: member.source,
    tags_count: member.tags.length,
    tags: member.tags.map((t) => ({ id: t.id, name: t.name })),
    list_id: member.list_id,
  };
}
