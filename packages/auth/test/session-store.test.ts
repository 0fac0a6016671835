import { DomainError } from "@triphub/platform/domain-error";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashRefreshSecret, REFRESH_RETRY_GRACE_MS } from "../src/domain/refresh-token.js";
import { newUser } from "../src/domain/user.js";
import { refreshTokens } from "../src/store/schema.js";
import { createSessionStore } from "../src/store/session-store.js";
import type { SessionStore } from "../src/store/session-store.js";
import { createUserStore, type UserStore } from "../src/store/user-store.js";
import { openTestDb, testSealer } from "./auth-db.js";
import type { TestDb } from "./auth-db.js";

let testDb: TestDb;
let sessions: SessionStore;

const t0 = new Date("2026-01-01T00:00:00.000Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const TTL = 3600;
/** The first second past the retry window of a rotation at `seconds`. */
const afterGrace = (seconds: number) => at(seconds + REFRESH_RETRY_GRACE_MS / 1000 + 1);

beforeAll(async () => {
  testDb = await openTestDb("auth_session_store");
  sessions = createSessionStore(testDb.db);
  users = createUserStore(testDb.db, await testSealer(testDb.db));
});
afterAll(() => testDb?.close());

let counter = 0;
let users: UserStore;
async function newUserId(): Promise<string> {
  const email = `session${++counter}.${Date.now()}@example.com`;
  return (await users.insert(newUser({ email, displayName: "S" }, t0), undefined)).id;
}

async function expectNoLongerValid(p: Promise<unknown>): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  expect(err).toMatchObject({ kind: "unauthenticated", message: "refresh token is no longer valid" });
}

describe("create", () => {
  it("stores only the hash of the secret", async () => {
    const userId = await newUserId();
    const issued = await sessions.create({ userId, ttlSeconds: TTL, now: t0 });
    expect(issued.expiresAt).toEqual(at(TTL));
    const rows = await testDb.db.select().from(refreshTokens).where(eq(refreshTokens.userId, userId));
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).toBe(hashRefreshSecret(issued.secret));
    expect(JSON.stringify(rows)).not.toContain(issued.secret);
    expect(rows[0].familyId).toBe(issued.familyId);
  });
});

