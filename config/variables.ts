/**
 * Every environment variable the product reads, with its default and meaning.
 * The README's configuration table and the docker-compose check are tested against this list,
 * so a variable that is not here does not exist.
 */
import {
  anyText, boolean, cartUrlTemplate, currencyCode, duration, hostPort, httpUrl, identifier, mailchimpKey, mysqlUrl, nonEmpty, oneOf, orEmpty,
  orderUrlTemplate, port, portOrZero, readableFile, redemptionTemplate, wholeNumber, type Check,
} from './checks';

export interface VariableSpec {
  readonly name: string;
  readonly default: string;
  readonly description: string;
  /** Never logged or shown: masked in logs, errors and configuration messages. */
  readonly secret?: boolean;
  /** What the variable may hold (checked at every process's start, config/load.ts); any text when absent. */
  readonly check?: Check;
}

export const VARIABLES = [
  { name: 'DATABASE_URL', default: 'mysql://mcsync:mcsync@127.0.0.1:3306/mcsync', description: 'The shop database (MySQL 8 or MariaDB). The sync reads the contract tables and keeps its own `mc_` tables there.', secret: true, check: mysqlUrl },
  { name: 'TEMPORAL_ADDRESS', default: '127.0.0.1:7233', description: 'Temporal frontend. `npm run services` starts a dev server here when nothing answers.', check: hostPort },
  { name: 'TEMPORAL_NAMESPACE', default: 'default', description: 'Temporal namespace.', check: nonEmpty },
  { name: 'TEMPORAL_TASK_QUEUE', default: 'mailchimp-sync', description: 'Task queue of the sync workers.', check: nonEmpty },
  { name: 'TEMPORAL_API_KEY', default: '', description: 'API key for Temporal Cloud (or a cluster that uses API keys); setting it turns TLS on.', secret: true },
  { name: 'TEMPORAL_TLS', default: '', description: '`true` connects to Temporal over TLS (implied by an API key or a client certificate); empty or `false`: plain, as the dev server.', check: orEmpty(boolean) },
  { name: 'TEMPORAL_TLS_CLIENT_CERT_PATH', default: '', description: 'Client certificate (PEM) for mTLS, e.g. a Temporal Cloud namespace certificate; needs TEMPORAL_TLS_CLIENT_KEY_PATH.', check: orEmpty(readableFile) },
  { name: 'TEMPORAL_TLS_CLIENT_KEY_PATH', default: '', description: 'Private key (PEM) of the client certificate.', check: orEmpty(readableFile) },
  { name: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH', default: '', description: 'CA certificate (PEM) that signed the server\'s certificate, for a private CA; empty: the system\'s roots.', check: orEmpty(readableFile) },
  { name: 'TEMPORAL_TLS_SERVER_NAME', default: '', description: 'Server name to verify in the server\'s certificate, when it differs from the host of TEMPORAL_ADDRESS.' },
  { name: 'TEMPORAL_CONFIG_FILE', default: '', description: 'A Temporal client config file (TOML, the `temporal` CLI\'s format) to read the connection from; the TEMPORAL_* variables set in the environment override it.', check: orEmpty(readableFile) },
  { name: 'TEMPORAL_PROFILE', default: 'default', description: 'The profile of TEMPORAL_CONFIG_FILE to use.', check: nonEmpty },
  { name: 'TEMPORAL_UI_PORT', default: '8233', description: 'Web UI port of the dev server that `npm run services` starts.', check: port },
  { name: 'TEMPORAL_UI_URL', default: '', description: 'Base URL of the Temporal Web UI, for the links `mcsync` prints; empty: `http://127.0.0.1:<TEMPORAL_UI_PORT>`.', check: orEmpty(httpUrl) },
  { name: 'MAILCHIMP_API_KEY', default: 'fake-emulator-key-us1', description: 'Mailchimp API key `<key>-<dc>`. The default is the bundled emulator\'s key.', secret: true, check: mailchimpKey },
  { name: 'MAILCHIMP_API_URL', default: 'http://127.0.0.1:4010/3.0', description: 'Base URL of the Marketing API. Set it empty to use `https://<dc>.api.mailchimp.com/3.0` from the key.', check: orEmpty(httpUrl) },
  { name: 'MAILCHIMP_LIST_ID', default: 'a1b2c3d4e5', description: 'The audience the store belongs to (the emulator creates this one at start).', check: identifier },
  { name: 'MAILCHIMP_STORE_ID', default: 'shop1', description: 'The Mailchimp store id; also the prefix of every workflow id.', check: identifier },
  { name: 'MAILCHIMP_MAX_CONNECTIONS', default: '10', description: 'Requests in flight per API key in all (Mailchimp allows 10 per key): the workers of one database divide them (MAILCHIMP_CONNECTION_SHARING); give every worker the same value.', check: wholeNumber(1) },
  { name: 'MAILCHIMP_CONNECTION_SHARING', default: 'database', description: 'How workers divide MAILCHIMP_MAX_CONNECTIONS: `database` (leases in the sync\'s `mc_connection_slots` table, by demand, so any number of workers never exceed it together) or `process` (each worker uses them all alone: set MAILCHIMP_MAX_CONNECTIONS to 10 / N for N workers).', check: oneOf('database', 'process') },
  { name: 'MAILCHIMP_TIMEOUT_MS', default: '30000', description: 'Timeout of one Mailchimp request.', check: wholeNumber(1) },
  { name: 'MAILCHIMP_REJECT_UNKNOWN_FIELDS', default: 'false', description: "A field the client's payload schemas do not know is refused with its name instead of dropped: `true` to check a change or a test run against the schemas; `false` in production.", check: boolean },
  { name: 'SYNC_INTERVAL', default: '1m', description: 'How often the schedules look for changed rows.', check: duration(1000) },
  { name: 'CHANGE_LOOKBACK', default: '5m', description: 'How long after its updated_at a row may still commit and be synced: each change scan re-reads this much before its watermark (rows already dispatched are not dispatched again).', check: duration(0) },
  { name: 'BACKFILL_MODE', default: 'direct', description: 'How a full resync sends rows: `direct` (single API calls, at most MAILCHIMP_MAX_CONNECTIONS at a time), `batch` (Mailchimp batch operations only, POST /batches: fast when the account processes batches quickly, but a real account runs them at its own pace, sometimes for hours) or `auto` (both lanes at once, each taking the next page of a type when it has room; a batch still running when nothing else is left is stopped and its rows sent direct. Not yet the default: with slow batches and a long finalisation it measured slower than `direct`, see docs/benchmarks.md).', check: oneOf('direct', 'batch', 'auto') },
  { name: 'OPT_IN_TIMEOUT', default: '7 days', description: 'How long a customer workflow waits for a double opt-in confirmation.', check: duration(1000) },
  { name: 'PROMO_REDEMPTION_URL', default: 'https://{domain}/cart?promo={code}', description: 'Template of a promo code\'s redemption URL.', check: redemptionTemplate },
  { name: 'ORDER_URL_TEMPLATE', default: '', description: 'Template of an order\'s `order_url` (the link in Mailchimp\'s order e-mails): {domain} is the store\'s domain, {id} orders.id, {number} the order number; empty: no order_url is sent. A change of the template (or of the store\'s domain it names) reaches orders already sent with a full resync of orders.', check: orEmpty(orderUrlTemplate) },
  { name: 'SEND_PENDING_ORDERS', default: 'false', description: '`true`: pending orders are sent too, with financial_status `pending` (Mailchimp\'s Order Confirmation), and updated in place once paid; `false`: only completed orders are sent. A change reaches orders already in the shop with a full resync of orders.', check: boolean },
  { name: 'CART_URL_TEMPLATE', default: 'https://{domain}/cart/{id}', description: 'Template of a cart\'s `checkout_url` (the link of Mailchimp\'s abandoned-cart e-mails) when the row has none: {domain} is the store\'s domain, {id} carts.id.', check: cartUrlTemplate },
  { name: 'CART_MAX_AGE', default: '30 days', description: 'Carts whose last change is older are not sent, and are deleted from Mailchimp when they age out.', check: duration(60_000) },
  { name: 'EMULATOR_PORT', default: '4010', description: 'Port of the bundled Mailchimp emulator.', check: portOrZero },
  { name: 'EMULATOR_API_KEY', default: 'fake-emulator-key-us1', description: 'The only API key the emulator accepts.', secret: true, check: nonEmpty },
  { name: 'EMULATOR_STATE_FILE', default: '', description: 'When set, the emulator saves its state to this JSON file and loads it at start.', check: anyText },
  { name: 'WEBHOOK_PORT', default: '4020', description: 'Port of the audience-webhook receiver.', check: portOrZero },
  { name: 'WEBHOOK_SECRET', default: '', description: 'Secret in the audience-webhook URL; the receiver refuses requests without it.', secret: true, check: orEmpty(identifier) },
  { name: 'WEBHOOK_PUBLIC_URL', default: 'http://127.0.0.1:4020', description: 'Base URL at which Mailchimp reaches the webhook receiver.', check: httpUrl },
  { name: 'WEBHOOK_EVENT_RETENTION', default: '30 days', description: 'How long processed audience-webhook events are kept in `mc_webhook_events`; a daily schedule deletes older ones.', check: duration(3_600_000) },
  { name: 'SYNC_SOURCE', default: 'shop-db', description: 'Where the shop data comes from: `shop-db` (the shop database) or `stripe` (products, customers and purchases of a Stripe account, docs/stripe.md).', check: oneOf('shop-db', 'stripe') },
  { name: 'STRIPE_API_KEY', default: 'sk_test_localstripe', description: 'Stripe secret key (SYNC_SOURCE=stripe). The default suits the local fake Stripe.', secret: true, check: nonEmpty },
  { name: 'STRIPE_API_URL', default: 'http://127.0.0.1:8420', description: 'Base URL of the Stripe API. Set it empty for https://api.stripe.com; a local address where nothing answers gets the fake Stripe (localstripe) at `npm start`.', check: orEmpty(httpUrl) },
  { name: 'STRIPE_WEBHOOK_SECRET', default: 'whsec_localstripe', description: 'Signing secret of the Stripe webhook endpoint; events without a valid Stripe-Signature are refused.', secret: true, check: nonEmpty },
  { name: 'STRIPE_WEBHOOK_PORT', default: '4030', description: 'Port of the Stripe webhook receiver (POST /stripe/webhook).', check: portOrZero },
  { name: 'STRIPE_STORE_NAME', default: 'Stripe store', description: 'Name of the Mailchimp store filled from Stripe.', check: nonEmpty },
  { name: 'STRIPE_CURRENCY', default: '', description: 'Currency of the Mailchimp store filled from Stripe; empty: the Stripe account\'s default currency.', check: orEmpty(currencyCode) },
  { name: 'METRICS_PORT', default: '9464', description: 'Prometheus metrics port of the worker.', check: portOrZero },
  { name: 'LOG_LEVEL', default: 'info', description: 'Log level (trace, debug, info, warn, error).', check: oneOf('trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent') },
] as const satisfies readonly VariableSpec[];

export type VariableName = (typeof VARIABLES)[number]['name'];
