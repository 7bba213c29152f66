/**
 * Text helpers. Pure: no Node built-ins, no TextEncoder (so they behave the same in a Temporal workflow sandbox).
 * Strings are UTF-16 in JS; "character" below means a Unicode code point, never half of a surrogate pair.
 */

/**
 * Control characters Mailchimp (and e-mail clients) choke on: C0 except tab, line feed and carriage return,
 * DEL, and C1. Unicode letters, emoji, joiners and variation selectors are kept.
 */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

export function stripControlChars(s: string): string {
  return s.replace(CONTROL_CHARS, '');
}

/** Trimmed text with control characters removed, or undefined when nothing is left. */
export function cleanText(s: string | null | undefined): string | undefined {
  if (s === null || s === undefined) return undefined;
  const cleaned = stripControlChars(s).trim();
  return cleaned === '' ? undefined : cleaned;
}

/** Number of bytes of the UTF-8 encoding (a lone surrogate counts as U+FFFD, 3 bytes, as TextEncoder would). */
export function utf8ByteLength(s: string): number {
  let bytes = 0;
  for (const ch of s) bytes += codePointUtf8Length(ch.codePointAt(0) as number);
  return bytes;
}

function codePointUtf8Length(cp: number): number {
  if (cp < 0x80) return 1;
  if (cp < 0x800) return 2;
  if (cp < 0x10000) return 3;
  return 4;
}

/** A zero-width joiner or variation selector left at the end of a cut string would dangle: drop them. */
const DANGLING_TAIL = /(?:\u200D|\uFE0E|\uFE0F)+$/;

/** Cuts `s` to at most `maxBytes` UTF-8 bytes on a code-point boundary (never splits a character). */
export function truncateUtf8(s: string, maxBytes: number): string {
  if (utf8ByteLength(s) <= maxBytes) return s;
  let bytes = 0;
  let out = '';
  for (const ch of s) {
    const n = codePointUtf8Length(ch.codePointAt(0) as number);
    if (bytes + n > maxBytes) break;
    bytes += n;
    out += ch;
  }
  return out.replace(DANGLING_TAIL, '');
}

/**
 * Cuts `s` so that it has at most `max` UTF-16 code units (and therefore at most `max` code points too, whichever
 * way the receiver counts), never splitting a surrogate pair.
 */
export function truncateChars(s: string, max: number): string {
  if (s.length <= max) return s;
  let out = '';
  for (const ch of s) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out.replace(DANGLING_TAIL, '');
}

/** Encodes a string as UTF-8 bytes (lone surrogates become U+FFFD). */
export function utf8Bytes(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) {
    let cp = ch.codePointAt(0) as number;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) {
      out.push(cp);
    } else if (cp < 0x800) {
      out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    } else {
      out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    }
  }
  return out;
}

/** A value shown in a reason sentence: at most `max` characters, the rest elided ("…"), so a reason stays readable. */
export function shorten(s: string, max = 60): string {
  const chars = Array.from(s);
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

/** Quotes a value for a reason sentence: `"bob@@x"` (long values shortened). */
export function quote(s: string): string {
  return JSON.stringify(shorten(s, 80));
}
