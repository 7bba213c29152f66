import { z } from 'zod';
import { emailAddress, isoDateTime } from './common';

/** Statuses a POST or PUT may set. `archived` exists only in responses and filters. */
export const MEMBER_WRITE_STATUSES = ['subscribed', 'unsubscribed', 'cleaned', 'pending', 'transactional'] as const;
/** PATCH (v3.0.55) cannot set `transactional`. */
export const MEMBER_PATCH_STATUSES = ['subscribed', 'unsubscribed', 'cleaned', 'pending'] as const;
export const TAG_STATUSES = ['active', 'inactive'] as const;

/** Merge field values: text and numbers, or an address object for ADDRESS-type fields. */
const mergeFieldValue = z.union([z.string(), z.number(), z.record(z.string(), z.string())]);

const memberFields = {
  email_type: z.enum(['html', 'text']).optional(),
  merge_fields: z.record(z.string(), mergeFieldValue).optional(),
  interests: z.record(z.string(), z.boolean()).optional(),
  language: z.string().optional(),
  vip: z.boolean().optional(),
  location: z.object({ latitude: z.number().optional(), longitude: z.number().optional() }).strip().optional(),
  marketing_permissions: z
    .array(z.object({ marketing_permission_id: z.string().optional(), enabled: z.boolean().optional() }).strip())
    .optional(),
  ip_signup: z.string().optional(),
  timestamp_signup: isoDateTime.optional(),
  ip_opt: z.string().optional(),
  timestamp_opt: isoDateTime.optional(),
};

/**
 * PUT /lists/{list_id}/members/{subscriber_hash} ("add or update"). `status_if_new` applies only to a new
 * address; `status`, when present, also changes an existing member. The spec requires email_address and status_if_new.
 */
export const memberPutSchema = z
  .object({
    email_address: emailAddress,
    status_if_new: z.enum(MEMBER_WRITE_STATUSES),
    status: z.enum(MEMBER_WRITE_STATUSES).optional(),
    ...memberFields,
  })
  .strip();

/** POST /lists/{list_id}/members. Fails with "Member Exists" when the address is on the list. */
export const memberPostSchema = z
  .object({
    email_address: emailAddress,
    status: z.enum(MEMBER_WRITE_STATUSES),
    ...memberFields,
    tags: z.array(z.string()).optional(),
  })
  .strip();

/** PATCH /lists/{list_id}/members/{subscriber_hash}: how the sync unsubscribes someone. */
export const memberPatchSchema = z
  .object({ email_address: emailAddress, status: z.enum(MEMBER_PATCH_STATUSES), ...memberFields })
  .partial()
  .strip();

/** POST /lists/{list_id}/members/{subscriber_hash}/tags (204). An unknown tag sent as active is created. */
export const memberTagsSchema = z
  .object({
    tags: z.array(z.object({ name: z.string().min(1, 'must not be empty'), status: z.enum(TAG_STATUSES) }).strip()),
    is_syncing: z.boolean().optional(),
  })
  .strip();

export type MemberPutPayload = z.infer<typeof memberPutSchema>;
export type MemberPostPayload = z.infer<typeof memberPostSchema>;
export type MemberPatchPayload = z.infer<typeof memberPatchSchema>;
export type MemberTagsPayload = z.infer<typeof memberTagsSchema>;
