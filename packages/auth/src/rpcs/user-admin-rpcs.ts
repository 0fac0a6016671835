import type { ServiceImpl } from "@connectrpc/connect";
import { type AuthService, Role as ProtoRole } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { type Clock, DomainError, type Logger, requireIdentity, requireRole } from "@triphub/platform";
import type { AuditTrail } from "../audit-trail.js";
import { fromProtoRole, toProtoUser } from "../proto-mapping/user.js";
import type { UserStore } from "../store/user-store.js";
import { existingUser } from "./existing-user.js";
import { originOf } from "./request-origin.js";

type UserAdminRpcs = Pick<ServiceImpl<typeof AuthService>, "getUser" | "listUsers" | "setUserRoles">;

/** Reading other accounts and granting roles: ADMIN only, except reading oneself. */
export function userAdminRpcs(d: { users: UserStore; audit: AuditTrail; now: Clock; log: Logger }): UserAdminRpcs {
  return {
    async getUser(req, ctx) {
      const caller = requireIdentity(ctx);
      if (caller.userId !== req.userId) requireRole(ctx, "ADMIN");
      return { user: toProtoUser(await existingUser(d.users, req.userId)) };
    },
    async listUsers(req, ctx) {
      requireRole(ctx, "ADMIN");
      const page = await d.users.list({
        pageSize: req.pageSize,
        pageToken: req.pageToken,
        role: req.role === ProtoRole.UNSPECIFIED ? undefined : fromProtoRole(req.role),
        emailPrefix: req.emailPrefix || undefined,
      });
      return { users: page.users.map(toProtoUser), nextPageToken: page.nextPageToken };
    },
    async setUserRoles(req, ctx) {
      const admin = requireRole(ctx, "ADMIN");
      const roles = req.roles.map(fromProtoRole);
      // Keeps at least one admin able to undo mistakes: nobody demotes themself.
      if (admin.userId === req.userId && !roles.includes("ADMIN")) {
        throw new DomainError("precondition", "an admin cannot remove their own ADMIN role");
      }
      await existingUser(d.users, req.userId);
      const origin = originOf(ctx, d.log);
      const user = await d.users.setRoles(req.userId, roles, d.now(), (tx, { before, after }) =>
        d.audit.record(
          {
            type: "ROLES_CHANGE",
            outcome: "SUCCESS",
            actorUserId: admin.userId,
            subjectUserId: after.id,
            details: { roles_before: before.roles.join(" "), roles_after: after.roles.join(" ") },
          },
          origin,
          tx,
        ),
      );
      return { user: toProtoUser(user) };
    },
  };
}