describe("rotate", () => {
  it("spends the token and issues a new one in the same family", async () => {
    const userId = await newUserId();
    const first = await sessions.create({ userId, ttlSeconds: TTL, now: t0 });
    const second = await sessions.rotate(first.secret, at(60), TTL);
    expect(second).toMatchObject({ userId, familyId: first.familyId, expiresAt: at(60 + TTL) });
    expect(second.secret).not.toBe(first.secret);
    const third = await sessions.rotate(second.secret, at(120), TTL);
    expect(third.familyId).toBe(first.familyId);
  });

  it("revokes the whole family when a spent token comes back", async () => {
    const userId = await newUserId();
    const first = await sessions.create({ userId, ttlSeconds: TTL, now: t0 });
    const second = await sessions.rotate(first.secret, at(60), TTL);
    await expectNoLongerValid(sessions.rotate(first.secret, at(120), TTL));
    // The thief replayed the old token; the legitimate holder of the new one is out too.
    await expectNoLongerValid(sessions.rotate(second.secret, at(130), TTL));
  });

  it("leaves other sessions of the user alone when one family is revoked", async () => {
    const userId = await newUserId();
    const stolen = await sessions.create({ userId, ttlSeconds: TTL, now: t0 });
    const other = await sessions.create({ userId, ttlSeconds: TTL, now: t0 });
    await sessions.rotate(stolen.secret, at(1), TTL);
    await expectNoLongerValid(sessions.rotate(stolen.secret, afterGrace(1), TTL));
    await expect(sessions.rotate(other.secret, afterGrace(2), TTL)).resolves.toMatchObject({ familyId: other.familyId });
  });

  it.each([
    ["an unknown token", "x".repeat(43), 10],
    ["an expired token", undefined, TTL],
  ])("refuses %s without revoking anything", async (_name, forged, seconds) => {
    const userId = await newUserId();
    const issued = await sessions.create({ userId, ttlSeconds: TTL, now: t0 });
    await expectNoLongerValid(sessions.rotate(forged ?? issued.secret, at(seconds), TTL));
    const rows = await testDb.db.select().from(refreshTokens).where(eq(refreshTokens.userId, userId));
    expect(rows.map((r) => r.revokedAt)).toEqual([null]);
  });

  it("gives two concurrent rotations of one token the same successor, which rotates on", async () => {
    for (let round = 0; round < 5; round++) {
      const userId = await newUserId();
      const issued = await sessions.create({ userId, ttlSeconds: TTL, now: t0 });
      const [a, b] = await Promise.all([sessions.rotate(issued.secret, at(1), TTL), sessions.rotate(issued.secret, at(1), TTL)]);
      expect(b).toEqual(a);
      expect(a).toMatchObject({ userId, familyId: issued.familyId, expiresAt: at(1 + TTL) });
      // One chain, not two: the family holds the first token and its single successor.
      const rows = await testDb.db.select().from(refreshTokens).where(eq(refreshTokens.familyId, issued.familyId));
      expect(rows).toHaveLength(2);
      await expect(sessions.rotate(a.secret, at(2), TTL)).resolves.toMatchObject({ familyId: issued.familyId });
    }
  });

  it("hands out the same successor again to a retry within the window, keeping only a sealed copy", async () => {
    const userId = await newUserId();
    const first = await sessions.create({ userId, ttlSeconds: TTL, now: t0 });
    const second = await sessions.rotate(first.secret, at(60), TTL);
    const retried = await sessions.rotate(first.secret, at(60 + REFRESH_RETRY_GRACE_MS / 1000 - 1), TTL);
    expect(retried).toEqual(second);
    await expect(sessions.rotate(first.secret, at(61), TTL)).resolves.toEqual(second);
    const rows = await testDb.db.select().from(refreshTokens).where(eq(refreshTokens.familyId, first.familyId));
    expect(rows.map((r) => r.revokedAt)).toEqual([null, null]);
    expect(JSON.stringify(rows)).not.toContain(second.secret);
    await expect(sessions.rotate(second.secret, at(62), TTL)).resolves.toMatchObject({ familyId: first.familyId });
  });

  it("revokes the family when the spent token comes back after the window", async () => {
    const userId = await newUserId();
    const first = await sessions.create({ userId, ttlSeconds: TTL, now: t0 });
    const second = await sessions.rotate(first.secret, at(60), TTL);
    await expectNoLongerValid(sessions.rotate(first.secret, afterGrace(60), TTL));
    await expectNoLongerValid(sessions.rotate(second.secret, afterGrace(60), TTL));
    const rows = await testDb.db.select().from(refreshTokens).where(eq(refreshTokens.familyId, first.familyId));
    expect(rows.map((r) => r.successorSealed)).toEqual([null, null]);
  });

  it("grants no retry to a token whose successor was rotated too, even within the window", async () => {
    const userId = await newUserId();
    const first = await sessions.create({ userId, ttlSeconds: TTL, now: t0 });
    const second = await sessions.rotate(first.secret, at(1), TTL);
    const third = await sessions.rotate(second.secret, at(2), TTL);
    const [firstRow] = await testDb.db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hashRefreshSecret(first.secret)));
    // Nothing left that the first token could open.
    expect(firstRow.successorSealed).toBeNull();
    await expectNoLongerValid(sessions.rotate(first.secret, at(3), TTL));
    await expectNoLongerValid(sessions.rotate(third.secret, at(4), TTL));
  });

  it("grants no retry after logout, even within the window", async () => {
    const userId = await newUserId();
    const first = await sessions.create({ userId, ttlSeconds: TTL, now: t0 });
    await sessions.rotate(first.secret, at(1), TTL);
    await sessions.revokeFamilyOf(first.secret, at(2));
    await expectNoLongerValid(sessions.rotate(first.secret, at(3), TTL));
  });
});

describe("revokeFamilyOf", () => {
  it("logs out the session of any of its tokens", async () => {
    const userId = await newUserId();
    const first = await sessions.create({ userId, ttlSeconds: TTL, now: t0 });
    const second = await sessions.rotate(first.secret, at(1), TTL);
    await sessions.revokeFamilyOf(first.secret, at(2));
    await expectNoLongerValid(sessions.rotate(second.secret, at(3), TTL));
  });

  it("does nothing for an unknown token", async () => {
    await expect(sessions.revokeFamilyOf("unknown-token-unknown-token", t0)).resolves.toBeUndefined();
  });
});

