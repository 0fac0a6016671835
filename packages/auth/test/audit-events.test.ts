// Which security events auth records, with whom as actor and subject and what outcome, read
// back through ListAuditEvents over real gRPC; that the events commit with the changes they
// record; and that no row holds a secret or an email.
import { randomUUID } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorInfoSchema } from "@triphub/contracts/google/rpc/error_details_pb";
import { AuditEventType, AuditOutcome, Role } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuditStack, codeOf, freshEmail, PASSWORD, startAuditStack } from "./audit-harness.js";
import { CLIENT_SECRET, followAuthorizationUrl, REDIRECT_URI } from "./oauth-harness.js";

const SEARCH = "triphub.accommodation.v1.AccommodationService.SearchAccommodations";

let s: AuditStack;
/** Every email, password, token and secret the tests handled: the last test looks for them in the rows. */
const secrets = new Set<string>([PASSWORD, CLIENT_SECRET]);
const emails = new Set<string>();

beforeAll(async () => {
  s = await startAuditStack("auth_audit_events");
});
afterAll(async () => {
  await s?.close();
});

async function newAccount() {
  const email = freshEmail();
  const res = await s.as().signUp({ email, password: PASSWORD, displayName: "Traveller" });
  emails.add(email);
  secrets.add(res.tokens?.accessToken ?? "").add(res.tokens?.refreshToken ?? "");
  return { email, userId: res.user?.userId ?? "", token: res.tokens?.accessToken ?? "", refresh: res.tokens?.refreshToken ?? "" };
}

const ofType = (type: AuditEventType, subjectUserId: string) => s.events({ type, subjectUserId });

describe("password accounts", () => {
  it("records the sign-up and a login with the account as actor and subject", async () => {
    const a = await newAccount();
    const [signUp] = await ofType(AuditEventType.SIGN_UP, a.userId);
    expect(signUp).toMatchObject({ outcome: AuditOutcome.SUCCESS, actorUserId: a.userId, subjectUserId: a.userId, clientIp: "127.0.0.1" });
    expect(signUp?.userAgent).not.toBe("");

    const login = await s.as().login({ email: a.email, password: PASSWORD });
    secrets.add(login.tokens?.accessToken ?? "").add(login.tokens?.refreshToken ?? "");
    const [event, ...more] = await ofType(AuditEventType.LOGIN, a.userId);
    expect(more).toHaveLength(0);
    expect(event).toMatchObject({ outcome: AuditOutcome.SUCCESS, actorUserId: a.userId, subjectUserId: a.userId });
  });

  it("records failed logins as one type with a reason code, and throttled ones apart", async () => {
    const a = await newAccount();
    const wrongPassword = "not the password at all";
    secrets.add(wrongPassword);
    expect(await codeOf(s.as().login({ email: a.email, password: wrongPassword }))).toBe(Code.Unauthenticated);
    const [wrong] = await ofType(AuditEventType.LOGIN, a.userId);
    expect(wrong).toMatchObject({ outcome: AuditOutcome.FAILURE, actorUserId: "", details: { reason: "WRONG_PASSWORD" } });

    const unknownEmail = freshEmail();
    emails.add(unknownEmail);
    const since = new Date();
    expect(await codeOf(s.as().login({ email: unknownEmail, password: PASSWORD }))).toBe(Code.Unauthenticated);
    const failures = (await s.events({ type: AuditEventType.LOGIN })).filter((e) => e.outcome === AuditOutcome.FAILURE && e.subjectUserId === "");
    expect(failures.map((e) => e.details.reason)).toContain("UNKNOWN_ACCOUNT");
    expect(failures.every((e) => e.occurTime && Number(e.occurTime.seconds) >= Math.floor(since.getTime() / 1000) - 1)).toBe(true);

    // Fail until the throttle locks the account, then once more.
    let code = Code.Unauthenticated;
    for (let i = 0; i < 20 && code === Code.Unauthenticated; i++) code = await codeOf(s.as().login({ email: a.email, password: wrongPassword }));
    expect(code).toBe(Code.ResourceExhausted);
    const throttled = await s.events({ type: AuditEventType.LOGIN_THROTTLED });
    expect(throttled.length).toBeGreaterThanOrEqual(1);
    expect(throttled[0]).toMatchObject({ outcome: AuditOutcome.FAILURE, details: { reason: "THROTTLED" } });
  });

  it("records logout, refresh token reuse and password changes", async () => {
    const a = await newAccount();
    await s.as().logout({ refreshToken: a.refresh });
    const [logout] = await ofType(AuditEventType.LOGOUT, a.userId);
    expect(logout).toMatchObject({ outcome: AuditOutcome.SUCCESS, actorUserId: a.userId });
    expect(logout?.details.session_id).toMatch(/^[0-9a-f-]{36}$/);
    // A second logout ends nothing and records nothing.
    await s.as().logout({ refreshToken: a.refresh });
    expect(await ofType(AuditEventType.LOGOUT, a.userId)).toHaveLength(1);

    const b = await newAccount();
    const next = await s.as().refreshToken({ refreshToken: b.refresh });
    secrets.add(next.tokens?.refreshToken ?? "").add(next.tokens?.accessToken ?? "");
    // Past the retry grace, the spent token again is reuse: the session is revoked and recorded.
    s.clock.advance(60_000);
    expect(await codeOf(s.as().refreshToken({ refreshToken: b.refresh }))).toBe(Code.Unauthenticated);
    const [reuse] = await ofType(AuditEventType.REFRESH_TOKEN_REUSE, b.userId);
    expect(reuse).toMatchObject({ outcome: AuditOutcome.FAILURE, subjectUserId: b.userId });

    const c = await newAccount();
    expect(await codeOf(s.as(c.token).changePassword({ currentPassword: "a wrong guess", newPassword: "a brand new password" }))).toBe(
      Code.InvalidArgument,
    );
    const changed = await s.as(c.token).changePassword({ currentPassword: PASSWORD, newPassword: "a brand new password" });
    secrets.add("a brand new password").add(changed.tokens?.refreshToken ?? "");
    const outcomes = (await ofType(AuditEventType.PASSWORD_CHANGE, c.userId)).map((e) => [e.outcome, e.actorUserId, e.details.reason ?? ""]);
    expect(outcomes).toEqual([
      [AuditOutcome.SUCCESS, c.userId, ""],
      [AuditOutcome.FAILURE, c.userId, "WRONG_PASSWORD"],
    ]);
  });
});

