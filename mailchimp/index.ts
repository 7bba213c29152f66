/** The Mailchimp Marketing API v3.0 as the sync uses it: client, request schemas, error classification. */
export { createMailchimpClient, type MailchimpClient, type MailchimpClientOptions } from './client';
export type { RequestEvent, HttpMethod } from './transport';
export type { BatchOperationResult } from './batch-results';
export type { ListMembersOptions } from './resources/lists';
export * from './types';
export * from './errors';
export * from './schemas';
export { subscriberHash } from './subscriber-hash';
export { mailchimpBaseUrl } from './base-url';