describe("revokeAllForUser", () => {
  it("revokes every session but the one kept", async () => {
    const userId = await newUserId();
    const a = await sessions.create({ userId, ttlSeconds: TTL, now: t0 });
    const b = await sessions.create({ userId, ttlSeconds: TTL, now: t0 });
    const kept = await sessions.create({ userId, ttlSeconds: TTL, now: t0 });
    const bystander = await sessions.create({ userId: await newUserId(), ttlSeconds: TTL, now: t0 });

    expect(await sessions.revokeAllForUser(userId, at(1), kept.familyId)).toBe(2);
    await expectNoLongerValid(sessions.rotate(a.secret, at(2), TTL));
    await expectNoLongerValid(sessions.rotate(b.secret, at(2), TTL));
    await expect(sessions.rotate(kept.secret, at(2), TTL)).resolves.toMatchObject({ userId });
    await expect(sessions.rotate(bystander.secret, at(2), TTL)).resolves.toBeDefined();
  });

  it("revokes every session when none is kept", async () => {
    const userId = await newUserId();
    const a = await sessions.create({ userId, ttlSeconds: TTL, now: t0 });
    expect(await sessions.revokeAllForUser(userId, at(1))).toBe(1);
    await expectNoLongerValid(sessions.rotate(a.secret, at(2), TTL));
  });
});

describe("purgeExpired", () => {
  it("deletes tokens a day past expiry, in batches of at most the limit, and keeps the rest", async () => {
    const userId = await newUserId();
    for (let i = 0; i < 3; i++) await sessions.create({ userId, ttlSeconds: TTL, now: t0 });
    const live = await sessions.create({ userId, ttlSeconds: TTL, now: at(2 * 86_400) });
    const families = async () => (await testDb.db.select().from(refreshTokens).where(eq(refreshTokens.userId, userId))).map((r) => r.familyId);
    await sessions.purgeExpired(at(TTL + 86_399), 1000); // a second short of a day past expiry
    expect(await families()).toHaveLength(4);
    const later = at(TTL + 86_401);
    for (;;) {
      const n = await sessions.purgeExpired(later, 2);
      expect(n).toBeLessThanOrEqual(2);
      if (n < 2) break;
    }
    expect(await families()).toEqual([live.familyId]);
  });
});

describe("ended sessions", () => {
  it("tells onRevoked every family a logout, a password change or a reuse ended, once, after commit", async () => {
    const told: string[][] = [];
    const store = createSessionStore(testDb.db, {
      onRevoked: async (ids) => {
        told.push([...ids].sort());
      },
    });
    const userId = await newUserId();
    const loggedOut = await store.create({ userId, ttlSeconds: TTL, now: t0 });
    await store.revokeFamilyOf(loggedOut.secret, at(1));
    await store.revokeFamilyOf(loggedOut.secret, at(2)); // already ended: nothing new
    expect(told).toEqual([[loggedOut.familyId]]);

    const stolen = await store.create({ userId, ttlSeconds: TTL, now: t0 });
    const next = await store.rotate(stolen.secret, at(1), TTL);
    await store.rotate(next.secret, at(2), TTL);
    await expectNoLongerValid(store.rotate(stolen.secret, at(3), TTL));
    expect(told.at(-1)).toEqual([stolen.familyId]);

    const a = await store.create({ userId, ttlSeconds: TTL, now: t0 });
    const b = await store.create({ userId, ttlSeconds: TTL, now: t0 });
    await store.revokeAllForUser(userId, at(4));
    expect(told.at(-1)).toEqual([a.familyId, b.familyId].sort());
    expect(told).toHaveLength(3);
  });

  it("answers whether a session is live for its own user only, and lists those revoked since a time", async () => {
    const userId = await newUserId();
    const other = await newUserId();
    const live = await sessions.create({ userId, ttlSeconds: TTL, now: t0 });
    const ended = await sessions.create({ userId, ttlSeconds: TTL, now: t0 });
    await sessions.rotate(live.secret, at(1), TTL);
    await sessions.revokeFamilyOf(ended.secret, at(100));
    expect(await sessions.isActive(live.familyId, userId)).toBe(true);
    expect(await sessions.isActive(live.familyId, other)).toBe(false);
    expect(await sessions.isActive(ended.familyId, userId)).toBe(false);
    expect(await sessions.isActive("00000000-0000-4000-8000-000000000000", userId)).toBe(false);
    expect(await sessions.isActive("not-a-uuid", userId)).toBe(false);
    expect(await sessions.revokedSince(at(99))).toContain(ended.familyId);
    expect(await sessions.revokedSince(at(100))).not.toContain(ended.familyId);
  });
});
