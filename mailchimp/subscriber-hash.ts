import { createHash } from 'node:crypto';

/** A list member's id in paths: the MD5 hex of the lowercased email address. */
export function subscriberHash(email: string): string {
  return createHash('md5').update(email.trim().toLowerCase()).digest('hex');
}
