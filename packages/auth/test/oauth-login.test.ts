import { randomUUID } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, ErrorInfoSchema } from "@triphub/contracts/google/rpc/error_details_pb";
import { AuthService, Role } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CLIENT_SECRET,
  followAuthorizationUrl,
  providersConfig,
  REDIRECT_URI,
  startOAuthAuth,
  startProvider,
  type TestProvider,
} from "./oauth-harness.js";

let provider: TestProvider;
let stack: Awaited<ReturnType<typeof startOAuthAuth>>;

beforeAll(async () => {
  provider = await startProvider();
  stack = await startOAuthAuth(providersConfig(provider.issuer, ["mock", "other"]));
});
afterAll(async () => {
  await stack?.close();
  await provider?.stop();
});

const rejection = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => ConnectError.from(e));
const reasonOf = (e: ConnectError | undefined) => e?.findDetails(ErrorInfoSchema)[0]?.reason;

/** A provider identity nobody has used yet. */
function freshIdentity(overrides: Record<string, unknown> = {}) {
  const id = randomUUID();
  return { sub: `sub-${id}`, email: `traveller-${id}@example.com`, email_verified: true, name: "Jiwoo Park", ...overrides };
}

/** Every code, state, token and ID token the tests saw: none may reach a log line. */
const secrets = new Set<string>([CLIENT_SECRET]);

/** StartOAuthLogin, then the browser's trip to the provider and back. */
async function startAndAuthorize(name = "mock") {
  const started = await stack.client.startOAuthLogin({ provider: name, redirectUri: REDIRECT_URI });
  const back = await followAuthorizationUrl(started.authorizationUrl);
  secrets.add(back.code).add(back.state).add(new URL(started.authorizationUrl).searchParams.get("nonce") ?? "");
  return { ...started, ...back };
}

/** A whole social login as `identity`: start, authorize, complete. */
async function socialLogin(identity: Record<string, unknown>, name = "mock") {
  provider.setIdentity(identity);
  const { code, state } = await startAndAuthorize(name);
  const res = await stack.client.completeOAuthLogin({ provider: name, code, state });
  secrets.add(res.tokens?.accessToken ?? "").add(res.tokens?.refreshToken ?? "");
  return res;
}

/** Runs `attempt` and checks it added no account and no linked identity. */
async function createsNothing<T>(attempt: () => Promise<T>): Promise<T> {
  const before = await stack.counts();
  const result = await attempt();
  expect(await stack.counts()).toEqual(before);
  return result;
}

describe("starting a social login", () => {
  it("returns the provider's authorization URL with state, nonce and an S256 PKCE challenge", async () => {
    const started = await stack.client.startOAuthLogin({ provider: "mock", redirectUri: REDIRECT_URI });
    const url = new URL(started.authorizationUrl);
    expect(url.origin).toBe(provider.issuer);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: "code",
      client_id: "triphub-web",
      redirect_uri: REDIRECT_URI,
      state: started.state,
      code_challenge_method: "S256",
    });
    expect(url.searchParams.get("scope")?.split(" ")).toEqual(["openid", "email", "profile"]);
    expect(url.searchParams.get("nonce")).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(started.state).toMatch(/^[\w-]{43}$/);
    const again = await stack.client.startOAuthLogin({ provider: "mock", redirectUri: REDIRECT_URI });
    expect(again.state).not.toBe(started.state);
  });

  it("answers NOT_FOUND for a provider that is not configured, on start and on complete", async () => {
    const start = await rejection(stack.client.startOAuthLogin({ provider: "facebook", redirectUri: REDIRECT_URI }));
    expect(start?.code).toBe(Code.NotFound);
    const { code, state } = await startAndAuthorize();
    const complete = await rejection(stack.client.completeOAuthLogin({ provider: "facebook", code, state }));
    expect(complete?.code).toBe(Code.NotFound);
  });

  it.each([
    ["another host", "https://evil.example/oauth/callback"],
    ["another path", "http://localhost:5173/oauth/callback/other"],
    ["an added query", `${REDIRECT_URI}?next=/admin`],
  ])("refuses a redirect_uri on %s with INVALID_ARGUMENT naming the field", async (_name, redirectUri) => {
    const err = await rejection(stack.client.startOAuthLogin({ provider: "mock", redirectUri }));
    expect(err?.code).toBe(Code.InvalidArgument);
    expect(err?.findDetails(BadRequestSchema)[0]?.fieldViolations.map((v) => v.field)).toEqual(["redirect_uri"]);
  });
});

