import { randomUUID } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorInfoSchema } from "@triphub/contracts/google/rpc/error_details_pb";
import { freePort } from "@triphub/testkit";
import type { TokenRequestIncomingMessage } from "oauth2-mock-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_ID, CLIENT_SECRET, followAuthorizationUrl, REDIRECT_URI, startOAuthAuth, startProvider, type TestProvider } from "./oauth-harness.js";

let provider: TestProvider;
beforeAll(async () => {
  provider = await startProvider();
});
afterAll(() => provider?.stop());

const rejection = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => ConnectError.from(e));

function config(entries: Record<string, Record<string, unknown>>): string {
  const base = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, scopes: ["openid", "email"], allowedRedirectUris: [REDIRECT_URI] };
  return JSON.stringify(Object.fromEntries(Object.entries(entries).map(([name, e]) => [name, { ...base, ...e }])));
}

async function withAuth(entries: Record<string, Record<string, unknown>>, run: (stack: Awaited<ReturnType<typeof startOAuthAuth>>) => Promise<void>) {
  const stack = await startOAuthAuth(config(entries));
  try {
    await run(stack);
  } finally {
    await stack.close();
  }
}

describe("the provider's side", () => {
  it("answers UNAVAILABLE when the provider does not answer, and when its discovery names another issuer", async () => {
    const down = `http://localhost:${await freePort()}`;
    // The mock's discovery says http://localhost:PORT; the same server under 127.0.0.1 is an impostor.
    const impostor = provider.issuer.replace("localhost", "127.0.0.1");
    await withAuth({ down: { issuer: down }, impostor: { issuer: impostor } }, async (stack) => {
      for (const name of ["down", "impostor"]) {
        const err = await rejection(stack.client.startOAuthLogin({ provider: name, redirectUri: REDIRECT_URI }));
        expect(err?.code).toBe(Code.Unavailable);
      }
    });
  });

  it.each([
    ["client_secret_basic", undefined],
    ["client_secret_post", "client_secret_post"],
  ])("authenticates to the token endpoint with %s", async (method, configured) => {
    await withAuth({ mock: { issuer: provider.issuer, ...(configured ? { tokenEndpointAuthMethod: configured } : {}) } }, async (stack) => {
      const seen: { authorization?: string; body: Record<string, unknown> }[] = [];
      const listener = (_t: unknown, req: TokenRequestIncomingMessage) => {
        seen.push({ authorization: req.headers.authorization, body: { ...req.body } as Record<string, unknown> });
      };
      provider.server.service.on("beforeTokenSigning", listener);
      try {
        provider.setIdentity({ sub: `sub-${randomUUID()}`, email: `m-${randomUUID()}@example.com`, email_verified: true });
        const started = await stack.client.startOAuthLogin({ provider: "mock", redirectUri: REDIRECT_URI });
        const { code, state } = await followAuthorizationUrl(started.authorizationUrl);
        const res = await stack.client.completeOAuthLogin({ provider: "mock", code, state });
        expect(res.created).toBe(true);
      } finally {
        provider.server.service.off("beforeTokenSigning", listener);
      }
      const request = seen[0];
      expect(request?.body).toMatchObject({ grant_type: "authorization_code", redirect_uri: REDIRECT_URI });
      expect(String(request?.body.code_verifier)).toMatch(/^[\w-]{43}$/);
      if (method === "client_secret_basic") {
        expect(request?.authorization).toBe(`Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")}`);
        expect(request?.body.client_secret).toBeUndefined();
      } else {
        expect(request?.authorization).toBeUndefined();
        expect(request?.body).toMatchObject({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
      }
    });
  });

  it.each([
    [400, Code.Unauthenticated, { error: "invalid_grant" }],
    [503, Code.Unavailable, { error: "temporarily_unavailable" }],
  ])("maps a token endpoint answering HTTP %i to %s, creating nothing", async (status, code, body) => {
    await withAuth({ mock: { issuer: provider.issuer } }, async (stack) => {
      provider.setIdentity({ sub: `sub-${randomUUID()}`, email: `m-${randomUUID()}@example.com`, email_verified: true });
      provider.server.service.once("beforeResponse", (res: { body: unknown; statusCode: number }) => {
        res.statusCode = status;
        res.body = body;
      });
      const started = await stack.client.startOAuthLogin({ provider: "mock", redirectUri: REDIRECT_URI });
      const { code: authCode, state } = await followAuthorizationUrl(started.authorizationUrl);
      const err = await rejection(stack.client.completeOAuthLogin({ provider: "mock", code: authCode, state }));
      expect(err?.code).toBe(code);
      if (status === 400) expect(err?.findDetails(ErrorInfoSchema)[0]?.reason).toBe("OAUTH_CODE_REJECTED");
      expect(await stack.counts()).toEqual({ users: 0, identities: 0 });
    });
  });
});
