import { mailchimpBaseUrl } from './base-url';
import { createTransport, type RequestEvent } from './transport';
import { MAILCHIMP_LIMITS } from './schemas/limits';
import { fetchPage } from './resources/collection';
import { storeMethods, type StoreMethods } from './resources/stores';
import { productMethods, type ProductMethods } from './resources/products';
import { customerMethods, type CustomerMethods } from './resources/customers';
import { orderMethods, type OrderMethods } from './resources/orders';
import { cartMethods, type CartMethods } from './resources/carts';
import { promoMethods, type PromoMethods } from './resources/promos';
import { listMethods, type ListMethods } from './resources/lists';
import { batchMethods, type BatchMethods } from './resources/batches';
import type { Page, PageOptions } from './types';

export interface MailchimpClientOptions {
  /** `<key>-<dc>`. Never logged, never put in errors. */
  apiKey: string;
  /** Overrides the URL derived from the key when non-empty (MAILCHIMP_API_URL, e.g. the emulator's). */
  baseUrl?: string;
  /** Requests in flight for this key in this process, shared by every client of the key. Default 10. */
  maxConnections?: number;
  /** Per request. Default 30 000. */
  timeoutMs?: number;
  /** Called after every request, for metrics. Must not throw (if it does, the error is ignored). */
  onRequest?: (event: RequestEvent) => void;
  /** Refuse, before sending, body fields our schemas do not know instead of stripping them (on in tests). */
  rejectUnknownFields?: boolean;
}

/**
 * Typed calls to the Marketing API. Every failure is a MailchimpError; nothing is retried here
 * (Temporal retries the activity). Bodies are validated against `mailchimp/schemas` before sending.
 */
export interface MailchimpClient
  extends StoreMethods,
    ProductMethods,
    CustomerMethods,
    OrderMethods,
    CartMethods,
    PromoMethods,
    ListMethods,
    BatchMethods {
  /** One page of any collection, e.g. `/ecommerce/stores/shop1/products`. */
  list<T = Record<string, unknown>>(path: string, options?: PageOptions): Promise<Page<T>>;
  /** The base URL in use (no credentials in it). */
  readonly baseUrl: string;
  /** Closes idle keep-alive sockets. */
  close(): void;
}

export function createMailchimpClient(options: MailchimpClientOptions): MailchimpClient {
  const baseUrl = mailchimpBaseUrl(options.apiKey, options.baseUrl);
  const transport = createTransport({
    apiKey: options.apiKey,
    baseUrl,
    maxConnections: options.maxConnections ?? MAILCHIMP_LIMITS.maxConnectionsPerKey,
    timeoutMs: options.timeoutMs ?? 30_000,
    onRequest: options.onRequest,
    rejectUnknownFields: options.rejectUnknownFields,
  });
  return {
    ...storeMethods(transport),
    ...productMethods(transport),
    ...customerMethods(transport),
    ...orderMethods(transport),
    ...cartMethods(transport),
    ...promoMethods(transport),
    ...listMethods(transport),
    ...batchMethods(transport),
    list: (path, pageOptions) => fetchPage(transport, path, pageOptions),
    baseUrl,
    close: () => transport.close(),
  };
}
