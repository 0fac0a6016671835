import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema } from "@triphub/contracts/google/rpc/error_details_pb";
import { AuthService, Role } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { type RunningService, rejectionOf } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_EMAIL, signUp } from "./harness.js";
import { startAuth } from "./harness.js";

let svc: RunningService;
let adminToken: string;
beforeAll(async () => {
  svc = await startAuth();
  adminToken = (await signUp(svc, { email: ADMIN_EMAIL })).tokens.accessToken;
});
afterAll(() => svc.close());

describe("profile", () => {
  it("needs a token to read the profile", async () => {
    await expect(svc.client(AuthService).getMe({})).rejects.toMatchObject({ code: Code.Unauthenticated });
  });

  it("updates only the masked fields", async () => {
    const { tokens } = await signUp(svc);
    const me = svc.client(AuthService, tokens.accessToken);
    const { user } = await me.updateMe({ user: { displayName: "Ana Kim", phone: "+821012345678" }, updateMask: { paths: ["phone"] } });
    expect(user?.phone).toBe("+821012345678");
    expect(user?.displayName).toBe("Test User");
  });

  it("refuses a mask path that is not a profile field and changes nothing", async () => {
    const { tokens } = await signUp(svc);
    const me = svc.client(AuthService, tokens.accessToken);
    await expect(me.updateMe({ user: { displayName: "Mallory" }, updateMask: { paths: ["roles"] } })).rejects.toMatchObject({
      code: Code.InvalidArgument,
    });
    expect((await me.getMe({})).user?.displayName).toBe("Test User");
  });

  it("refuses a malformed phone number", async () => {
    const { tokens } = await signUp(svc);
    await expect(svc.client(AuthService, tokens.accessToken).updateMe({ user: { phone: "call me" } })).rejects.toMatchObject({
      code: Code.InvalidArgument,
    });
  });
});

describe("roles", () => {
  it("lets an admin make a guest a HOST, visible in the next token", async () => {
    const { user, tokens } = await signUp(svc);
    const updated = await svc.client(AuthService, adminToken).setUserRoles({ userId: user.userId, roles: [Role.HOST] });
    expect(updated.user?.roles).toEqual([Role.GUEST, Role.HOST]);
    const refreshed = (await svc.client(AuthService).refreshToken({ refreshToken: tokens.refreshToken })).tokens!;
    const claims = JSON.parse(Buffer.from(refreshed.accessToken.split(".")[1]!, "base64url").toString()) as { roles: string[] };
    expect(claims.roles).toEqual(["GUEST", "HOST"]);
  });

  it("refuses role changes by a non-admin", async () => {
    const { user, tokens } = await signUp(svc);
    await expect(
      svc.client(AuthService, tokens.accessToken).setUserRoles({ userId: user.userId, roles: [Role.ADMIN] }),
    ).rejects.toMatchObject({ code: Code.PermissionDenied });
    expect((await svc.client(AuthService, tokens.accessToken).getMe({})).user?.roles).toEqual([Role.GUEST]);
  });

  it("refuses an unspecified role as invalid input", async () => {
    const { user } = await signUp(svc);
    await expect(
      svc.client(AuthService, adminToken).setUserRoles({ userId: user.userId, roles: [Role.UNSPECIFIED] }),
    ).rejects.toMatchObject({ code: Code.InvalidArgument });
  });

  it("answers NOT_FOUND for a user that does not exist", async () => {
    await expect(
      svc.client(AuthService, adminToken).setUserRoles({ userId: "00000000-0000-4000-8000-000000000000", roles: [Role.HOST] }),
    ).rejects.toMatchObject({ code: Code.NotFound });
  });

  it("lets admins list users and others not", async () => {
    const { tokens } = await signUp(svc);
    await expect(svc.client(AuthService, tokens.accessToken).listUsers({})).rejects.toMatchObject({ code: Code.PermissionDenied });
    const page = await svc.client(AuthService, adminToken).listUsers({ pageSize: 2 });
    expect(page.users).toHaveLength(2);
    expect(page.nextPageToken).not.toBe("");
  });

  it("refuses a ListUsers page token under another filter as INVALID_ARGUMENT on page_token", async () => {
    await signUp(svc);
    const admin = svc.client(AuthService, adminToken);
    const { nextPageToken } = await admin.listUsers({ pageSize: 1 });
    const err = await rejectionOf(admin.listUsers({ role: Role.ADMIN, pageToken: nextPageToken }), ConnectError);
    expect(err.code).toBe(Code.InvalidArgument);
    const fields = err.findDetails(BadRequestSchema).flatMap((d) => d.fieldViolations.map((v) => v.field));
    expect(fields).toEqual(["page_token"]);
    expect((await admin.listUsers({ pageSize: 1, pageToken: nextPageToken })).users).toHaveLength(1);
  });

  it("shows a user to themself and to admins only", async () => {
    const a = await signUp(svc);
    const b = await signUp(svc);
    await expect(svc.client(AuthService, a.tokens.accessToken).getUser({ userId: a.user.userId })).resolves.toBeDefined();
    await expect(svc.client(AuthService, a.tokens.accessToken).getUser({ userId: b.user.userId })).rejects.toMatchObject({
      code: Code.PermissionDenied,
    });
    await expect(svc.client(AuthService, adminToken).getUser({ userId: b.user.userId })).resolves.toBeDefined();
  });
});
