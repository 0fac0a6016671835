import { errors } from "jose";
import { createLru, type Identity, type Logger, type RevokedSessions, type TokenVerifier } from "@triphub/platform";

/** Whether session `sessionId` of `userId` is still live, as auth's CheckSession answers. */
export type AskAuth = (sessionId: string, userId: string) => Promise<boolean>;

/** What {@link withSessionCheck} needs. */
export interface SessionCheckOptions {
  /** The shared list of ended sessions (REDIS_URL); asked first. */
  list?: RevokedSessions;
  /** Auth's CheckSession (from its database): asked when the list cannot tell. */
  askAuth?: AskAuth;
  log: Logger;
  /** How long a "still live" answer is kept here (default 1 s): how late a logout may take effect. */
  cacheMs?: number;
}

// An ended session never comes back: its answer is kept longer (its tokens expire anyway).
const REVOKED_CACHE_MS = 60_000;

/**
 * Access tokens of ended sessions (logout, password change, refresh-token reuse) refused within
 * `cacheMs`: after the signature checks, the token's `sid` is looked up in the shared list, and
 * when that cannot answer (no Redis, Redis down or slow, or a list not known to be complete) auth
 * is asked. When neither answers the request is refused as UNAVAILABLE (retry later): a Redis
 * outage never lets a revoked token through.
 *
 * A refusal is thrown as a JOSE error, so the edge answers it like any bad token
 * ("invalid or expired access token") and says nothing about which check failed.
 */
export function withSessionCheck(verify: TokenVerifier, opts: SessionCheckOptions): TokenVerifier {
  const { list, askAuth, log } = opts;
  const cacheMs = opts.cacheMs ?? 1_000;
  const answers = createLru<boolean>(100_000);
  const pending = new Map<string, Promise<boolean>>();
  let quietUntil = 0;

  async function lookUp(sessionId: string, userId: string): Promise<boolean> {
    const revoked = await list?.isRevoked(sessionId);
    if (revoked !== undefined) return !revoked;
    if (!askAuth) throw new Error("the revoked-sessions list cannot answer and auth is not configured to be asked");
    try {
      return await askAuth(sessionId, userId);
    } catch (err) {
      if (Date.now() >= quietUntil) {
        quietUntil = Date.now() + 10_000;
        log.error({ err }, "cannot check sessions: refusing authenticated requests (repeats muted for 10 s)");
      }
      throw new Error("cannot check the session", { cause: err });
    }
  }

  return async (token) => {
    const identity: Identity = await verify(token);
    const { sessionId, userId } = identity;
    // Every user token auth issues names its session; one without could never be revoked.
    if (sessionId === undefined) throw new errors.JWTClaimValidationFailed("no session", {}, "sid", "missing");
    const key = `${sessionId}/${userId}`;
    let live = answers.get(key);
    if (live === undefined) {
      let asked = pending.get(key);
      if (asked === undefined) {
        asked = lookUp(sessionId, userId).then((answer) => {
          answers.set(key, answer, answer ? cacheMs : REVOKED_CACHE_MS);
          return answer;
        });
        const mine = asked;
        pending.set(key, mine);
        void mine.finally(() => pending.get(key) === mine && pending.delete(key)).catch(() => {});
      }
      live = await asked;
    }
    if (!live) throw new errors.JWTClaimValidationFailed("session ended", {}, "sid", "check_failed");
    return identity;
  };
}
