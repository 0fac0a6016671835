import type { IncomingHttpHeaders } from "node:http";

// A valid header name (RFC 9110 token): only these take the shortcut; anything else goes to
// Headers itself, which throws for it as before.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const NODE = Symbol("node headers");
const base = Headers.prototype;

type Lazy = Headers & { [NODE]?: IncomingHttpHeaders };

/** Copies Node's headers in, once; from then on the object is plain Headers. */
function materialize(h: Lazy): void {
  const node = h[NODE];
  if (!node) return;
  h[NODE] = undefined;
  for (const [k, v] of Object.entries(node)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) base.append.call(h, k, one);
  }
}

/** The value Headers would give for `name`, straight from Node's object; undefined: ask Headers. */
function lookup(h: Lazy, name: string): string | null | undefined {
  const node = h[NODE];
  if (!node || !TOKEN.test(name)) return undefined;
  const key = name.toLowerCase();
  if (!Object.hasOwn(node, key)) return null;
  const v = node[key];
  if (v === undefined) return null;
  return Array.isArray(v) ? v.join(", ") : v;
}

class LazyHeaders extends Headers {}

// Methods are patched onto the prototype (undici-types declares Headers' methods as
// properties, which a subclass cannot override in TypeScript). Anything but get/has
// materializes first, so every other method sees exactly the eager Headers.
const mutating = ["append", "set", "delete", "getSetCookie", "forEach", "entries", "keys", "values", Symbol.iterator] as const;
for (const m of mutating) {
  const inner = base[m] as (...args: unknown[]) => unknown;
  Object.defineProperty(LazyHeaders.prototype, m, {
    configurable: true,
    writable: true,
    value(this: Lazy, ...args: unknown[]) {
      materialize(this);
      return inner.apply(this, args);
    },
  });
}
Object.defineProperty(LazyHeaders.prototype, "get", {
  configurable: true,
  writable: true,
  value(this: Lazy, name: string) {
    const v = lookup(this, name);
    if (v !== undefined) return v;
    materialize(this);
    return base.get.call(this, name);
  },
});
Object.defineProperty(LazyHeaders.prototype, "has", {
  configurable: true,
  writable: true,
  value(this: Lazy, name: string) {
    const v = lookup(this, name);
    if (v !== undefined) return v !== null;
    materialize(this);
    return base.has.call(this, name);
  },
});

/**
 * A request's headers as WHATWG Headers, read from Node's header object on demand. A request
 * carries a dozen headers or more and the transcoder reads a handful by name: `get` and `has`
 * answer from Node's object (repeated values joined with ", ", as Headers joins them), and the
 * first call of any other method copies every header in. Copying eagerly cost a
 * WebIDL-validated append per header on every request.
 */
export function requestHeaders(node: IncomingHttpHeaders): Headers {
  const h: Lazy = new LazyHeaders();
  h[NODE] = node;
  return h;
}
