import fs from 'node:fs';
import { z } from 'zod';
import { toMs } from './duration';

/** What one configuration variable may hold: a zod schema over the raw string, and the same in words. */
export interface Check {
  readonly allowed: string;
  readonly schema: z.ZodType<unknown, z.ZodTypeDef, string>;
}

const check = (allowed: string, schema: z.ZodType<unknown, z.ZodTypeDef, string>): Check => ({ allowed, schema });

function isDuration(value: string, minMs: number): boolean {
  try {
    return toMs(value) >= minMs;
  } catch {
    return false;
  }
}

function isUrl(value: string, protocols: readonly string[]): boolean {
  try {
    const url = new URL(value);
    return protocols.includes(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}

export const anyText = check('any text', z.string());
export const nonEmpty = check('any text that is not empty', z.string().trim().min(1));

export function oneOf(...values: [string, ...string[]]): Check {
  return check(`one of ${values.map((v) => (v === '' ? '(empty)' : v)).join(', ')}`, z.enum(values));
}

export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER): Check {
  const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `${min} to ${max}`;
  return check(`a whole number, ${range}`, z.string().regex(/^\d+$/).refine((v) => Number(v) >= min && Number(v) <= max));
}

export const port = check('a port number, 1 to 65535', wholeNumber(1, 65535).schema);
/** 0 asks the system for a free port. */
export const portOrZero = check('a port number, 0 to 65535 (0: any free port)', wholeNumber(0, 65535).schema);

export function duration(minMs = 1): Check {
  const floor = minMs >= 1000 ? ` of at least ${minMs / 1000} s` : '';
  return check(`a duration${floor} such as "7 days", "30s", "1m", "1 hour" or "1500ms"`, z.string().refine((v) => isDuration(v, minMs)));
}

export const httpUrl = check('an http:// or https:// URL', z.string().refine((v) => isUrl(v, ['http:', 'https:'])));
export const mysqlUrl = check('mysql://user:password@host:port/database', z.string().refine((v) => isUrl(v, ['mysql:', 'mysql2:'])));
export const hostPort = check('host:port, e.g. 127.0.0.1:7233 or my-namespace.a1b2c.tmprl.cloud:7233', z.string().regex(/^[^\s:/]+:\d{1,5}$/));
export const mailchimpKey = check('a Mailchimp API key <key>-<dc> (32 hex characters, a dash, the data centre such as us21)', z.string().regex(/^\S+-[a-z]+\d+$/));
export const identifier = check('letters, digits, _ and - (no spaces or colons)', z.string().regex(/^[A-Za-z0-9_-]+$/));
export const currencyCode = check('a three-letter ISO 4217 currency code such as EUR', z.string().regex(/^[A-Za-z]{3}$/));
export const boolean = oneOf('true', 'false', '1', '0');
export const readableFile = check('the path of a readable file', z.string().refine((v) => {
  try {
    fs.accessSync(v, fs.constants.R_OK);
    return fs.statSync(v).isFile();
  } catch {
    return false;
  }
}));

/** The empty string (meaning "not set", see the variable's description) or what `inner` allows. */
export function orEmpty(inner: Check): Check {
  return check(`empty, or ${inner.allowed}`, z.union([z.literal(''), inner.schema]));
}

/** CART_URL_TEMPLATE: an http(s) URL once {domain} and {id} are filled in. */
export const cartUrlTemplate = check(
  'an http:// or https:// URL that may contain {domain} and {id}, e.g. https://{domain}/cart/{id}',
  z.string().refine((v) => isUrl(v.replace(/\{domain\}/g, 'shop.example.com').replace(/\{id\}/g, '1'), ['http:', 'https:'])),
);

/** PROMO_REDEMPTION_URL: an http(s) URL once {domain} and {code} are filled in. */
export const redemptionTemplate = check(
  'an http:// or https:// URL that may contain {domain} and {code}, e.g. https://{domain}/cart?promo={code}',
  z.string().refine((v) => isUrl(v.replace(/\{domain\}/g, 'shop.example.com').replace(/\{code\}/g, 'CODE'), ['http:', 'https:'])),
);

/** ORDER_URL_TEMPLATE: an http(s) URL once {domain}, {id} and {number} are filled in. */
export const orderUrlTemplate = check(
  'an http:// or https:// URL that may contain {domain}, {id} and {number}, e.g. https://{domain}/account/orders/{id}',
  z.string().refine((v) => isUrl(v.replace(/\{domain\}/g, 'shop.example.com').replace(/\{id\}/g, '1').replace(/\{number\}/g, 'N1'), ['http:', 'https:'])),
);
