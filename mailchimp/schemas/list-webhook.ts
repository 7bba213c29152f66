import { z } from 'zod';

const flag = z.boolean().optional();

/**
 * POST /lists/{list_id}/webhooks. Not in the spec files we hold; fields from the reference notes.
 * Mailchimp checks the URL with a GET when the webhook is created.
 */
export const listWebhookSchema = z
  .object({
    url: z.string().url('must be a URL'),
    events: z
      .object({ subscribe: flag, unsubscribe: flag, profile: flag, cleaned: flag, upemail: flag, campaign: flag })
      .strip()
      .optional(),
    sources: z.object({ user: flag, admin: flag, api: flag }).strip().optional(),
  })
  .strip();

export type ListWebhookPayload = z.infer<typeof listWebhookSchema>;
