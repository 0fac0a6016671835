import type { ServiceImpl } from "@connectrpc/connect";
import type { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import type { Logger } from "@triphub/platform";
import type { AccountFlows } from "../account-flows.js";
import { toProtoTokens } from "../proto-mapping/tokens.js";
import { toProtoUser } from "../proto-mapping/user.js";
import type { SessionStore } from "../store/session-store.js";
import { originOf } from "./request-origin.js";

type SessionRpcs = Pick<ServiceImpl<typeof AuthService>, "login" | "refreshToken" | "logout" | "checkSession">;

/** Signing in and out, rotating the refresh token of a session, and whether a session still holds. */
export function sessionRpcs(d: { accounts: AccountFlows; sessions: Pick<SessionStore, "isActive">; log: Logger }): SessionRpcs {
  return {
    async login(req, ctx) {
      const origin = originOf(ctx, d.log);
      const { user, tokens } = await d.accounts.login({ email: req.email, password: req.password, clientIp: origin.clientIp ?? "unknown", origin });
      return { user: toProtoUser(user), tokens: toProtoTokens(tokens) };
    },
    async refreshToken(req, ctx) {
      return { tokens: toProtoTokens(await d.accounts.refresh(req.refreshToken, originOf(ctx, d.log))) };
    },
    async logout(req, ctx) {
      await d.accounts.logout(req.refreshToken, originOf(ctx, d.log));
      return {};
    },
    // Internal (the gateway): the contract's caller list has already refused everyone else.
    async checkSession(req) {
      return { active: await d.sessions.isActive(req.sessionId, req.userId) };
    },
  };
}
