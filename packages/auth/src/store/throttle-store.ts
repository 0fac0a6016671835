import { eq, inArray, lte, sql } from "drizzle-orm";
import { LOGIN_THROTTLE, failuresInWindow } from "../domain/login-throttle.js";
import type { FailureWindow, LoginThrottleState, ThrottleKeys } from "../domain/login-throttle.js";
import { timestamptz } from "@triphub/platform/store-helpers";
import type { AuthDb } from "./db.js";
import { loginFailures } from "./schema.js";

/** Failed-login counters, one fixed window per key (`LOGIN_THROTTLE.windowSeconds`). */
export interface ThrottleStore {
  /**
   * Counts one failure under `key` in a single atomic upsert: starts a new window at `now`
   * when there is none or the stored one has closed, else adds one. Returns the window after.
   */
  recordFailure(key: string, now: Date): Promise<FailureWindow>;
  /** Failures under `key` that still count at `now` (0 once the window has closed). */
  failures(key: string, now: Date): Promise<number>;
  /** The stored windows of both keys of a login attempt, for `isLocked`, in one query. */
  state(keys: ThrottleKeys): Promise<LoginThrottleState>;
  /** Forgets the failures under `key` (after a successful login, clear the account key). */
  clear(key: string): Promise<void>;
  /** Deletes windows that have closed by `now`; returns how many. Run it now and then. */
  /** Deletes up to `limit` finished windows; resolves to how many went. */
  purgeExpired(now: Date, limit: number): Promise<number>;
}

/** The throttle store over `db`. */
export function createThrottleStore(db: AuthDb): ThrottleStore {
  async function read(keys: string[]): Promise<Map<string, FailureWindow>> {
    const rows = await db.select().from(loginFailures).where(inArray(loginFailures.key, keys));
    return new Map(rows.map((r) => [r.key, { failures: r.failures, windowStartedAt: r.windowStartedAt }]));
  }

  return {
    async recordFailure(key, now) {
      const at = timestamptz(now);
      // A window closes windowSeconds after it started; the upsert either restarts it or
      // increments, atomically under the row lock ON CONFLICT takes.
      const closed = sql`${loginFailures.windowStartedAt} <= ${at} - make_interval(secs => ${LOGIN_THROTTLE.windowSeconds})`;
      const [row] = await db
        .insert(loginFailures)
        .values({ key, failures: 1, windowStartedAt: now })
        .onConflictDoUpdate({
          target: loginFailures.key,
          set: {
            failures: sql`case when ${closed} then 1 else ${loginFailures.failures} + 1 end`,
            windowStartedAt: sql`case when ${closed} then ${at} else ${loginFailures.windowStartedAt} end`,
          },
        })
        .returning();
      return { failures: row.failures, windowStartedAt: row.windowStartedAt };
    },

    async failures(key, now) {
      return failuresInWindow((await read([key])).get(key), now);
    },

    async state(keys) {
      const found = await read([keys.account, keys.ip]);
      return { account: found.get(keys.account), ip: found.get(keys.ip) };
    },

    async clear(key) {
      await db.delete(loginFailures).where(eq(loginFailures.key, key));
    },

    async purgeExpired(now, limit) {
      const cutoff = new Date(now.getTime() - LOGIN_THROTTLE.windowSeconds * 1000);
      // A password spray leaves a window per address and account tried: delete them in bounded
      // batches, as the refresh tokens are, so no purge holds locks on a huge set at once.
      const doomed = db.select({ key: loginFailures.key }).from(loginFailures).where(lte(loginFailures.windowStartedAt, cutoff)).limit(limit);
      const rows = await db.delete(loginFailures).where(inArray(loginFailures.key, doomed)).returning({ key: loginFailures.key });
      return rows.length;
    },
  };
}
