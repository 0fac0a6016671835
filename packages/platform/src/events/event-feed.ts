import { setMaxListeners } from "node:events";
import type postgres from "postgres";
import type { Logger } from "../logger.js";

/** Wakes StreamEvents followers when events may have been committed; see {@link createEventFeed}. */
export interface EventFeed {
  /**
   * Resolves on the next notification of new events, after `ms`, or when `signal` or the feed
   * is closed: whichever comes first. Never rejects.
   */
  wait(ms: number, signal: AbortSignal): Promise<void>;
  /** The NOTIFY channel, which names the feed in metrics (e.g. "reservation_events"). */
  readonly channel?: string;
  /** Aborted when the feed is closed: followers end their streams. */
  readonly closed: AbortSignal;
  /** Ends every stream and stops listening. */
  close(): Promise<void>;
}

/**
 * One LISTEN connection per process (on `channel`, the one the writers NOTIFY), shared by every follower. Notifications are only hints
 * (writers send them after commit, and may fail to): followers also poll, so a missed
 * notification, a LISTEN that could not start (a pooler in transaction mode) or a reconnect
 * delays delivery by at most a poll interval and loses nothing. postgres.js re-listens after a
 * reconnect; `onlisten` then wakes everyone, since notifications sent meanwhile are gone.
 */
export function createEventFeed(opts: { sql?: postgres.Sql; log: Logger; channel: string }): EventFeed {
  const stop = new AbortController();
  // Every open stream listens for the close: hundreds of followers are normal, not a leak.
  setMaxListeners(0, stop.signal);
  const waiting = new Set<() => void>();
  const wakeAll = () => {
    for (const w of [...waiting]) w();
  };
  const listening = opts.sql
    ?.listen(opts.channel, wakeAll, wakeAll)
    .catch((err: unknown) => {
      opts.log.warn({ err }, "cannot LISTEN for new events: followers poll only");
      return undefined;
    });

  return {
    channel: opts.channel,
    closed: stop.signal,
    wait(ms, signal) {
      if (signal.aborted || stop.signal.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          waiting.delete(done);
          clearTimeout(timer);
          signal.removeEventListener("abort", done);
          stop.signal.removeEventListener("abort", done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        signal.addEventListener("abort", done, { once: true });
        stop.signal.addEventListener("abort", done, { once: true });
        waiting.add(done);
      });
    },
    async close() {
      stop.abort();
      const meta = await listening;
      await meta?.unlisten().catch(() => undefined);
    },
  };
}
