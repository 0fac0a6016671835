// Service identities: auth's client-credentials token endpoint, and the client address that only
// the gateway's identity makes auth believe (its per-IP login throttle depends on it).
import { Code, ConnectError } from "@connectrpc/connect";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { CLIENT_IP_HEADER, createServiceClient, createServiceTokenVerifier, remoteKeys } from "@triphub/platform";
import { type RunningService, testServiceIdentities } from "@triphub/testkit";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOGIN_THROTTLE } from "../src/domain/login-throttle.js";
import { AUDIENCE, ISSUER, startAuth } from "./harness.js";

const identities = testServiceIdentities(["gateway", "reservation"]);
let auth: RunningService;
beforeAll(async () => {
  auth = await startAuth(undefined, { SERVICE_CLIENTS: identities.serviceClients });
});
afterAll(() => auth?.close());

const tokenRequest = (form: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${auth.url}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form).toString(),
  });
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

describe("POST /oauth2/token (client credentials)", () => {
  it("issues a short-lived token bound to the called service and naming the caller", async () => {
    const res = await tokenRequest({ grant_type: "client_credentials", audience: "accommodation" }, {
      authorization: basic("reservation", identities.secretOf("reservation")),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 300 });
    const claims = decodeJwt(body.access_token);
    expect(claims).toMatchObject({ iss: ISSUER, aud: "accommodation", sub: "reservation", client_id: "reservation" });
    expect(claims.roles).toBeUndefined();
    const verify = createServiceTokenVerifier({ keys: remoteKeys(`${auth.url}/.well-known/jwks.json`), issuer: ISSUER, audience: "accommodation" });
    expect(await verify(body.access_token)).toBe("reservation");
  });

  it("accepts the credentials in the form too (client_secret_post)", async () => {
    const res = await tokenRequest({
      grant_type: "client_credentials",
      audience: "payment",
      client_id: "reservation",
      client_secret: identities.secretOf("reservation"),
    });
    expect(res.status).toBe(200);
  });

  it.each([
    ["a wrong secret", basic("reservation", identities.secretOf("gateway")), 401, "invalid_client"],
    ["an unknown client", basic("payment", identities.secretOf("reservation")), 401, "invalid_client"],
    ["no credentials", "", 401, "invalid_client"],
  ])("refuses %s", async (_what, authorization, status, error) => {
    const res = await tokenRequest({ grant_type: "client_credentials", audience: "accommodation" }, authorization ? { authorization } : {});
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ error });
  });

  it.each([
    ["another grant type", { grant_type: "password", audience: "accommodation" }, "unsupported_grant_type"],
    ["the public API's audience", { grant_type: "client_credentials", audience: AUDIENCE }, "invalid_target"],
    ["no audience", { grant_type: "client_credentials" }, "invalid_target"],
  ])("refuses %s", async (_what, form, error) => {
    const res = await tokenRequest(form, { authorization: basic("reservation", identities.secretOf("reservation")) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error });
  });
});

describe("the client address auth throttles logins by", () => {
  // Fails LOGIN_THROTTLE.maxPerIp logins, each for a different account so only the IP counter fills.
  async function sprayFrom(api: ReturnType<typeof client>, tag: string) {
    for (let i = 0; i < LOGIN_THROTTLE.maxPerIp; i++) {
      await api.login({ email: `nobody-${tag}-${i}@example.com`, password: "wrong password here" }).catch(() => {});
    }
  }
  const client = (as: "gateway" | "reservation" | undefined, ip: string) =>
    createServiceClient(AuthService, auth.url, {
      identity: as ? { tokens: identities.tokens(as, auth.url), audience: "auth" } : undefined,
      interceptors: [(next) => (req) => {
        req.header.set(CLIENT_IP_HEADER, ip);
        return next(req);
      }],
    });
  const loginError = (api: ReturnType<typeof client>, tag: string) =>
    api.login({ email: `someone-${tag}@example.com`, password: "wrong password again" }).then(
      () => undefined,
      (e: unknown) => ConnectError.from(e).code,
    );

  it("is the one the gateway passes on, so one client's failures do not lock out another", async () => {
    await sprayFrom(client("gateway", "203.0.113.7"), "a");
    expect(await loginError(client("gateway", "203.0.113.7"), "a2")).toBe(Code.ResourceExhausted);
    expect(await loginError(client("gateway", "198.51.100.9"), "b")).toBe(Code.Unauthenticated);
  });

  it("ignores the header from any other caller", async () => {
    // Every attempt claims a new address; auth counts them all against the caller's own.
    for (let i = 0; i < LOGIN_THROTTLE.maxPerIp; i++) {
      await client("reservation", `192.0.2.${i + 1}`).login({ email: `c-${i}@example.com`, password: "wrong password here" }).catch(() => {});
    }
    expect(await loginError(client(undefined, "192.0.2.200"), "c")).toBe(Code.ResourceExhausted);
  });
});