describe("ADMIN actions", () => {
  it("records a role change with the admin as actor and the roles before and after", async () => {
    const a = await newAccount();
    await s.as(s.adminToken).setUserRoles({ userId: a.userId, roles: [Role.GUEST, Role.HOST] });
    const [event] = await ofType(AuditEventType.ROLES_CHANGE, a.userId);
    expect(event).toMatchObject({
      outcome: AuditOutcome.SUCCESS,
      actorUserId: s.adminId,
      subjectUserId: a.userId,
      details: { roles_before: "GUEST", roles_after: "GUEST HOST" },
    });
  });

  it("writes the role change and its event in one transaction: no event, no change", async () => {
    const a = await newAccount();
    // A constraint that refuses only this event makes the audit insert fail inside the change.
    await s.sql`alter table audit_events add constraint test_refuse_roles check (type <> 'ROLES_CHANGE') not valid`;
    try {
      expect(await codeOf(s.as(s.adminToken).setUserRoles({ userId: a.userId, roles: [Role.ADMIN] }))).toBe(Code.Internal);
    } finally {
      await s.sql`alter table audit_events drop constraint test_refuse_roles`;
    }
    const [row] = await s.sql<{ roles: string[] }[]>`select roles from users where id = ${a.userId}`;
    expect(row?.roles).toEqual(["GUEST"]);
  });

  it("records a signing key rotation with the admin and the new kid", async () => {
    const { kid } = await s.as(s.adminToken).rotateSigningKey({});
    const [event] = await s.events({ type: AuditEventType.SIGNING_KEY_ROTATE, actorUserId: s.adminId });
    expect(event).toMatchObject({ outcome: AuditOutcome.SUCCESS, details: { kid } });
  });
});

describe("API keys", () => {
  it("records creation, rotation and revocation with who acted for whom", async () => {
    const owner = await newAccount();
    const created = await s.as(s.adminToken).createApiKey({ userId: owner.userId, name: "partner", scopes: [SEARCH] });
    secrets.add(created.secret);
    const [create] = await ofType(AuditEventType.API_KEY_CREATE, owner.userId);
    expect(create).toMatchObject({
      outcome: AuditOutcome.SUCCESS,
      actorUserId: s.adminId,
      subjectUserId: owner.userId,
      apiKeyPrefix: created.apiKey?.prefix,
      details: { api_key_id: created.apiKey?.apiKeyId },
    });

    const rotated = await s.as(owner.token).rotateApiKey({ apiKeyId: created.apiKey?.apiKeyId ?? "", overlapSeconds: 0 });
    secrets.add(rotated.secret);
    const [rotate] = await ofType(AuditEventType.API_KEY_ROTATE, owner.userId);
    expect(rotate).toMatchObject({
      actorUserId: owner.userId,
      apiKeyPrefix: rotated.apiKey?.prefix,
      details: { previous_api_key_prefix: created.apiKey?.prefix, previous_api_key_id: created.apiKey?.apiKeyId },
    });

    await s.as(s.adminToken).revokeApiKey({ apiKeyId: rotated.apiKey?.apiKeyId ?? "" });
    const [revoke] = await ofType(AuditEventType.API_KEY_REVOKE, owner.userId);
    expect(revoke).toMatchObject({ actorUserId: s.adminId, subjectUserId: owner.userId, apiKeyPrefix: rotated.apiKey?.prefix });
  });

  it("records a key's first use, then at most one use a minute, named after the gateway", async () => {
    const owner = await newAccount();
    const { secret, apiKey } = await s.as(owner.token).createApiKey({ name: "busy partner", scopes: [SEARCH] });
    secrets.add(secret);
    for (let i = 0; i < 5; i++) secrets.add((await s.gateway().verifyApiKey({ secret })).accessToken);
    const uses = () => ofType(AuditEventType.API_KEY_USE, owner.userId);
    const [first, ...rest] = await uses();
    expect(rest).toHaveLength(0);
    expect(first).toMatchObject({ outcome: AuditOutcome.SUCCESS, actorService: "gateway", actorUserId: "", apiKeyPrefix: apiKey?.prefix });

    s.clock.advance(61_000);
    for (let i = 0; i < 3; i++) await s.gateway().verifyApiKey({ secret });
    expect(await uses()).toHaveLength(2);
  });

  it("writes the key and its creation event in one transaction: no event, no key", async () => {
    const owner = await newAccount();
    await s.sql`alter table audit_events add constraint test_refuse_keys check (type <> 'API_KEY_CREATE') not valid`;
    try {
      expect(await codeOf(s.as(owner.token).createApiKey({ name: "doomed", scopes: [SEARCH] }))).toBe(Code.Internal);
    } finally {
      await s.sql`alter table audit_events drop constraint test_refuse_keys`;
    }
    const [row] = await s.sql<{ n: number }[]>`select count(*)::int as n from api_keys where user_id = ${owner.userId}`;
    expect(row?.n).toBe(0);
  });
});

