import type { ServiceImpl } from "@connectrpc/connect";
import type { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { type Clock, type Logger, requireIdentity } from "@triphub/platform";
import type { AccountFlows } from "../account-flows.js";
import { applyProfilePatch } from "../domain/user.js";
import { toProtoTokens } from "../proto-mapping/tokens.js";
import { toProtoUser } from "../proto-mapping/user.js";
import type { UserStore } from "../store/user-store.js";
import { existingUser } from "./existing-user.js";
import { originOf } from "./request-origin.js";

type AccountRpcs = Pick<ServiceImpl<typeof AuthService>, "signUp" | "getMe" | "updateMe" | "changePassword">;

/** The caller's own account: opening one, reading and editing the profile, changing the password. */
export function accountRpcs(d: { accounts: AccountFlows; users: UserStore; now: Clock; log: Logger }): AccountRpcs {
  return {
    async signUp(req, ctx) {
      const { user, tokens } = await d.accounts.signUp(req, originOf(ctx, d.log));
      return { user: toProtoUser(user), tokens: toProtoTokens(tokens) };
    },
    async getMe(_req, ctx) {
      return { user: toProtoUser(await existingUser(d.users, requireIdentity(ctx).userId)) };
    },
    async updateMe(req, ctx) {
      const { userId } = requireIdentity(ctx);
      const patch = { displayName: req.user?.displayName, phone: req.user?.phone, locale: req.user?.locale };
      const user = await d.users.updateUser(userId, (u) => applyProfilePatch(u, patch, req.updateMask?.paths, d.now()));
      return { user: toProtoUser(user) };
    },
    async changePassword(req, ctx) {
      const { userId } = requireIdentity(ctx);
      return { tokens: toProtoTokens(await d.accounts.changePassword(userId, req.currentPassword, req.newPassword, originOf(ctx, d.log))) };
    },
  };
}
