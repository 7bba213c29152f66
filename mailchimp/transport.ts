import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { z } from 'zod';
import { classifyNetworkError, classifyResponse, type RequestContext } from './classify';
import { MailchimpError } from './mailchimp-error';
import { validatePayload } from './schemas/validate';
import { connectionGateFor, type ConnectionGate } from './connection-gate';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What the `onRequest` hook sees of each call: no body, no headers, no key. */
export interface RequestEvent {
  method: HttpMethod;
  /** Path below the API root (or the download URL's path). */
  path: string;
  /** 0 when no response came. */
  status: number;
  durationMs: number;
  /** How long the request waited for a connection slot (MAILCHIMP_MAX_CONNECTIONS) before it was sent. */
  waitMs?: number;
}

export type QueryParams = Readonly<Record<string, string | number | boolean | undefined>>;

export interface ApiRequest {
  method: HttpMethod;
  path: string;
  query?: QueryParams;
  body?: unknown;
  /** Names the thing in error messages, e.g. "order 10023". */
  entity?: string;
  /** The body already serialised as JSON (sent as it is, instead of `body`): a batch operation's body. */
  bodyJson?: string;
}

export interface TransportOptions {
  apiKey: string;
  baseUrl: string;
  maxConnections: number;
  timeoutMs: number;
  onRequest?: (event: RequestEvent) => void;
  /** Refuse (instead of strip) body fields the schema does not know. Tests turn it on. */
  rejectUnknownFields?: boolean;
}

/** Sends requests under the per-key connection limit and turns every failure into a MailchimpError. */
export interface Transport {
  call<T>(request: ApiRequest): Promise<T>;
  /** 404 resolves to null. */
  callOrNull<T>(request: ApiRequest): Promise<T | null>;
  /** DELETE where 404 counts as done. */
  remove(request: Omit<ApiRequest, 'method' | 'body'>): Promise<void>;
  /** Validates `body` against `schema` first and sends the parsed value (unknown keys stripped). */
  send<T, S extends z.ZodTypeAny>(schema: S, request: ApiRequest & { body: unknown; entity: string }): Promise<T>;
  /**
   * GETs an absolute URL and hands its body to `consume` as it streams in (the connection slot is held until
   * `consume` is done); credentials go only to the API's own origin.
   */
  downloadStream<T>(url: string, consume: (body: Readable) => Promise<T>): Promise<T>;
  close(): void;
}

