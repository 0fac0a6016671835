import { describe, expect, it } from "vitest";
import {
  hashRefreshSecret,
  judgeRefresh,
  newRefreshSecret,
  openSuccessorSecret,
  REFRESH_RETRY_GRACE_MS,
  sealSuccessorSecret,
} from "../src/domain/refresh-token.js";
import type { RefreshDecision, StoredRefreshToken } from "../src/domain/refresh-token.js";

const now = new Date("2026-03-01T12:00:00.000Z");
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);
const ms = (n: number) => new Date(now.getTime() + n);

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

describe("judgeRefresh of a retry", () => {
  // `spent` was rotated into `successor` 10 s ago.
  const spent: StoredRefreshToken = { ...live, usedAt: ms(-10_000) };
  const successor: StoredRefreshToken = {
    id: "44444444-4444-4444-8444-444444444444",
    userId: live.userId,
    familyId: live.familyId,
    parentId: live.id,
    expiresAt: minutes(90),
    createdAt: ms(-10_000),
  };
  const reuse: RefreshDecision = { kind: "reuse", familyId: live.familyId };
  const replay: RefreshDecision = { kind: "replay", successorId: successor.id };

  it.each<[string, StoredRefreshToken, StoredRefreshToken | undefined, RefreshDecision]>([
    ["replays the live successor of a token spent within the window", spent, successor, replay],
    ["replays a token spent this instant", { ...live, usedAt: now }, successor, replay],
    ["replays just inside the window", { ...live, usedAt: ms(1 - REFRESH_RETRY_GRACE_MS) }, successor, replay],
    ["replays when another instance's clock stamped the rotation ahead of ours", { ...live, usedAt: ms(2_000) }, successor, replay],
    ["replays although the spent token itself expired since", { ...spent, expiresAt: ms(-1) }, successor, replay],
    ["calls it reuse once the window has passed", { ...live, usedAt: ms(-REFRESH_RETRY_GRACE_MS) }, successor, reuse],
    ["calls it reuse long after the window", { ...live, usedAt: minutes(-30) }, successor, reuse],
    ["calls it reuse when the successor's secret was not kept", spent, undefined, reuse],
    ["calls it reuse once the successor was rotated itself", spent, { ...successor, usedAt: ms(-1_000) }, reuse],
    ["calls it reuse when the family was revoked", { ...spent, revokedAt: ms(-1_000) }, { ...successor, revokedAt: ms(-1_000) }, reuse],
    ["calls it reuse when only the successor is revoked", spent, { ...successor, revokedAt: ms(-1_000) }, reuse],
    ["calls it reuse when the successor expired", spent, { ...successor, expiresAt: now }, reuse],
    ["calls it reuse when the token is not the successor's parent", spent, { ...successor, parentId: successor.id }, reuse],
    ["rotates a live token whatever is passed as successor", live, successor, { kind: "rotate" }],
  ])("%s", (_name, token, next, expected) => {
    expect(judgeRefresh(token, now, next)).toEqual(expected);
  });
});

describe("sealSuccessorSecret", () => {
  it("opens only with the predecessor's secret and does not show the successor's", () => {
    const predecessor = newRefreshSecret();
    const successor = newRefreshSecret();
    const sealed = sealSuccessorSecret(successor, predecessor);
    expect(sealed).not.toContain(successor);
    expect(sealSuccessorSecret(successor, predecessor)).not.toBe(sealed);
    expect(openSuccessorSecret(sealed, predecessor)).toBe(successor);
    expect(openSuccessorSecret(sealed, newRefreshSecret())).toBeUndefined();
    expect(openSuccessorSecret("", predecessor)).toBeUndefined();
    const tampered = Buffer.from(sealed, "base64url");
    tampered[20] ^= 1;
    expect(openSuccessorSecret(tampered.toString("base64url"), predecessor)).toBeUndefined();
  });
});
