import axios, { type AxiosInstance } from 'axios';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, type RunningEmulator, type StartEmulatorOptions } from '../../../emulator';

export const TEST_KEY = 'test-key-us1';
export const LIST_ID = 'a1b2c3d4e5';
export const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

export interface Harness {
  emu: RunningEmulator;
  /** Authenticated client for /3.0; never throws on status. */
  api: AxiosInstance;
  /** Client for the emulator root (control routes, page). */
  control: AxiosInstance;
}

export async function boot(options: StartEmulatorOptions = {}): Promise<Harness> {
  const emu = await startEmulator({ port: 0, apiKey: TEST_KEY, stateFile: '', listId: LIST_ID, ...options });
  const api = axios.create({ baseURL: `${emu.url}/3.0`, auth: { username: 'any', password: TEST_KEY }, validateStatus: () => true });
  const control = axios.create({ baseURL: emu.url, validateStatus: () => true });
  return { emu, api, control };
}

export async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000, stepMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export const sampleStore = (id = 'shop1', over: Record<string, unknown> = {}) => ({
  id,
  list_id: LIST_ID,
  name: 'Test shop',
  currency_code: 'EUR',
  ...over,
});

export const sampleProduct = (id = 'p1', variants: string[] = [id], over: Record<string, unknown> = {}) => ({
  id,
  title: `Product ${id}`,
  variants: variants.map((v) => ({ id: v, title: `Variant ${v}`, price: 10 })),
  ...over,
});

export const sampleCustomer = (id = 'c1', email = `${id}@example.com`, optIn = false, over: Record<string, unknown> = {}) => ({
  id,
  email_address: email,
  opt_in_status: optIn,
  first_name: 'Ada',
  last_name: 'Lovelace',
  ...over,
});

export const sampleOrder = (id = 'o1', customer: Record<string, unknown> = { id: 'c1' }, over: Record<string, unknown> = {}) => ({
  id,
  customer,
  currency_code: 'EUR',
  order_total: 20,
  lines: [{ id: 'l1', product_id: 'p1', product_variant_id: 'p1', quantity: 2, price: 10 }],
  ...over,
});

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  form: URLSearchParams;
}

/** A local HTTP endpoint that records what it receives; `status` answers every request. */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  status = 200;
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, form: new URLSearchParams(body) });
        res.statusCode = this.status;
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook?secret=s3`;
    return this;
  }

  posts(type?: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && (type === undefined || r.form.get('type') === type));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
