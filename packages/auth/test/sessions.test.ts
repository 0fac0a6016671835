import { Code } from "@connectrpc/connect";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import type { RunningService } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp, startAuth } from "./harness.js";

let svc: RunningService;
beforeAll(async () => {
  svc = await startAuth();
});
afterAll(() => svc.close());

const auth = () => svc.client(AuthService);

describe("refresh tokens", () => {
  it("rotates on every use: a new pair each time, in the same session", async () => {
    const { tokens } = await signUp(svc);
    const first = (await auth().refreshToken({ refreshToken: tokens.refreshToken })).tokens!;
    expect(first.refreshToken).not.toBe(tokens.refreshToken);
    const second = (await auth().refreshToken({ refreshToken: first.refreshToken })).tokens!;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    await expect(svc.client(AuthService, second.accessToken).getMe({})).resolves.toBeDefined();
  });

  it("treats a spent token presented again as theft and revokes the whole session", async () => {
    const { tokens } = await signUp(svc);
    const next = (await auth().refreshToken({ refreshToken: tokens.refreshToken })).tokens!;
    await expect(auth().refreshToken({ refreshToken: tokens.refreshToken })).rejects.toMatchObject({ code: Code.Unauthenticated });
    // The legitimate holder's newer token died with the family.
    await expect(auth().refreshToken({ refreshToken: next.refreshToken })).rejects.toMatchObject({ code: Code.Unauthenticated });
  });

  it("lets exactly one of two concurrent refreshes of one token win", async () => {
    const { tokens } = await signUp(svc);
    const results = await Promise.allSettled([
      auth().refreshToken({ refreshToken: tokens.refreshToken }),
      auth().refreshToken({ refreshToken: tokens.refreshToken }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("refuses an unknown refresh token", async () => {
    await expect(auth().refreshToken({ refreshToken: "x".repeat(43) })).rejects.toMatchObject({ code: Code.Unauthenticated });
  });
});

describe("logout", () => {
  it("ends the session: its refresh token no longer works, other sessions do", async () => {
    const { email, password, tokens } = await signUp(svc);
    const other = (await auth().login({ email, password })).tokens!;
    await auth().logout({ refreshToken: tokens.refreshToken });
    await expect(auth().refreshToken({ refreshToken: tokens.refreshToken })).rejects.toMatchObject({ code: Code.Unauthenticated });
    await expect(auth().refreshToken({ refreshToken: other.refreshToken })).resolves.toBeDefined();
  });

  it("is quiet about a token it does not know", async () => {
    await expect(auth().logout({ refreshToken: "y".repeat(43) })).resolves.toBeDefined();
  });
});

describe("password change", () => {
  it("needs the current password, then signs out every other session", async () => {
    const { email, password, tokens } = await signUp(svc);
    const me = svc.client(AuthService, tokens.accessToken);
    await expect(me.changePassword({ currentPassword: "not it at all", newPassword: "a brand new secret" })).rejects.toMatchObject({
      code: Code.InvalidArgument,
    });
    const fresh = (await me.changePassword({ currentPassword: password, newPassword: "a brand new secret" })).tokens!;
    await expect(auth().refreshToken({ refreshToken: tokens.refreshToken })).rejects.toMatchObject({ code: Code.Unauthenticated });
    await expect(auth().refreshToken({ refreshToken: fresh.refreshToken })).resolves.toBeDefined();
    await expect(auth().login({ email, password })).rejects.toMatchObject({ code: Code.Unauthenticated });
    await expect(auth().login({ email, password: "a brand new secret" })).resolves.toBeDefined();
  });
});
