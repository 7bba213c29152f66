/** A small path router for the Mailchimp routes: static segments win over `{param}` segments. */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Node<H> {
  statics: Map<string, Node<H>>;
  param?: { name: string; node: Node<H> };
  handlers: Map<string, H>;
  pattern?: string;
}

export type RouteMatch<H> =
  | { kind: 'found'; handler: H; params: Record<string, string>; pattern: string }
  | { kind: 'method-not-allowed'; pattern: string; allowed: string[] }
  | { kind: 'not-found' };

const newNode = <H>(): Node<H> => ({ statics: new Map(), handlers: new Map() });

export function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

export class Router<H> {
  private readonly root: Node<H> = newNode<H>();

  /** `pattern` like `/lists/{list_id}/members/{subscriber_hash}`. */
  add(method: HttpMethod, pattern: string, handler: H): void {
    let node = this.root;
    for (const segment of splitPath(pattern)) {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param) {
        if (!node.param) node.param = { name: param[1], node: newNode<H>() };
        else if (node.param.name !== param[1]) throw new Error(`Conflicting parameter names at ${pattern}`);
        node = node.param.node;
      } else {
        let next = node.statics.get(segment);
        if (!next) {
          next = newNode<H>();
          node.statics.set(segment, next);
        }
        node = next;
      }
    }
    if (node.handlers.has(method)) throw new Error(`Duplicate route ${method} ${pattern}`);
    node.handlers.set(method, handler);
    node.pattern = pattern;
  }

  match(method: string, path: string): RouteMatch<H> {
    const segments: string[] = [];
    for (const raw of splitPath(path)) {
      try {
        segments.push(decodeURIComponent(raw));
      } catch {
        return { kind: 'not-found' };
      }
    }
    const params: Record<string, string> = {};
    const node = this.walk(this.root, segments, 0, params);
    if (!node || !node.pattern || node.handlers.size === 0) return { kind: 'not-found' };
    const handler = node.handlers.get(method.toUpperCase());
    if (!handler) return { kind: 'method-not-allowed', pattern: node.pattern, allowed: [...node.handlers.keys()] };
    return { kind: 'found', handler, params, pattern: node.pattern };
  }

  private walk(node: Node<H>, segments: string[], i: number, params: Record<string, string>): Node<H> | undefined {
    if (i === segments.length) return node.handlers.size > 0 ? node : undefined;
    const segment = segments[i];
    const fixed = node.statics.get(segment);
    if (fixed) {
      const found = this.walk(fixed, segments, i + 1, params);
      if (found) return found;
    }
    if (node.param) {
      const found = this.walk(node.param.node, segments, i + 1, params);
      if (found) {
        params[node.param.name] = segment;
        return found;
      }
    }
    return undefined;
  }
}