export function createTransport(options: TransportOptions): Transport {
  const secrets = [options.apiKey];
  const apiOrigin = new URL(options.baseUrl).origin;
  const gate: ConnectionGate = connectionGateFor(options.apiKey, options.maxConnections);
  const agentOptions = { keepAlive: true, maxSockets: options.maxConnections };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent(agentOptions);
  const auth = { username: 'mailchimp-sync', password: options.apiKey };
  const api: AxiosInstance = axios.create({
    baseURL: options.baseUrl,
    timeout: options.timeoutMs,
    httpAgent,
    httpsAgent,
    validateStatus: () => true,
    maxRedirects: 0,
    transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: true },
  });

  function report(event: RequestEvent): void {
    try {
      options.onRequest?.(event);
    } catch {
      // A metrics hook must never fail a request.
    }
  }

  /** Runs one HTTP exchange; never lets an AxiosError (which holds the auth config) escape. */
  async function exchange(request: ApiRequest, run: () => Promise<AxiosResponse>, reportPath: string, useGate: boolean): Promise<AxiosResponse> {
    const context: RequestContext = { method: request.method, path: request.path, entity: request.entity, secrets };
    const started = performance.now();
    let waitMs = 0;
    const sent = () => {
      waitMs = performance.now() - started;
      return run();
    };
    let response: AxiosResponse;
    try {
      response = useGate ? await gate.run(sent) : await sent();
    } catch (err) {
      report({ method: request.method, path: reportPath, status: 0, durationMs: performance.now() - started, waitMs });
      throw classifyNetworkError(err, context);
    }
    report({ method: request.method, path: reportPath, status: response.status, durationMs: performance.now() - started, waitMs });
    if (response.status >= 200 && response.status < 300) return response;
    throw classifyResponse(response.status, response.data, plainHeaders(response), context);
  }

  // Axios costs about as much JavaScript per request as everything else the worker does for an entity (config merging,
  // header objects, transforms); one request over Node's own client with the keep-alive agent sends the same request
  // (the same URL and query encoding, the same JSON) and reads the answer the way axios was configured to. Behind a
  // proxy (HTTP_PROXY/HTTPS_PROXY, which axios honours) the requests still go through axios.
  const direct = !PROXY_VARIABLES.some((name) => (process.env[name] ?? '') !== '');
  const basic = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  const root = options.baseUrl.replace(/\/+$/, '');

  function callAxios(request: ApiRequest): Promise<AxiosResponse> {
    const data: unknown = request.bodyJson !== undefined ? (JSON.parse(request.bodyJson) as unknown) : request.body;
    return api.request({ method: request.method, url: request.path, params: request.query, data, auth });
  }

  async function call<T>(request: ApiRequest): Promise<T> {
    const response = await exchange(
      request,
      () => (direct ? plainRequest(`${root}/${request.path.replace(/^\/+/, '')}${queryString(request.query)}`, request, basic, options.timeoutMs, httpAgent, httpsAgent) : callAxios(request)),
      request.path,
      true,
    );
    return (response.status === 204 || response.data === '' ? undefined : response.data) as T;
  }

  return {
    call,
    async callOrNull<T>(request: ApiRequest): Promise<T | null> {
      try {
        return await call<T>(request);
      } catch (err) {
        if (err instanceof MailchimpError && err.kind === 'not_found') return null;
        throw err;
      }
    },
    async remove(request): Promise<void> {
      try {
        await call<void>({ ...request, method: 'DELETE' });
      } catch (err) {
        if (!(err instanceof MailchimpError && err.kind === 'not_found')) throw err;
      }
    },
    async send<T, S extends z.ZodTypeAny>(schema: S, request: ApiRequest & { body: unknown; entity: string }): Promise<T> {
      const checked = validatePayload(schema, request.body, request.entity, { rejectUnknownFields: options.rejectUnknownFields });
      if (!checked.ok) {
        throw new MailchimpError({
          kind: 'validation',
          status: 0,
          title: 'Invalid Resource',
          detail: `Not sent: the body does not match the schema (${checked.message})`,
          fieldErrors: checked.errors,
          method: request.method,
          path: request.path,
          entity: request.entity,
          secrets,
        });
      }
      return call<T>({ ...request, body: checked.value });
    },
    async downloadStream<T>(url: string, consume: (body: Readable) => Promise<T>): Promise<T> {
      const target = new URL(url, options.baseUrl);
      const sameOrigin = target.origin === apiOrigin;
      const response = await exchange(
        { method: 'GET', path: target.pathname, entity: 'batch results' },
        async () => {
          const streamed = await axios.request<Readable>({
            method: 'GET',
            url: target.toString(),
            responseType: 'stream',
            timeout: options.timeoutMs,
            httpAgent,
            httpsAgent,
            validateStatus: () => true,
            transitional: { clarifyTimeoutError: true },
            ...(sameOrigin ? { auth } : {}),
          });
          const body = streamed.data;
          if (streamed.status < 200 || streamed.status >= 300) {
            // A refusal's body is a small problem document: read whole, for the error.
            const chunks: Buffer[] = [];
            for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
            const text = Buffer.concat(chunks).toString('utf8');
            let data: unknown = text;
            try {
              data = JSON.parse(text);
            } catch {
              // not JSON: kept as text
            }
            return { ...streamed, data };
          }
          try {
            return { ...streamed, data: await consume(body) };
          } finally {
            body.destroy();
          }
        },
        target.pathname,
        sameOrigin,
      );
      return response.data as T;
    },
    close(): void {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

/** The proxy settings axios honours: with one set, the requests go through axios. */
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

/** Query values encoded as axios encodes them (encodeURIComponent, then `:`, `$` and `,` kept and spaces as `+`). */
function encodeQueryPart(value: string): string {
  return encodeURIComponent(value)
    .replace(/%3A/gi, ':').replace(/%24/g, '$').replace(/%2C/gi, ',').replace(/%20/g, '+');
}

/** `?a=1&b=x` (undefined values left out, as axios does), or '' for none. */
export function queryString(query: QueryParams | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    parts.push(`${encodeQueryPart(key)}=${encodeQueryPart(String(value))}`);
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/**
 * One request over Node's HTTP client: the body as JSON, the answer's text parsed as JSON when it is JSON (else kept
 * as text; '' when empty), a BOM stripped, as axios did with `forcedJSONParsing` and `silentJSONParsing`. No response
 * within `timeoutMs` of inactivity fails with code ETIMEDOUT. The error never holds the request's headers.
 */
function plainRequest(
  url: string, request: ApiRequest, authorization: string, timeoutMs: number, httpAgent: http.Agent, httpsAgent: https.Agent,
): Promise<AxiosResponse> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const body = request.bodyJson ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
  const headers: http.OutgoingHttpHeaders = { accept: 'application/json, text/plain, */*', authorization };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(body);
  }
  return new Promise<AxiosResponse>((resolve, reject) => {
    const req = (secure ? https : http).request(target, { method: request.method, headers, agent: secure ? httpsAgent : httpAgent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('aborted', () => reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })));
      res.on('end', () => {
        let text = Buffer.concat(chunks).toString('utf8');
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        let data: unknown = text;
        if (text !== '') {
          try {
            data = JSON.parse(text);
          } catch {
            // not JSON: kept as text
          }
        }
        resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, data } as AxiosResponse);
      });
    });
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`timeout of ${timeoutMs}ms exceeded`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}

function plainHeaders(response: AxiosResponse): Record<string, unknown> {
  const headers: unknown = response.headers;
  if (typeof headers !== 'object' || headers === null) return {};
  const withJson = headers as { toJSON?: () => unknown };
  const plain = typeof withJson.toJSON === 'function' ? withJson.toJSON() : headers;
  return typeof plain === 'object' && plain !== null ? (plain as Record<string, unknown>) : {};
}
