/** `https://<dc>.api.mailchimp.com/3.0` from a key `<key>-<dc>`, unless `override` is non-empty. */
export function mailchimpBaseUrl(apiKey: string, override?: string): string {
  if (override !== undefined && override.trim() !== '') return override.trim().replace(/\/+$/, '');
  const dash = apiKey.lastIndexOf('-');
  const dc = dash >= 0 ? apiKey.slice(dash + 1) : '';
  if (!/^[a-z]+\d+$/.test(dc)) {
    // Never echo the key: say only what shape was expected.
    throw new Error('The Mailchimp API key must end in -<datacenter> (e.g. -us14), or a base URL must be given');
  }
  return `https://${dc}.api.mailchimp.com/3.0`;
}
