import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema } from "@triphub/contracts/google/rpc/error_details_pb";
import { AuthService, Role } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import type { RunningService } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp, startAuth } from "./harness.js";

let svc: RunningService;
beforeAll(async () => {
  svc = await startAuth();
});
afterAll(() => svc.close());

const fieldsOf = (e: unknown) =>
  (e as ConnectError).findDetails(BadRequestSchema).flatMap((b) => b.fieldViolations.map((v) => v.field)).sort();

describe("sign-up", () => {
  it("creates a GUEST account and signs it in", async () => {
    const { user, tokens, email } = await signUp(svc);
    expect(user.email).toBe(email);
    expect(user.roles).toEqual([Role.GUEST]);
    expect(tokens.tokenType).toBe("Bearer");
    expect(tokens.accessToken.split(".")).toHaveLength(3);
    expect(tokens.refreshToken.length).toBeGreaterThan(40);
    const me = await svc.client(AuthService, tokens.accessToken).getMe({});
    expect(me.user?.userId).toBe(user.userId);
  });

  it("refuses a second account for the same email, whatever its case, with ALREADY_EXISTS", async () => {
    const { email } = await signUp(svc);
    const again = svc.client(AuthService).signUp({ email: email.toUpperCase(), password: "another good one", displayName: "Twin" });
    await expect(again).rejects.toMatchObject({ code: Code.AlreadyExists });
  });

  it.each([
    ["a malformed email", { email: "not-an-email", password: "long enough pw", displayName: "A" }, ["email"]],
    ["a short password", { email: "short@example.com", password: "short", displayName: "A" }, ["password"]],
    ["an empty display name", { email: "empty@example.com", password: "long enough pw", displayName: "" }, ["display_name"]],
  ])("answers %s with INVALID_ARGUMENT naming the field, and creates nothing", async (_name, req, fields) => {
    const err = await svc.client(AuthService).signUp(req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).code).toBe(Code.InvalidArgument);
    expect(fieldsOf(err)).toEqual(fields);
    const login = svc.client(AuthService).login({ email: req.email.includes("@") ? req.email : "x@example.com", password: req.password || "x" });
    await expect(login).rejects.toMatchObject({ code: Code.Unauthenticated });
  });

  it("makes the bootstrap admin email an ADMIN", async () => {
    const { user } = await signUp(svc, { email: "Admin@TripHub.test" });
    expect(user.roles).toEqual([Role.GUEST, Role.ADMIN]);
  });
});

describe("login", () => {
  it("signs in with the right password", async () => {
    const { email, password, user } = await signUp(svc);
    const res = await svc.client(AuthService).login({ email, password });
    expect(res.user?.userId).toBe(user.userId);
    expect(res.tokens?.accessToken).toBeTruthy();
  });

  it("gives the same UNAUTHENTICATED answer for a wrong password and an unknown email", async () => {
    const { email } = await signUp(svc);
    const wrongPassword = (await svc.client(AuthService).login({ email, password: "wrong password" }).catch((e: unknown) => e)) as ConnectError;
    const unknownEmail = (await svc.client(AuthService).login({ email: `nobody-${Date.now()}@example.com`, password: "wrong password" }).catch((e: unknown) => e)) as ConnectError;
    expect(wrongPassword.code).toBe(Code.Unauthenticated);
    expect(unknownEmail.code).toBe(Code.Unauthenticated);
    expect(wrongPassword.rawMessage).toBe(unknownEmail.rawMessage);
    expect(wrongPassword.rawMessage).toBe("invalid email or password");
  });

  it("locks an account after 5 failed logins, even for the right password", async () => {
    const { email, password } = await signUp(svc);
    for (let i = 0; i < 5; i++) {
      await expect(svc.client(AuthService).login({ email, password: `wrong ${i} attempt` })).rejects.toMatchObject({ code: Code.Unauthenticated });
    }
    await expect(svc.client(AuthService).login({ email, password })).rejects.toMatchObject({ code: Code.ResourceExhausted });
  });
});
