import { testClock } from "@triphub/testkit";
import { errors, jwtVerify } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CLOCK_SKEW_SECONDS } from "../src/domain/signing-keys.js";
import { issueAccessToken } from "../src/domain/tokens.js";
import { createKeyRing } from "../src/store/key-ring.js";
import { createKeyStore } from "../src/store/key-store.js";
import { signingKeys } from "../src/store/schema.js";
import { openTestDb, type TestDb } from "./auth-db.js";

const TTL = 900;
let testDb: TestDb;

beforeAll(async () => {
  testDb = await openTestDb("auth_key_ring");
});
beforeEach(async () => {
  await testDb.db.delete(signingKeys);
});
afterAll(() => testDb?.close());

describe("key ring on the service's clock", () => {
  it("stops trusting a rotated-out key once its clock passes the key's publication window", async () => {
    const clock = testClock("2026-01-01T00:00:00.000Z");
    const ring = await createKeyRing(createKeyStore(testDb.db), { accessTokenTtlSeconds: TTL, now: clock.now });
    const old = await ring.signingKey();
    const options = { issuer: "auth", audience: "triphub", ttlSeconds: TTL, now: clock.now() };
    const { token } = await issueAccessToken(old, { userId: "u1", roles: [], sessionId: "s1" }, options);
    await ring.rotate();
    await expect(jwtVerify(token, ring.resolver, { currentDate: clock.now() })).resolves.toBeDefined();

    clock.advance((TTL + CLOCK_SKEW_SECONDS + 60) * 1000);
    expect((await ring.jwks()).keys.map((k) => k.kid)).not.toContain(old.kid);
    // Refused for its key, not only for its age.
    await expect(jwtVerify(token, ring.resolver, { currentDate: clock.now() })).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
  });

  it("signs with another instance's new key once its own clock has moved past the reload interval", async () => {
    const clock = testClock("2026-01-01T00:00:00.000Z");
    const store = createKeyStore(testDb.db);
    const a = await createKeyRing(store, { accessTokenTtlSeconds: TTL, now: clock.now, reloadAfterMs: 60_000 });
    const b = await createKeyRing(store, { accessTokenTtlSeconds: TTL, now: clock.now, reloadAfterMs: 60_000 });
    const before = await a.signingKey();
    const rotated = await b.rotate();
    expect((await a.signingKey()).kid).toBe(before.kid);
    clock.advance(61_000);
    expect((await a.signingKey()).kid).toBe(rotated.kid);
  });
});
