import { describe, expect, it } from "vitest";
import { hashRefreshSecret, judgeRefresh, newRefreshSecret } from "../src/domain/refresh-token.js";
import type { RefreshDecision, StoredRefreshToken } from "../src/domain/refresh-token.js";

const now = new Date("2026-03-01T12:00:00.000Z");
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);

const live: StoredRefreshToken = {
  id: "11111111-1111-4111-8111-111111111111",
  userId: "22222222-2222-4222-8222-222222222222",
  familyId: "33333333-3333-4333-8333-333333333333",
  expiresAt: minutes(60),
  createdAt: minutes(-60),
};

describe("newRefreshSecret", () => {
  it("is 32 random bytes in base64url", () => {
    const secret = newRefreshSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, "base64url")).toHaveLength(32);
    expect(newRefreshSecret()).not.toBe(secret);
  });
});

describe("hashRefreshSecret", () => {
  it("is the sha256 of the secret in hex", () => {
    expect(hashRefreshSecret("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("judgeRefresh", () => {
  it.each<[string, StoredRefreshToken | undefined, RefreshDecision]>([
    ["rotates a live token", live, { kind: "rotate" }],
    ["calls an unknown token invalid", undefined, { kind: "invalid" }],
    ["calls an expired token invalid", { ...live, expiresAt: minutes(-1) }, { kind: "invalid" }],
    ["calls a token expiring this instant invalid", { ...live, expiresAt: now }, { kind: "invalid" }],
    ["calls a spent token reuse", { ...live, usedAt: minutes(-5) }, { kind: "reuse", familyId: live.familyId }],
    ["calls a revoked token reuse", { ...live, revokedAt: minutes(-5) }, { kind: "reuse", familyId: live.familyId }],
    [
      "calls a spent token reuse even after it expired",
      { ...live, usedAt: minutes(-90), expiresAt: minutes(-30) },
      { kind: "reuse", familyId: live.familyId },
    ],
  ])("%s", (_name, token, expected) => {
    expect(judgeRefresh(token, now)).toEqual(expected);
  });
});
