import { Code } from "@connectrpc/connect";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REFRESH_RETRY_GRACE_MS } from "../src/domain/refresh-token.js";
import { signUp, startAuth } from "./harness.js";

let svc: Awaited<ReturnType<typeof startAuth>>;
beforeAll(async () => {
  svc = await startAuth();
});
afterAll(() => svc.close());

const auth = () => svc.client(AuthService);
function sessionOf(accessToken: string): string {
  const { sid } = decodeJwt(accessToken);
  expect(sid).toEqual(expect.any(String));
  return sid as string;
}

describe("refresh tokens", () => {
  it("rotates on every use: a new pair each time, in the same session", async () => {
    const { tokens } = await signUp(svc);
    const first = (await auth().refreshToken({ refreshToken: tokens.refreshToken })).tokens!;
    expect(first.refreshToken).not.toBe(tokens.refreshToken);
    const second = (await auth().refreshToken({ refreshToken: first.refreshToken })).tokens!;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    await expect(svc.client(AuthService, second.accessToken).getMe({})).resolves.toBeDefined();
  });

  it("treats a spent token presented again after the retry window as theft and revokes the whole session", async () => {
    const { tokens } = await signUp(svc);
    const next = (await auth().refreshToken({ refreshToken: tokens.refreshToken })).tokens!;
    svc.clock.advance(REFRESH_RETRY_GRACE_MS + 5_000);
    await expect(auth().refreshToken({ refreshToken: tokens.refreshToken })).rejects.toMatchObject({ code: Code.Unauthenticated });
    // The legitimate holder's newer token died with the family.
    await expect(auth().refreshToken({ refreshToken: next.refreshToken })).rejects.toMatchObject({ code: Code.Unauthenticated });
  });

  it("gives two concurrent refreshes of one token the same refresh token, and the session lives on", async () => {
    const { tokens } = await signUp(svc);
    const [a, b] = await Promise.all([
      auth().refreshToken({ refreshToken: tokens.refreshToken }),
      auth().refreshToken({ refreshToken: tokens.refreshToken }),
    ]);
    expect(b.tokens!.refreshToken).toBe(a.tokens!.refreshToken);
    expect(a.tokens!.refreshTokenExpireTime).toBeDefined();
    expect(b.tokens!.refreshTokenExpireTime).toEqual(a.tokens!.refreshTokenExpireTime);
    expect(sessionOf(b.tokens!.accessToken)).toBe(sessionOf(a.tokens!.accessToken));
    await expect(svc.client(AuthService, b.tokens!.accessToken).getMe({})).resolves.toBeDefined();
    const next = (await auth().refreshToken({ refreshToken: a.tokens!.refreshToken })).tokens!;
    await expect(svc.client(AuthService, next.accessToken).getMe({})).resolves.toBeDefined();
  });

  it("answers a retry within the window with the same refresh token of the same session", async () => {
    const { tokens } = await signUp(svc);
    const first = (await auth().refreshToken({ refreshToken: tokens.refreshToken })).tokens!;
    svc.clock.advance(REFRESH_RETRY_GRACE_MS / 2);
    const retried = (await auth().refreshToken({ refreshToken: tokens.refreshToken })).tokens!;
    expect(retried.refreshToken).toBe(first.refreshToken);
    expect(first.refreshTokenExpireTime).toBeDefined();
    expect(retried.refreshTokenExpireTime).toEqual(first.refreshTokenExpireTime);
    expect(sessionOf(retried.accessToken)).toBe(sessionOf(first.accessToken));
    await expect(svc.client(AuthService, retried.accessToken).getMe({})).resolves.toBeDefined();
    await expect(auth().refreshToken({ refreshToken: retried.refreshToken })).resolves.toBeDefined();
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