describe("completing a social login", () => {
  it("creates a GUEST account on the first login and signs into the same one on the next", async () => {
    const identity = freshIdentity();
    const before = await stack.counts();
    const first = await socialLogin(identity);
    expect(first.created).toBe(true);
    expect(first.user).toMatchObject({ email: identity.email, displayName: "Jiwoo Park", roles: [Role.GUEST] });
    expect(await stack.counts()).toEqual({ users: before.users + 1, identities: before.identities + 1 });
    const me = await stack.svc.client(AuthService, first.tokens?.accessToken).getMe({});
    expect(me.user?.userId).toBe(first.user?.userId);

    // The subject is the identity: a changed email still signs into the same account.
    const second = await socialLogin({ ...identity, email: `changed-${identity.email}` });
    expect(second.created).toBe(false);
    expect(second.user?.userId).toBe(first.user?.userId);
    expect(second.tokens?.refreshToken).not.toBe(first.tokens?.refreshToken);
    expect(await stack.counts()).toEqual({ users: before.users + 1, identities: before.identities + 1 });
  });

  it("creates an account for an unverified email nobody has", async () => {
    const res = await socialLogin(freshIdentity({ email_verified: false }));
    expect(res.created).toBe(true);
  });

  it("treats the same subject at another provider as another identity", async () => {
    const identity = freshIdentity();
    await socialLogin(identity, "mock");
    // Same email, verified, but the account it belongs to has no password to prove.
    const err = await createsNothing(() => rejection(socialLogin(identity, "other")));
    expect(err?.code).toBe(Code.FailedPrecondition);
    expect(reasonOf(err)).toBe("ACCOUNT_EXISTS");
  });

  it("refuses a provider that shares no email with FAILED_PRECONDITION, creating nothing", async () => {
    const { email: _none, ...identity } = freshIdentity();
    const err = await createsNothing(() => rejection(socialLogin(identity)));
    expect(err?.code).toBe(Code.FailedPrecondition);
    expect(reasonOf(err)).toBe("OAUTH_EMAIL_REQUIRED");
  });
});

