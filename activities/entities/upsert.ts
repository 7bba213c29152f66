import { MailchimpError } from '../../mailchimp/mailchimp-error';

function is(err: unknown, kind: MailchimpError['kind']): boolean {
  return err instanceof MailchimpError && err.kind === kind;
}

/**
 * Create-or-update without a read first: try what the sync state suggests, then follow Mailchimp's answer.
 * An update of something Mailchimp lost becomes a create; a create of something it already has becomes an update,
 * so a repeated or concurrent write never makes a second copy.
 */
export async function upsert(exists: boolean, create: () => Promise<unknown>, update: () => Promise<unknown>): Promise<void> {
  if (exists) {
    try {
      await update();
      return;
    } catch (err) {
      if (!is(err, 'not_found')) throw err;
    }
  }
  try {
    await create();
  } catch (err) {
    if (!is(err, 'already_exists')) throw err;
    await update();
  }
}
