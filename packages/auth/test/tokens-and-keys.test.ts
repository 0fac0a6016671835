import { Code } from "@connectrpc/connect";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { createTokenVerifier } from "@triphub/platform";
import type { RunningService, TestClock } from "@triphub/testkit";
import { decodeProtectedHeader, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PUBLISH_AHEAD_SECONDS } from "../src/domain/signing-keys.js";
import { ADMIN_EMAIL, AUDIENCE, ISSUER, signUp, startAuth } from "./harness.js";

let svc: RunningService & { clock: TestClock };
beforeAll(async () => {
  svc = await startAuth();
});
afterAll(() => svc.close());

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");

describe("access tokens and JWKS", () => {
  it("serves the public keys at /.well-known/jwks.json and over RPC, never the private part", async () => {
    const res = await fetch(`${svc.url}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    const jwks = (await res.json()) as { keys: Record<string, string>[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    expect(jwks.keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
    expect(jwks.keys.some((k) => "d" in k)).toBe(false);
    const rpc = await svc.client(AuthService).getJwks({});
    expect(rpc.keys.map((k) => k.kid)).toEqual(jwks.keys.map((k) => k.kid));
  });

  it("issues tokens any service can verify against the JWKS", async () => {
    const { user, tokens } = await signUp(svc);
    const verify = createTokenVerifier({ jwks: `${svc.url}/.well-known/jwks.json`, issuer: ISSUER, audience: AUDIENCE });
    const id = await verify(tokens.accessToken);
    expect(id.userId).toBe(user.userId);
    expect(id.roles).toEqual(["GUEST"]);
    expect(decodeProtectedHeader(tokens.accessToken)).toMatchObject({ alg: "ES256", typ: "at+jwt" });
  });

  it("refuses a token once the service's clock has passed its expiry", async () => {
    const { tokens } = await signUp(svc);
    await expect(svc.client(AuthService, tokens.accessToken).getMe({})).resolves.toBeDefined();
    const start = svc.clock.now();
    svc.clock.advance(2 * 3600_000);
    try {
      await expect(svc.client(AuthService, tokens.accessToken).getMe({})).rejects.toMatchObject({ code: Code.Unauthenticated });
    } finally {
      // The other tests verify with outside verifiers on the real clock.
      svc.clock.set(start);
    }
  });

  it("refuses a tampered token", async () => {
    const { tokens } = await signUp(svc);
    const [h, p, s] = tokens.accessToken.split(".");
    const claims = JSON.parse(Buffer.from(p!, "base64url").toString()) as Record<string, unknown>;
    const forged = `${h}.${b64({ ...claims, roles: ["GUEST", "ADMIN"] })}.${s}`;
    await expect(svc.client(AuthService, forged).listUsers({})).rejects.toMatchObject({ code: Code.Unauthenticated });
  });

  it("refuses an unsigned token (alg: none)", async () => {
    const { tokens } = await signUp(svc);
    const claims = JSON.parse(Buffer.from(tokens.accessToken.split(".")[1]!, "base64url").toString()) as object;
    const none = `${b64({ alg: "none", typ: "at+jwt" })}.${b64(claims)}.`;
    await expect(svc.client(AuthService, none).getMe({})).rejects.toMatchObject({ code: Code.Unauthenticated });
  });

  it("refuses a token signed by a key it does not publish (unknown kid)", async () => {
    const { user } = await signUp(svc);
    const { privateKey } = await generateKeyPair("ES256");
    const stranger = await new SignJWT({ roles: ["ADMIN"] })
      .setProtectedHeader({ alg: "ES256", kid: "not-one-of-ours", typ: "at+jwt" })
      .setSubject(user.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(privateKey);
    await expect(svc.client(AuthService, stranger).getMe({})).rejects.toMatchObject({ code: Code.Unauthenticated });
  });

  it("publishes a rotated-in key a minute before it signs, and keeps tokens of the old key valid", async () => {
    const adminToken = (await signUp(svc, { email: ADMIN_EMAIL })).tokens.accessToken;
    const before = await signUp(svc);
    const oldKid = decodeProtectedHeader(before.tokens.accessToken).kid;
    const { kid } = await svc.client(AuthService, adminToken).rotateSigningKey({});
    expect(kid).not.toBe(oldKid);
    // Verifiers that fetched the JWKS just before the rotation may refetch it only after a
    // cooldown: until then the old key keeps signing, and the new one is already published.
    expect((await svc.client(AuthService).getJwks({})).keys.map((k) => k.kid)).toEqual(expect.arrayContaining([kid, oldKid]));
    expect(decodeProtectedHeader((await signUp(svc)).tokens.accessToken).kid).toBe(oldKid);
    svc.clock.advance(PUBLISH_AHEAD_SECONDS * 1000);
    const after = await signUp(svc);
    expect(decodeProtectedHeader(after.tokens.accessToken).kid).toBe(kid);
    await expect(svc.client(AuthService, before.tokens.accessToken).getMe({})).resolves.toBeDefined();
    const jwks = await svc.client(AuthService).getJwks({});
    expect(jwks.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([kid, oldKid]));
  });

  it("lets only an ADMIN rotate keys", async () => {
    const { tokens } = await signUp(svc);
    await expect(svc.client(AuthService, tokens.accessToken).rotateSigningKey({})).rejects.toMatchObject({ code: Code.PermissionDenied });
  });
});