describe("refusals: nothing is created", () => {
  const now = () => Math.floor(Date.now() / 1000);

  it.each<[string, (p: Record<string, unknown>) => void]>([
    ["a wrong nonce", (p) => { p.nonce = "a-nonce-from-another-login"; }],
    ["a missing nonce", (p) => { delete p.nonce; }],
    ["a wrong audience", (p) => { p.aud = "someone-elses-client"; }],
    ["several audiences without our client as azp", (p) => { p.aud = ["triphub-web", "someone-else"]; p.azp = "someone-else"; }],
    ["another issuer", (p) => { p.iss = "https://accounts.example.org"; }],
    ["an expired token", (p) => { p.iat = now() - 600; p.exp = now() - 120; }],
    ["a token issued in the future", (p) => { p.iat = now() + 600; p.exp = now() + 1200; }],
    ["a token issued long ago", (p) => { p.iat = now() - 3600; p.exp = now() + 3600; }],
  ])("refuses an ID token with %s as UNAUTHENTICATED", async (_name, tamper) => {
    provider.setIdentity(freshIdentity());
    provider.tamperNextIdToken(tamper);
    const { code, state } = await startAndAuthorize();
    const err = await createsNothing(() => rejection(stack.client.completeOAuthLogin({ provider: "mock", code, state })));
    expect(err?.code).toBe(Code.Unauthenticated);
    expect(reasonOf(err)).toBe("OAUTH_ID_TOKEN_INVALID");
  });

  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const decode = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString()) as Record<string, unknown>;

  it.each<[string, (jwt: string) => string]>([
    [
      "claims changed after signing",
      (jwt) => {
        const [h = "", p = "", s = ""] = jwt.split(".");
        return [h, b64({ ...decode(p), sub: "someone-else", email: "victim@example.com" }), s].join(".");
      },
    ],
    [
      "alg none",
      (jwt) => {
        const [, p = ""] = jwt.split(".");
        return [b64({ alg: "none", typ: "JWT" }), p, ""].join(".");
      },
    ],
    ["a signature from another token", (jwt) => `${jwt.slice(0, jwt.lastIndexOf("."))}.${"A".repeat(342)}`],
    ["garbage", () => "not-a-jwt"],
  ])("refuses a tampered ID token (%s) as UNAUTHENTICATED", async (_name, change) => {
    provider.setIdentity(freshIdentity());
    provider.replaceNextIdToken(change);
    const { code, state } = await startAndAuthorize();
    const err = await createsNothing(() => rejection(stack.client.completeOAuthLogin({ provider: "mock", code, state })));
    expect(err?.code).toBe(Code.Unauthenticated);
  });

  it("lets exactly one of two completions racing with one state through", async () => {
    provider.setIdentity(freshIdentity());
    const { code, state } = await startAndAuthorize();
    const before = await stack.counts();
    const results = await Promise.allSettled([1, 2].map(() => stack.client.completeOAuthLogin({ provider: "mock", code, state })));
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refused = results.find((r) => r.status === "rejected");
    expect(ConnectError.from(refused?.reason).code).toBe(Code.Unauthenticated);
    expect(await stack.counts()).toEqual({ users: before.users + 1, identities: before.identities + 1 });
  });

  it("refuses a replayed state: the second completion is UNAUTHENTICATED", async () => {
    provider.setIdentity(freshIdentity());
    const { code, state } = await startAndAuthorize();
    await stack.client.completeOAuthLogin({ provider: "mock", code, state });
    const err = await createsNothing(() => rejection(stack.client.completeOAuthLogin({ provider: "mock", code, state })));
    expect(err?.code).toBe(Code.Unauthenticated);
    expect(reasonOf(err)).toBe("OAUTH_STATE_INVALID");
  });

  it("refuses a replayed code under a fresh state: the provider will not exchange it twice", async () => {
    provider.setIdentity(freshIdentity());
    const used = await startAndAuthorize();
    await stack.client.completeOAuthLogin({ provider: "mock", code: used.code, state: used.state });
    const fresh = await startAndAuthorize();
    provider.setIdentity(freshIdentity());
    const err = await createsNothing(() => rejection(stack.client.completeOAuthLogin({ provider: "mock", code: used.code, state: fresh.state })));
    expect(err?.code).toBe(Code.Unauthenticated);
    expect(reasonOf(err)).toBe("OAUTH_CODE_REJECTED");
  });

  it("refuses a code injected into another login: its PKCE verifier does not match", async () => {
    provider.setIdentity(freshIdentity());
    const victim = await startAndAuthorize();
    const attacker = await startAndAuthorize();
    const err = await createsNothing(() => rejection(stack.client.completeOAuthLogin({ provider: "mock", code: attacker.code, state: victim.state })));
    expect(err?.code).toBe(Code.Unauthenticated);
    // The victim's state is spent by the attempt: it cannot be completed afterwards either.
    const after = await rejection(stack.client.completeOAuthLogin({ provider: "mock", code: victim.code, state: victim.state }));
    expect(reasonOf(after)).toBe("OAUTH_STATE_INVALID");
  });

  it.each([
    ["a state nobody issued", async () => ({ ...(await startAndAuthorize()), state: "x".repeat(43) })],
    ["a state started for another provider", async () => startAndAuthorize("other")],
  ])("refuses %s as UNAUTHENTICATED", async (_name, make) => {
    provider.setIdentity(freshIdentity());
    const { code, state } = await make();
    const err = await createsNothing(() => rejection(stack.client.completeOAuthLogin({ provider: "mock", code, state })));
    expect(err?.code).toBe(Code.Unauthenticated);
    expect(reasonOf(err)).toBe("OAUTH_STATE_INVALID");
  });

  it("refuses an unverified email that belongs to an account, without a link token", async () => {
    const taken = await stack.client.signUp({ email: `owner-${randomUUID()}@example.com`, password: "owner's long password", displayName: "Owner" });
    const err = await createsNothing(() => rejection(socialLogin(freshIdentity({ email: taken.user?.email, email_verified: false }))));
    expect(err?.code).toBe(Code.FailedPrecondition);
    expect(reasonOf(err)).toBe("OAUTH_EMAIL_NOT_VERIFIED");
    expect(err?.findDetails(ErrorInfoSchema)[0]?.metadata.link_token).toBeUndefined();
  });
});

