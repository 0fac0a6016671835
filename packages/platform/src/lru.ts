/** A bounded map that forgets the least recently used entry first, with a time to live. */
export interface Lru<V> {
  get(key: string): V | undefined;
  set(key: string, value: V, ttlMs: number): void;
  delete(key: string): void;
  /** Drops every key starting with `prefix`. */
  deletePrefix(prefix: string): void;
  readonly size: number;
}

/** An in-process LRU: a Map kept in use order (re-inserting on read moves a key to the end). */
export function createLru<V>(max: number, now: () => number = Date.now): Lru<V> {
  const entries = new Map<string, { value: V; until: number }>();
  return {
    get(key) {
      const e = entries.get(key);
      if (!e) return undefined;
      entries.delete(key);
      if (e.until <= now()) return undefined;
      entries.set(key, e);
      return e.value;
    },
    set(key, value, ttlMs) {
      entries.delete(key);
      if (entries.size >= max) entries.delete(entries.keys().next().value as string);
      entries.set(key, { value, until: now() + ttlMs });
    },
    delete: (key) => void entries.delete(key),
    deletePrefix(prefix) {
      for (const key of [...entries.keys()]) if (key.startsWith(prefix)) entries.delete(key);
    },
    get size() {
      return entries.size;
    },
  };
}
