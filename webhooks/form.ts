/**
 * Mailchimp posts audience events as application/x-www-form-urlencoded with PHP-style keys
 * (`data[merges][FNAME]=Ada`). This turns them into nested objects: `{ data: { merges: { FNAME: 'Ada' } } }`.
 * `key[]` appends to an array. Keys that would reach an object's prototype are dropped; on a conflict
 * (a value and an object under the same key) the first one wins.
 */

export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

/** `data[merges][FNAME]` → ['data', 'merges', 'FNAME']; null when the key is malformed. */
export function keyPath(key: string): string[] | null {
  const open = key.indexOf('[');
  if (open === -1) return [key];
  const head = key.slice(0, open);
  if (head === '') return null;
  const path = [head];
  const rest = key.slice(open);
  const segment = /\[([^[\]]*)\]/y;
  let index = 0;
  while (index < rest.length) {
    segment.lastIndex = index;
    const match = segment.exec(rest);
    if (!match) return null;
    path.push(match[1]);
    index = segment.lastIndex;
  }
  return path;
}

function isObject(value: FormValue | undefined): value is FormObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function nestForm(entries: Iterable<[string, string]>): FormObject {
  const root: FormObject = {};
  for (const [key, value] of entries) {
    const path = keyPath(key);
    if (!path || path.some((p) => FORBIDDEN.has(p))) continue;
    let node: FormObject | FormValue[] = root;
    for (let i = 0; i < path.length; i += 1) {
      const last = i === path.length - 1;
      const name = path[i];
      if (Array.isArray(node)) {
        // Only `key[]` (append) is supported inside arrays.
        if (name !== '' || !last) break;
        node.push(value);
        break;
      }
      if (last) {
        if (name === '') break;
        if (!(name in node)) node[name] = value;
        break;
      }
      const wantsArray = path[i + 1] === '' && i + 1 === path.length - 1;
      const existing: FormValue | undefined = node[name];
      if (existing === undefined) {
        const child: FormObject | FormValue[] = wantsArray ? [] : {};
        node[name] = child;
        node = child;
      } else if (wantsArray ? Array.isArray(existing) : isObject(existing)) {
        node = existing as FormObject | FormValue[];
      } else {
        break; // conflict: keep what came first
      }
    }
  }
  return root;
}

/** Parses a urlencoded body into nested objects. */
export function parseForm(body: string): FormObject {
  return nestForm(new URLSearchParams(body).entries());
}
