// The stack's own promises, on the real auth service: users get the roles asked for, tokens
// follow the platform's clock, and service callers carry their own identity, not a user's.
import { Code, ConnectError } from "@connectrpc/connect";
import { AuthService, Role } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { rejectionOf, testClock } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientAs, startAuth, type TestAuth } from "../src/index.js";

const clock = testClock();
let auth: TestAuth;
beforeAll(async () => {
  auth = await startAuth({ name: "test_stack", clock });
});
afterAll(() => auth?.close());

const me = (caller: { token: string }) => clientAs(auth.running, AuthService, caller).getMe({});
const codeOf = async (call: Promise<unknown>) => (await rejectionOf(call, ConnectError)).code;

describe("startAuth", () => {
  it("signs up users with the roles asked for, GUEST when none", async () => {
    expect((await me(await auth.signUp())).user?.roles).toEqual([Role.GUEST]);
    expect((await me(await auth.signUp([Role.HOST]))).user?.roles).toContain(Role.HOST);
    expect((await me(auth.admin)).user?.roles).toContain(Role.ADMIN);
  });

  it("stamps tokens with the platform's clock; signInAgain gives one valid at its new time", async () => {
    const user = await auth.signUp();
    clock.advance(60 * 60_000);
    expect(await codeOf(me(user))).toBe(Code.Unauthenticated);
    expect((await me(await auth.signInAgain(user))).user?.userId).toBe(user.userId);
  });

  it("calls as a service with that service's token, for the service that owns the contract", async () => {
    // VerifyApiKey answers only the gateway: an unknown key gets past the caller check to the handler.
    const verify = (caller: Parameters<typeof clientAs>[2]) =>
      clientAs(auth.running, AuthService, caller).verifyApiKey({ secret: "x".repeat(32) });
    expect(await codeOf(verify(auth.asService("gateway")))).not.toBe(Code.PermissionDenied);
    expect(await codeOf(verify(auth.asService("payment")))).toBe(Code.PermissionDenied);
    expect(await codeOf(verify(auth.admin))).toBe(Code.PermissionDenied);
  });

  it("gives each service its identity's environment", () => {
    expect(auth.identityConfig("reservation")).toEqual({
      AUTH_TOKEN_URL: auth.tokenUrl,
      SERVICE_CLIENT_SECRET: auth.identities.secretOf("reservation"),
    });
    expect(() => auth.identityConfig("loyalty")).toThrow(/no test identity/);
  });
});
