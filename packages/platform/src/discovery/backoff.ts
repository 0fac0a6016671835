/** Options for {@link createBackoff}. */
export interface BackoffOptions {
  /** The first wait (default 250 ms). */
  initialMs?: number;
  /** The longest wait (default 10 s): a registry back after an outage is found within it. */
  maxMs?: number;
}

/** Growing waits between attempts; see {@link createBackoff}. */
export interface Backoff {
  /** The next wait: doubles from `initialMs` up to `maxMs`, each with up to a fifth of jitter. */
  next(): number;
  /** After a success: the next failure starts from `initialMs` again. */
  reset(): void;
}

/**
 * Capped exponential back-off with jitter, so that the instances of a platform that lost the
 * registry together do not all knock again in the same millisecond.
 */
export function createBackoff(opts: BackoffOptions = {}): Backoff {
  const initial = opts.initialMs ?? 250;
  const max = opts.maxMs ?? 10_000;
  let current = initial;
  return {
    next() {
      const wait = current;
      current = Math.min(max, current * 2);
      return Math.round(wait * (0.8 + Math.random() * 0.2));
    },
    reset() {
      current = initial;
    },
  };
}

/** Resolves after `ms`, or at once when `signal` aborts. Never rejects. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
