import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { ErrorInfoSchema } from "@triphub/contracts/google/rpc/error_details_pb";
import type { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { ERROR_DOMAIN, type Logger } from "@triphub/platform";
import type { OAuthFlows } from "../oauth-flows.js";
import { toProtoTokens } from "../proto-mapping/tokens.js";
import { toProtoUser } from "../proto-mapping/user.js";
import { originOf } from "./request-origin.js";

type OAuthRpcs = Pick<ServiceImpl<typeof AuthService>, "startOAuthLogin" | "completeOAuthLogin" | "linkOAuthAccount">;

/**
 * FAILED_PRECONDITION carrying the link token in ErrorInfo metadata: the one error whose
 * detail the client must act on, so it is built here rather than from a DomainError.
 */
function linkRequired(provider: string, linkToken: string, expiresAt: Date): ConnectError {
  const info = create(ErrorInfoSchema, {
    reason: "ACCOUNT_LINK_REQUIRED",
    domain: ERROR_DOMAIN,
    metadata: { provider, link_token: linkToken, link_token_expire_time: expiresAt.toISOString() },
  });
  return new ConnectError(
    "an account with this email already exists; confirm its password with LinkOAuthAccount to link this login",
    Code.FailedPrecondition,
    undefined,
    [{ desc: ErrorInfoSchema, value: info }],
  );
}

/** Social login: starting it, completing it, and linking to an existing account. */
export function oauthRpcs(d: { oauth: OAuthFlows; log: Logger }): OAuthRpcs {
  return {
    async startOAuthLogin(req) {
      return d.oauth.start({ provider: req.provider, redirectUri: req.redirectUri });
    },
    async completeOAuthLogin(req, ctx) {
      const done = await d.oauth.complete({ provider: req.provider, code: req.code, state: req.state }, originOf(ctx, d.log));
      if (done.kind === "link_required") throw linkRequired(done.provider, done.linkToken, done.expiresAt);
      return { user: toProtoUser(done.user), tokens: toProtoTokens(done.tokens), created: done.created };
    },
    async linkOAuthAccount(req, ctx) {
      const origin = originOf(ctx, d.log);
      const { user, tokens } = await d.oauth.link({ linkToken: req.linkToken, password: req.password, clientIp: origin.clientIp ?? "unknown", origin });
      return { user: toProtoUser(user), tokens: toProtoTokens(tokens) };
    },
  };
}
