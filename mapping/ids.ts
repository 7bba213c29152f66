/**
 * Identifiers: MD5 (pure TypeScript, no node:crypto, so deterministic workflow code can import it),
 * customer ids, e-mail normalisation and validation, workflow ids.
 */
import { utf8Bytes } from './text';

// Per-round left-rotation amounts (RFC 1321).
const S = [
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
  5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
  4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
  6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
];

// K[i] = floor(|sin(i + 1)| * 2^32), written out so that no floating-point maths runs at hash time.
const K = [
  0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
  0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
  0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
  0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
  0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
  0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
  0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
  0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
];

/** MD5 of the UTF-8 encoding of `input`, as 32 lowercase hex digits. */
export function md5(input: string): string {
  const bytes = utf8Bytes(input);
  const bitLength = bytes.length * 8;
  // Padding: 0x80, zeros up to 56 mod 64, then the bit length as 64-bit little-endian.
  bytes.push(0x80);
  while (bytes.length % 64 !== 56) bytes.push(0);
  const lo = bitLength >>> 0;
  const hi = Math.floor(bitLength / 0x100000000) >>> 0;
  for (let i = 0; i < 4; i++) bytes.push((lo >>> (8 * i)) & 0xff);
  for (let i = 0; i < 4; i++) bytes.push((hi >>> (8 * i)) & 0xff);

  let a0 = 0x67452301;
  let b0 = 0xefcdab89;
  let c0 = 0x98badcfe;
  let d0 = 0x10325476;
  const M = new Array<number>(16);

  for (let offset = 0; offset < bytes.length; offset += 64) {
    for (let j = 0; j < 16; j++) {
      const p = offset + j * 4;
      M[j] = (bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24)) >>> 0;
    }
    let A = a0;
    let B = b0;
    let C = c0;
    let D = d0;
    for (let i = 0; i < 64; i++) {
      let F: number;
      let g: number;
      if (i < 16) {
        F = (B & C) | (~B & D);
        g = i;
      } else if (i < 32) {
        F = (D & B) | (~D & C);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        F = B ^ C ^ D;
        g = (3 * i + 5) % 16;
      } else {
        F = C ^ (B | ~D);
        g = (7 * i) % 16;
      }
      const sum = (F + A + K[i] + M[g]) >>> 0;
      A = D;
      D = C;
      C = B;
      B = (B + ((sum << S[i]) | (sum >>> (32 - S[i])))) >>> 0;
    }
    a0 = (a0 + A) >>> 0;
    b0 = (b0 + B) >>> 0;
    c0 = (c0 + C) >>> 0;
    d0 = (d0 + D) >>> 0;
  }
  return [a0, b0, c0, d0].map(wordToHexLE).join('');
}

function wordToHexLE(w: number): string {
  let out = '';
  for (let i = 0; i < 4; i++) out += ((w >>> (8 * i)) & 0xff).toString(16).padStart(2, '0');
  return out;
}

/**
 * The characters an e-mail loses at both ends, as code point ranges: exactly what JavaScript's `trim()` removes (white
 * space and line terminators: tab to carriage return, space, no-break space, the Unicode space separators, line and
 * paragraph separators, the byte order mark). SQL's TRIM removes only spaces, so the database never trims itself: it
 * uses emailHashSql, built from the same ranges.
 */
const EMAIL_EDGE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f],
  [0x3000, 0x3000], [0xfeff, 0xfeff],
];

function edgeClass(point: (code: number) => string): string {
  return EMAIL_EDGE_RANGES.map(([from, to]) => (from === to ? point(from) : `${point(from)}-${point(to)}`)).join('');
}

const hex4 = (code: number) => code.toString(16).toUpperCase().padStart(4, '0');
const JS_EDGES = edgeClass((code) => `\\u{${hex4(code)}}`);
const EMAIL_EDGES = new RegExp(`^[${JS_EDGES}]+|[${JS_EDGES}]+$`, 'gu');
const ASCII_UPPER = /[A-Z]+/g;

/**
 * The form in which an e-mail is compared, hashed and sent: the edge characters above stripped, A–Z lowercased (only
 * ASCII: a valid address is ASCII, and the database's LOWER and JavaScript's disagree beyond it). The ONE
 * normalisation of the customer id, in JavaScript here and in SQL in emailHashSql.
 */
