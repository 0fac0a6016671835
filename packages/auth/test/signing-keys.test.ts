import { describe, expect, it } from "vitest";
import { activeKey, generateSigningKey, publishedKeys } from "../src/domain/signing-keys.js";
import type { SigningKey } from "../src/domain/signing-keys.js";

const t0 = new Date("2026-01-01T00:00:00.000Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const TTL = 900;

function key(kid: string, createdAt: Date, retiredAt?: Date): SigningKey {
  return { kid, alg: "ES256", publicJwk: { kid }, privateJwk: { kid }, createdAt, retiredAt };
}

describe("activeKey", () => {
  it("picks the newest key that is not retired", () => {
    const keys = [key("old", at(0), at(100)), key("mid", at(50)), key("new", at(100))];
    expect(activeKey(keys, at(200))?.kid).toBe("new");
  });

  it("skips a newer key once it is retired", () => {
    const keys = [key("a", at(0)), key("b", at(100), at(150))];
    expect(activeKey(keys, at(200))?.kid).toBe("a");
  });

  it("still uses a key whose retirement lies in the future", () => {
    expect(activeKey([key("a", at(0), at(500))], at(200))?.kid).toBe("a");
  });

  it("finds nothing when every key is retired", () => {
    expect(activeKey([key("a", at(0), at(100))], at(200))).toBeUndefined();
    expect(activeKey([], at(0))).toBeUndefined();
  });

  it("does not depend on the order of its input", () => {
    const a = key("a", at(0));
    const b = key("b", at(0));
    expect(activeKey([a, b], at(1))?.kid).toBe(activeKey([b, a], at(1))?.kid);
  });
});

describe("publishedKeys", () => {
  const keys = [key("old", at(0), at(1000)), key("current", at(1000))];

  it.each([
    ["publishes both keys right after a rotation", 1000, ["current", "old"]],
    ["keeps a rotated-out key published until its last token expires", 1000 + TTL, ["current", "old"]],
    ["keeps it through the clock-skew allowance", 1000 + TTL + 59, ["current", "old"]],
    ["drops it once its last token and the skew allowance have passed", 1000 + TTL + 60, ["current"]],
  ])("%s", (_name, seconds, kids) => {
    expect(publishedKeys(keys, at(seconds), TTL).map((k) => k.kid)).toEqual(kids);
  });
});

describe("generateSigningKey", () => {
  it("makes a P-256 key pair whose public half carries kid, alg and use but no private part", async () => {
    const k = await generateSigningKey(t0);
    expect(k.kid).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(k.alg).toBe("ES256");
    expect(k.createdAt).toBe(t0);
    expect(k.retiredAt).toBeUndefined();
    expect(k.publicJwk).toMatchObject({ kty: "EC", crv: "P-256", kid: k.kid, alg: "ES256", use: "sig" });
    expect(k.publicJwk.d).toBeUndefined();
    expect(k.privateJwk.d).toEqual(expect.any(String));
  });

  it("gives every key its own kid", async () => {
    const [a, b] = await Promise.all([generateSigningKey(t0), generateSigningKey(t0)]);
    expect(a.kid).not.toBe(b.kid);
  });
});
