// Ended sessions go from auth's database (the truth: a revoked refresh-token family) to the
// shared revocation list in Redis that the gateway reads, so an access token of a session that
// was logged out, ended by a password change or caught in refresh-token reuse is refused within
// seconds, not when it expires.
import { type Clock, createPeriodicJob, type Logger, type RevokedSessions } from "@triphub/platform";
import type { SessionStore } from "./store/session-store.js";

/** What {@link createSessionRevocations} needs. */
export interface SessionRevocationsOptions {
  /** The shared list; absent (no REDIS_URL): readers ask auth's CheckSession, which reads the database. */
  list?: RevokedSessions;
  sessions: Pick<SessionStore, "revokedSince">;
  /** How long an entry must last: an access token's lifetime plus the verifiers' clock skew. */
  ttlMs: number;
  now: Clock;
  log: Logger;
  /** How often a list that missed writes is brought up to date (default 1 s). */
  syncIntervalMs?: number;
}

/** Copies revocations into the shared list, and resynchronises it from the database when it missed any. */
export interface SessionRevocations {
  /** Records ended sessions; never throws (a failed write is repaired by the next sync). */
  publish(familyIds: readonly string[]): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * The list is synchronised from the database at start, after every reconnection of Redis and
 * after any failed write: every session revoked within one entry lifetime is written again and
 * the list is then marked complete. Readers trust only a complete list, so between a Redis that
 * lost its data and the next sync they ask auth instead.
 */
export function createSessionRevocations(opts: SessionRevocationsOptions): SessionRevocations {
  const { list, log } = opts;
  let stale = true;
  list?.onReady(() => {
    stale = true;
  });
  const sync = createPeriodicJob({
    name: "revoked sessions sync",
    intervalMs: opts.syncIntervalMs ?? 1_000,
    log,
    run: async () => {
      if (!list || !stale || !list.ready) return;
      // Cleared first: a write that fails while this runs sets it again.
      stale = false;
      try {
        const since = new Date(opts.now().getTime() - opts.ttlMs);
        const ids = await opts.sessions.revokedSince(since);
        await list.record(ids, opts.ttlMs);
        await list.markComplete();
        log.info({ sessions: ids.length }, "revoked sessions copied to the shared list");
      } catch (err) {
        stale = true;
        throw err;
      }
    },
  });
  return {
    async publish(familyIds) {
      if (!list) return;
      try {
        await list.record(familyIds, opts.ttlMs);
      } catch (err) {
        stale = true;
        log.warn({ err, sessions: familyIds.length }, "revoked sessions not written to the shared list; resynchronising");
      }
    },
    start: () => sync.start(),
    async stop() {
      await sync.stop();
      await list?.close();
    },
  };
}
