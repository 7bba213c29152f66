import { mailchimpFromEnv } from '../../../wiring/env';

/** MAILCHIMP_REJECT_UNKNOWN_FIELDS: the worker's client refuses a field its schemas do not know, before any request. */
describe('mailchimpFromEnv', () => {
  // Nothing listens on port 9 of the loopback: a request that gets past validation fails to connect.
  const vars = { MAILCHIMP_API_URL: 'http://127.0.0.1:9/3.0', MAILCHIMP_API_KEY: 'fake-key-us1', MAILCHIMP_TIMEOUT_MS: '2000' };
  const product = { id: 'p1', title: 'Shoe', descripton: 'typo', variants: [{ id: 'v1', title: 'Shoe', price: 5 }] };

  async function failureOf(extra: Record<string, string>): Promise<string> {
    const client = mailchimpFromEnv({}, { ...vars, ...extra });
    try {
      await client.createProduct('store', product as Parameters<typeof client.createProduct>[1]);
      return 'no failure';
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }

  it('refuses an unknown field with its name when the variable is true', async () => {
    expect(await failureOf({ MAILCHIMP_REJECT_UNKNOWN_FIELDS: 'true' })).toMatch(/descripton: is not a field of this resource/);
  });

  it('drops it by default (the request goes out)', async () => {
    const message = await failureOf({});
    expect(message).not.toMatch(/is not a field/);
    expect(message).not.toBe('no failure');
  });
});
