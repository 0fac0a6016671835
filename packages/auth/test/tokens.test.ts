import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { generateSigningKey } from "../src/domain/signing-keys.js";
import { issueAccessToken } from "../src/domain/tokens.js";

const now = new Date("2026-05-05T10:00:00.400Z");
const options = { issuer: "https://auth.triphub.test", audience: "triphub", ttlSeconds: 900, now };
const claims = {
  userId: "7d0c1c8e-2f0a-4b7e-9d1e-0f5b1a2c3d4e",
  roles: ["GUEST", "HOST"] as const,
  sessionId: "33333333-3333-4333-8333-333333333333",
};

describe("issueAccessToken", () => {
  it("signs an ES256 at+jwt that verifies against the published key", async () => {
    const key = await generateSigningKey(now);
    const { token, expiresAt } = await issueAccessToken(key, claims, options);

    expect(decodeProtectedHeader(token)).toEqual({ alg: "ES256", kid: key.kid, typ: "at+jwt" });
    const jwks = createLocalJWKSet({ keys: [key.publicJwk] });
    const { payload } = await jwtVerify(token, jwks, {
      issuer: options.issuer,
      audience: options.audience,
      typ: "at+jwt",
      currentDate: now,
    });
    expect(payload).toMatchObject({
      sub: claims.userId,
      roles: ["GUEST", "HOST"],
      sid: claims.sessionId,
      iat: 1777975200,
      exp: 1777975200 + 900,
    });
    expect(payload.jti).toEqual(expect.any(String));
    expect(expiresAt).toEqual(new Date("2026-05-05T10:15:00.000Z"));
  });

  it("is rejected after it expires", async () => {
    const key = await generateSigningKey(now);
    const { token, expiresAt } = await issueAccessToken(key, claims, options);
    const jwks = createLocalJWKSet({ keys: [key.publicJwk] });
    await expect(jwtVerify(token, jwks, { currentDate: new Date(expiresAt.getTime() + 1000) })).rejects.toThrow(
      /exp/,
    );
  });

  it("gives every token its own jti", async () => {
    const key = await generateSigningKey(now);
    const jtis = await Promise.all(
      [1, 2, 3].map(async () => {
        const { token } = await issueAccessToken(key, claims, options);
        return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString()).jti;
      }),
    );
    expect(new Set(jtis).size).toBe(3);
  });

  it("does not verify against another key with the same kid", async () => {
    const key = await generateSigningKey(now);
    const other = await generateSigningKey(now);
    const { token } = await issueAccessToken(key, claims, options);
    const jwks = createLocalJWKSet({ keys: [{ ...other.publicJwk, kid: key.kid }] });
    await expect(jwtVerify(token, jwks, { currentDate: now })).rejects.toThrow();
  });
});