describe("linking to an existing password account", () => {
  it("asks for the password, refuses a wrong one, links with the right one, then signs in directly", async () => {
    const password = "owner's long password";
    const owner = await stack.client.signUp({ email: `Owner-${randomUUID()}@Example.com`, password, displayName: "Owner" });
    const identity = freshIdentity({ email: owner.user?.email.toLowerCase() });

    const err = await createsNothing(() => rejection(socialLogin(identity)));
    expect(err?.code).toBe(Code.FailedPrecondition);
    const info = err?.findDetails(ErrorInfoSchema)[0];
    expect(info?.reason).toBe("ACCOUNT_LINK_REQUIRED");
    const linkToken = info?.metadata.link_token ?? "";
    secrets.add(linkToken);
    expect(linkToken).toMatch(/^[\w-]{43}$/);
    expect(Date.parse(info?.metadata.link_token_expire_time ?? "")).toBeGreaterThan(Date.now());

    const wrong = await createsNothing(() => rejection(stack.client.linkOAuthAccount({ linkToken, password: "not the password" })));
    expect(wrong?.code).toBe(Code.Unauthenticated);

    const linked = await stack.client.linkOAuthAccount({ linkToken, password });
    expect(linked.user?.userId).toBe(owner.user?.userId);
    expect(linked.tokens?.accessToken).toBeTruthy();

    const replay = await rejection(stack.client.linkOAuthAccount({ linkToken, password }));
    expect(replay?.code).toBe(Code.Unauthenticated);
    expect(reasonOf(replay)).toBe("OAUTH_LINK_TOKEN_INVALID");

    const direct = await socialLogin(identity);
    expect(direct.created).toBe(false);
    expect(direct.user?.userId).toBe(owner.user?.userId);
    // The password still works too.
    await stack.client.login({ email: owner.user?.email ?? "", password });
  });

  it("refuses a link token nobody issued", async () => {
    const err = await rejection(stack.client.linkOAuthAccount({ linkToken: "y".repeat(43), password: "whatever it is" }));
    expect(err?.code).toBe(Code.Unauthenticated);
  });
});

describe("logs", () => {
  it("never carry the client secret, codes, states, nonces, ID tokens, link tokens or session tokens", async () => {
    // One more refused and one more successful login, so this test stands on its own too.
    let idToken = "";
    provider.replaceNextIdToken((t) => {
      idToken = t;
      return t;
    });
    await socialLogin(freshIdentity());
    secrets.add(idToken);
    provider.tamperNextIdToken((p) => {
      p.nonce = "wrong";
    });
    await rejection(socialLogin(freshIdentity()));
    // Give pino's asynchronous writes a moment.
    await new Promise((r) => setTimeout(r, 100));
    const written = stack.logs.join("");
    expect(written).toContain("social login refused");
    for (const secret of secrets) {
      if (secret.length >= 8) expect(written).not.toContain(secret);
    }
    expect(idToken.split(".")).toHaveLength(3);
  });
});

describe("expiry", () => {
  it("refuses a login completed after its state expired, and a link token used after it expired", async () => {
    const own = await startOAuthAuth(providersConfig(provider.issuer));
    try {
      const password = "owner's long password";
      const owner = await own.client.signUp({ email: `owner-${randomUUID()}@example.com`, password, displayName: "Owner" });
      provider.setIdentity(freshIdentity({ email: owner.user?.email }));
      const first = await followAuthorizationUrl((await own.client.startOAuthLogin({ provider: "mock", redirectUri: REDIRECT_URI })).authorizationUrl);
      const linkErr = await rejection(own.client.completeOAuthLogin({ provider: "mock", ...first }));
      const linkToken = linkErr?.findDetails(ErrorInfoSchema)[0]?.metadata.link_token ?? "";
      expect(linkToken).not.toBe("");

      provider.setIdentity(freshIdentity());
      const started = await own.client.startOAuthLogin({ provider: "mock", redirectUri: REDIRECT_URI });
      const { code, state } = await followAuthorizationUrl(started.authorizationUrl);
      own.clock.advance(11 * 60_000);

      const err = await rejection(own.client.completeOAuthLogin({ provider: "mock", code, state }));
      expect(err?.code).toBe(Code.Unauthenticated);
      expect(reasonOf(err)).toBe("OAUTH_STATE_INVALID");
      const link = await rejection(own.client.linkOAuthAccount({ linkToken, password }));
      expect(link?.code).toBe(Code.Unauthenticated);
      expect(reasonOf(link)).toBe("OAUTH_LINK_TOKEN_INVALID");
      expect(await own.counts()).toEqual({ users: 1, identities: 0 });
    } finally {
      await own.close();
    }
  });
});