describe("social login", () => {
  async function socialLogin(identity: Record<string, unknown>) {
    s.provider.setIdentity(identity);
    const started = await s.as().startOAuthLogin({ provider: "mock", redirectUri: REDIRECT_URI });
    const back = await followAuthorizationUrl(started.authorizationUrl);
    secrets.add(back.code).add(back.state);
    const res = await s.as().completeOAuthLogin({ provider: "mock", code: back.code, state: back.state });
    secrets.add(res.tokens?.accessToken ?? "").add(res.tokens?.refreshToken ?? "");
    return res;
  }

  it("records sign-ins (creating or not), a refused state, and a link with its password check", async () => {
    const sub = `sub-${randomUUID()}`;
    const email = freshEmail();
    emails.add(email);
    const first = await socialLogin({ sub, email, email_verified: true, name: "Jiwoo" });
    await socialLogin({ sub, email, email_verified: true, name: "Jiwoo" });
    const userId = first.user?.userId ?? "";
    const logins = await ofType(AuditEventType.OAUTH_LOGIN, userId);
    expect(logins.map((e) => [e.outcome, e.actorUserId, e.details.provider, e.details.created])).toEqual([
      [AuditOutcome.SUCCESS, userId, "mock", "false"],
      [AuditOutcome.SUCCESS, userId, "mock", "true"],
    ]);

    expect(await codeOf(s.as().completeOAuthLogin({ provider: "mock", code: "some-code", state: "s".repeat(43) }))).toBe(Code.Unauthenticated);
    const refused = (await s.events({ type: AuditEventType.OAUTH_LOGIN })).filter((e) => e.outcome === AuditOutcome.FAILURE);
    expect(refused[0]?.details).toEqual({ provider: "mock", reason: "STATE_INVALID" });

    // A provider identity whose email is a password account's: link after the password.
    const owner = await newAccount();
    const err = await socialLogin({ sub: `sub-${randomUUID()}`, email: owner.email, email_verified: true }).then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    const linkToken = err?.findDetails(ErrorInfoSchema)[0]?.metadata.link_token ?? "";
    expect(linkToken).not.toBe("");
    secrets.add(linkToken);
    expect(await codeOf(s.as().linkOAuthAccount({ linkToken, password: "wrong password here" }))).toBe(Code.Unauthenticated);
    const linked = await s.as().linkOAuthAccount({ linkToken, password: PASSWORD });
    secrets.add(linked.tokens?.refreshToken ?? "");
    const [link] = await ofType(AuditEventType.OAUTH_LINK, owner.userId);
    expect(link).toMatchObject({ outcome: AuditOutcome.SUCCESS, actorUserId: owner.userId, details: { provider: "mock" } });
    const [failedProof] = await ofType(AuditEventType.LOGIN, owner.userId);
    expect(failedProof).toMatchObject({ outcome: AuditOutcome.FAILURE, details: { reason: "WRONG_PASSWORD", via: "OAUTH_LINK" } });
  });
});

describe("what the rows hold", () => {
  it("has no secret, token, password or email in any row", async () => {
    const rows = await s.sql<{ row: string }[]>`select row_to_json(a)::text as row from audit_events a`;
    expect(rows.length).toBeGreaterThan(20);
    const text = rows.map((r) => r.row).join("\n");
    const leaks = [...secrets, ...emails].filter((v) => v.length >= 8 && text.includes(v));
    expect(leaks).toEqual([]);
    // No email of anyone, not just the ones the tests knew.
    expect(text).not.toContain("@");
  });
});
