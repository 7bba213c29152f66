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

  async function call<T>(request: ApiRequest): Promise<T> {
    const response = await exchange(
      request,
      () => api.request({ method: request.method, url: request.path, params: request.query, data: request.body, auth }),
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

function plainHeaders(response: AxiosResponse): Record<string, unknown> {
  const headers: unknown = response.headers;
  if (typeof headers !== 'object' || headers === null) return {};
  const withJson = headers as { toJSON?: () => unknown };
  const plain = typeof withJson.toJSON === 'function' ? withJson.toJSON() : headers;
  return typeof plain === 'object' && plain !== null ? (plain as Record<string, unknown>) : {};
}
