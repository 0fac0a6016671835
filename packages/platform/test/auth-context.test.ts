import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createTokenVerifier, localKeys, requireRole } from "../src/index.js";
import { startTestHost } from "./fixtures.js";

const issuer = "https://auth.triphub.test";
const audience = "triphub";
let privateKey: CryptoKey;
let otherKey: CryptoKey;
let publicJwk: JWK;

beforeAll(async () => {
  const pair = await generateKeyPair("ES256");
  privateKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256" };
  otherKey = (await generateKeyPair("ES256")).privateKey;
});

const verifier = () => createTokenVerifier({ jwks: localKeys({ keys: [publicJwk] }), issuer, audience });

function token(opts: { key?: CryptoKey; kid?: string; exp?: number; iat?: number; iss?: string; roles?: string[]; extra?: object } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ roles: opts.roles ?? ["GUEST"], sid: "s1", ...opts.extra })
    .setProtectedHeader({ alg: "ES256", kid: opts.kid ?? "k1", typ: "at+jwt" })
    .setSubject("user-1")
    .setIssuer(opts.iss ?? issuer)
    .setAudience(audience)
    .setIssuedAt(opts.iat ?? now - 10)
    .setExpirationTime(opts.exp ?? now + 300)
    .sign(opts.key ?? privateKey);
}

function b64(o: object) {
  return Buffer.from(JSON.stringify(o)).toString("base64url");
}

describe("access token verification", () => {
  it("accepts a valid token and reads who it names", async () => {
    await expect(verifier()(await token({ roles: ["GUEST", "HOST"] }))).resolves.toEqual({
      userId: "user-1",
      roles: ["GUEST", "HOST"],
      sessionId: "s1",
    });
  });

  it.each([
    ["expired", async () => token({ exp: Math.floor(Date.now() / 1000) - 120 })],
    ["signed by another key", async () => token({ key: otherKey })],
    ["naming an unknown kid", async () => token({ kid: "nope" })],
    ["from another issuer", async () => token({ iss: "https://evil.example" })],
    [
      "tampered (roles raised after signing)",
      async () => {
        const [h, , s] = (await token()).split(".");
        return `${h}.${b64({ sub: "user-1", roles: ["ADMIN"], iss: issuer, aud: audience, exp: 9e9, iat: 1 })}.${s}`;
      },
    ],
    ["living longer than the maximum (a day)", async () => token({ exp: Math.floor(Date.now() / 1000) + 86_400 })],
    ["issued in the future", async () => token({ iat: Math.floor(Date.now() / 1000) + 600, exp: Math.floor(Date.now() / 1000) + 900 })],
    ["issued to a service (client credentials)", async () => token({ extra: { client_id: "reservation" } })],
    ["unsigned (alg: none)", async () => `${b64({ alg: "none", typ: "at+jwt", kid: "k1" })}.${b64({ sub: "user-1", iss: issuer, aud: audience, exp: 9e9, iat: 1 })}.`],
  ])("refuses a token %s", async (_name, make) => {
    await expect(verifier()(await make())).rejects.toThrow();
  });
});

describe("the verifier's clock", () => {
  it("is the one it is given: a token is expired when the clock says so, not the wall's", async () => {
    let now = new Date();
    const verify = createTokenVerifier({ jwks: localKeys({ keys: [publicJwk] }), issuer, audience, cacheSize: 0, now: () => now });
    const t = await token();
    await expect(verify(t)).resolves.toMatchObject({ userId: "user-1" });
    now = new Date(now.getTime() + 3_600_000);
    await expect(verify(t)).rejects.toThrow();
  });
});

describe("auth interceptor", () => {
  it("puts the caller on the context, refuses bad tokens and lets anonymous calls reach the handler", async () => {
    const { host, url } = await startTestHost(
      {
        getMe: (_req, ctx) => {
          const id = requireRole(ctx, "GUEST");
          return { user: { userId: id.userId, displayName: id.roles.join(",") } };
        },
      },
      { verifyToken: verifier() },
    );
    const client = createClient(AuthService, createGrpcTransport({ baseUrl: url }));
    const me = await client.getMe({}, { headers: { authorization: `Bearer ${await token()}` } });
    expect(me.user?.userId).toBe("user-1");
    await expect(client.getMe({}, { headers: { authorization: `Bearer ${await token({ key: otherKey })}` } })).rejects.toMatchObject({ code: 16 });
    await expect(client.getMe({}, { headers: { authorization: "Basic abc" } })).rejects.toMatchObject({ code: 16 });
    await expect(client.getMe({})).rejects.toMatchObject({ code: 16 });
    await host.close();
  });

  it("answers PERMISSION_DENIED when the caller lacks the role", async () => {
    const { host, url } = await startTestHost(
      {
        getMe: (_req, ctx) => {
          requireRole(ctx, "ADMIN");
          return {};
        },
      },
      { verifyToken: verifier() },
    );
    const client = createClient(AuthService, createGrpcTransport({ baseUrl: url }));
    await expect(client.getMe({}, { headers: { authorization: `Bearer ${await token()}` } })).rejects.toMatchObject({ code: 7 });
    await host.close();
  });
});