export function normaliseEmail(email: string): string {
  return email.replace(EMAIL_EDGES, '').replace(ASCII_UPPER, (upper) => upper.toLowerCase());
}

/**
 * customerIdForEmail in SQL, over `column` (an SQL expression, or `??` for a knex identifier binding): the same edges
 * stripped (REGEXP_REPLACE: MariaDB 10.5+, MySQL 8), A–Z lowercased one letter at a time (REPLACE is case-sensitive),
 * MD5 of the UTF-8 bytes. test/integration/db/email-hash.test.ts checks it against normaliseEmail on random strings.
 */
export function emailHashSql(column: string): string {
  const sqlEdges = edgeClass((code) => `\\\\x{${hex4(code)}}`);
  let expr = `REGEXP_REPLACE(${column}, '^[${sqlEdges}]+|[${sqlEdges}]+$', '')`;
  for (let c = 65; c <= 90; c++) expr = `REPLACE(${expr}, '${String.fromCharCode(c)}', '${String.fromCharCode(c + 32)}')`;
  return `MD5(${expr})`;
}

export const MAX_EMAIL_LENGTH = 254;
const MAX_LOCAL_PART_LENGTH = 64;
// eslint-disable-next-line no-control-regex
const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001F\u007F]/;
const LOCAL_PART_CHARS = /^[A-Za-z0-9_'+.-]+$/;
const DOMAIN_LABEL = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
const TOP_LEVEL_DOMAIN = /^[A-Za-z]{2,}$/;

/**
 * RFC-lite check of a (trimmed) address: at most 254 characters, no spaces or control characters, exactly one "@",
 * a non-empty local part of at most 64 characters, and a domain with a dot and no empty part.
 * On top of that it refuses what Mailchimp (and the payload schema's e-mail rule) refuses, so that a row is turned
 * away here with a clear reason rather than by the API: ASCII letters, digits and _ ' + - . only in the local part
 * (no leading, trailing or double dot), letters, digits and hyphens in domain labels, a top-level domain of 2+ letters.
 * Internationalised (non-ASCII) addresses are therefore refused.
 */
export function isValidEmail(email: string): boolean {
  return emailProblem(email) === undefined;
}

/** Why an address is not valid (a phrase that completes "... is not a valid address: "), or undefined when it is. */
export function emailProblem(email: string): string | undefined {
  const e = email.replace(EMAIL_EDGES, '');
  if (e === '') return 'it is empty';
  if (e.length > MAX_EMAIL_LENGTH) return `it is longer than ${MAX_EMAIL_LENGTH} characters`;
  if (WHITESPACE_OR_CONTROL.test(e)) return 'it contains a space or a control character';
  const parts = e.split('@');
  if (parts.length !== 2) return 'it must contain exactly one "@"';
  const [local, domain] = parts;
  if (local === '') return 'nothing comes before the "@"';
  if (local.length > MAX_LOCAL_PART_LENGTH) return `the part before the "@" is longer than ${MAX_LOCAL_PART_LENGTH} characters`;
  if (domain === '') return 'nothing comes after the "@"';
  if (!domain.includes('.')) return 'the domain has no dot';
  const labels = domain.split('.');
  if (labels.some((label) => label === '')) return 'the domain has an empty part (a leading, trailing or double dot)';
  if (!LOCAL_PART_CHARS.test(local)) return 'the part before the "@" has characters Mailchimp does not accept';
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return 'the part before the "@" starts or ends with a dot or has two dots in a row';
  }
  if (local.endsWith("'")) return 'the part before the "@" ends with an apostrophe';
  if (!labels.every((label) => DOMAIN_LABEL.test(label))) return 'the domain has characters Mailchimp does not accept';
  if (!TOP_LEVEL_DOMAIN.test(labels[labels.length - 1])) return 'the domain does not end in a top-level domain such as ".com"';
  return undefined;
}

/** Mailchimp customer id (and audience subscriber hash): md5 of the trimmed, lowercased e-mail. Same for users and guests. */
export function customerIdForEmail(email: string): string {
  return md5(normaliseEmail(email));
}

export { ENTITY_TYPES, type EntityType } from './entity-types';
