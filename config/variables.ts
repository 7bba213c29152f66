/**
 * Every environment variable the product reads, with its default and meaning.
 * The README's configuration table and the docker-compose check are tested against this list,
 * so a variable that is not here does not exist.
 */
export interface VariableSpec {
  readonly name: string;
  readonly default: string;
  readonly description: string;
  readonly secret?: boolean;
}

export const VARIABLES = [
  { name: 'DATABASE_URL', default: 'mysql://mcsync:mcsync@127.0.0.1:3306/mcsync', description: 'The shop database (MySQL 8 or MariaDB). The sync reads the contract tables and keeps its own `mc_` tables there.', secret: true },
  { name: 'TEMPORAL_ADDRESS', default: '127.0.0.1:7233', description: 'Temporal frontend. `npm run services` starts a dev server here when nothing answers.' },
  { name: 'TEMPORAL_NAMESPACE', default: 'default', description: 'Temporal namespace.' },
  { name: 'TEMPORAL_TASK_QUEUE', default: 'mailchimp-sync', description: 'Task queue of the sync workers.' },
  { name: 'TEMPORAL_UI_PORT', default: '8233', description: 'Web UI port of the dev server that `npm run services` starts.' },
  { name: 'MAILCHIMP_API_KEY', default: 'fake-emulator-key-us1', description: 'Mailchimp API key `<key>-<dc>`. The default is the bundled emulator\'s key.', secret: true },
  { name: 'MAILCHIMP_API_URL', default: 'http://127.0.0.1:4010/3.0', description: 'Base URL of the Marketing API. Set it empty to use `https://<dc>.api.mailchimp.com/3.0` from the key.' },
  { name: 'MAILCHIMP_LIST_ID', default: 'a1b2c3d4e5', description: 'The audience the store belongs to (the emulator creates this one at start).' },
  { name: 'MAILCHIMP_STORE_ID', default: 'shop1', description: 'The Mailchimp store id; also the prefix of every workflow id.' },
  { name: 'MAILCHIMP_MAX_CONNECTIONS', default: '10', description: 'Requests in flight per API key in one process (Mailchimp allows 10 per key in total: divide it between workers).' },
  { name: 'MAILCHIMP_TIMEOUT_MS', default: '30000', description: 'Timeout of one Mailchimp request.' },
  { name: 'SYNC_INTERVAL', default: '1m', description: 'How often the schedules look for changed rows.' },
  { name: 'BACKFILL_MODE', default: 'direct', description: 'How a full resync sends rows: `direct` (one API call per write, at most MAILCHIMP_MAX_CONNECTIONS at a time) or `batch` (Mailchimp batch operations, POST /batches: much faster on the emulator, but a real account processes batches at its own pace, sometimes slowly).' },
  { name: 'OPT_IN_TIMEOUT', default: '7 days', description: 'How long a customer workflow waits for a double opt-in confirmation.' },
  { name: 'PROMO_REDEMPTION_URL', default: 'https://{domain}/cart?promo={code}', description: 'Template of a promo code\'s redemption URL.' },
  { name: 'EMULATOR_PORT', default: '4010', description: 'Port of the bundled Mailchimp emulator.' },
  { name: 'EMULATOR_API_KEY', default: 'fake-emulator-key-us1', description: 'The only API key the emulator accepts.', secret: true },
  { name: 'EMULATOR_STATE_FILE', default: '', description: 'When set, the emulator saves its state to this JSON file and loads it at start.' },
  { name: 'WEBHOOK_PORT', default: '4020', description: 'Port of the audience-webhook receiver.' },
  { name: 'WEBHOOK_SECRET', default: '', description: 'Secret in the audience-webhook URL; the receiver refuses requests without it.', secret: true },
  { name: 'WEBHOOK_PUBLIC_URL', default: 'http://127.0.0.1:4020', description: 'Base URL at which Mailchimp reaches the webhook receiver.' },
  { name: 'SYNC_SOURCE', default: 'shop-db', description: 'Where the shop data comes from: `shop-db` (the shop database) or `stripe` (products, customers and purchases of a Stripe account, docs/stripe.md).' },
  { name: 'STRIPE_API_KEY', default: 'sk_test_localstripe', description: 'Stripe secret key (SYNC_SOURCE=stripe). The default suits the local fake Stripe.', secret: true },
  { name: 'STRIPE_API_URL', default: 'http://127.0.0.1:8420', description: 'Base URL of the Stripe API. Set it empty for https://api.stripe.com; a local address where nothing answers gets the fake Stripe (localstripe) at `npm start`.' },
  { name: 'STRIPE_WEBHOOK_SECRET', default: 'whsec_localstripe', description: 'Signing secret of the Stripe webhook endpoint; events without a valid Stripe-Signature are refused.', secret: true },
  { name: 'STRIPE_WEBHOOK_PORT', default: '4030', description: 'Port of the Stripe webhook receiver (POST /stripe/webhook).' },
  { name: 'STRIPE_STORE_NAME', default: 'Stripe store', description: 'Name of the Mailchimp store filled from Stripe.' },
  { name: 'STRIPE_CURRENCY', default: '', description: 'Currency of the Mailchimp store filled from Stripe; empty: the Stripe account\'s default currency.' },
  { name: 'METRICS_PORT', default: '9464', description: 'Prometheus metrics port of the worker.' },
  { name: 'LOG_LEVEL', default: 'info', description: 'Log level (trace, debug, info, warn, error).' },
] as const satisfies readonly VariableSpec[];

export type VariableName = (typeof VARIABLES)[number]['name'];
