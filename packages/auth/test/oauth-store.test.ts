import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUser } from "../src/domain/user.js";
import { createOAuthStore, type OAuthStore } from "../src/store/oauth-store.js";
import { openTestDb, type TestDb, testSealer } from "./auth-db.js";

let db: TestDb;
let store: OAuthStore;
beforeAll(async () => {
  db = await openTestDb("auth_oauth_store");
  store = createOAuthStore(db.db, await testSealer(db.db));
});
afterAll(() => db.close());

const now = new Date("2026-03-01T12:00:00.000Z");
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

describe("oauth store housekeeping", () => {
  it("purges expired login states and link tokens in batches and keeps live ones", async () => {
    const userId = await store.createLinkedAccount(newUser({ email: "purge@example.com", displayName: "P" }, now), { provider: "mock", subject: "s-purge" });
    const state = { provider: "mock", redirectUri: "http://localhost/cb", nonce: "n", codeVerifier: "v" };
    for (const [hash, minutes] of [["s-old-1", -5], ["s-old-2", -1], ["s-live", 5]] as const) {
      await store.saveLoginState(hash, { ...state, expiresAt: at(minutes) });
    }
    for (const [hash, minutes] of [["l-old", -5], ["l-live", 5]] as const) {
      await store.saveLinkToken(hash, { userId, provider: "other", subject: hash, expiresAt: at(minutes) });
    }
    expect(await store.purgeExpired(now, 2)).toBe(2);
    expect(await store.purgeExpired(now, 2)).toBe(1);
    expect(await store.purgeExpired(now, 2)).toBe(0);
    expect(await store.takeLoginState("s-live")).toMatchObject({ provider: "mock" });
    expect(await store.takeLoginState("s-old-1")).toBeUndefined();
    expect(await store.findLinkToken("l-live", now)).toMatchObject({ userId });
    expect(await store.findLinkToken("l-old", at(-10))).toBeUndefined();
  });
});
