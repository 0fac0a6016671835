import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { type Logger, requireIdentity } from "@triphub/platform";
import type { ApiKeyActor, ApiKeyFlows } from "../api-key-flows.js";
import { apiKeyPrefix, DEFAULT_ROTATION_OVERLAP_SECONDS } from "../domain/api-key.js";
import { toProtoApiKey } from "../proto-mapping/api-key.js";
import { toProtoRoles } from "../proto-mapping/user.js";
import { originOf } from "./request-origin.js";

type ApiKeyRpcs = Pick<ServiceImpl<typeof AuthService>, "createApiKey" | "listApiKeys" | "revokeApiKey" | "rotateApiKey" | "verifyApiKey">;

function actorOf(ctx: HandlerContext): ApiKeyActor {
  const id = requireIdentity(ctx);
  return { userId: id.userId, isAdmin: id.roles.includes("ADMIN") };
}

/**
 * Partner API keys: their owners (and ADMINs) manage them; the gateway verifies them (an
 * internal RPC: the contract names the gateway as its only caller).
 */
export function apiKeyRpcs(d: { apiKeys: ApiKeyFlows; log: Logger }): ApiKeyRpcs {
  return {
    async createApiKey(req, ctx) {
      const { key, secret, owner } = await d.apiKeys.create(actorOf(ctx), {
        userId: req.userId || undefined,
        name: req.name,
        scopes: req.scopes,
        expiresAt: req.expireTime ? timestampDate(req.expireTime) : undefined,
      }, originOf(ctx, d.log));
      return { apiKey: toProtoApiKey(key, owner), secret };
    },
    async listApiKeys(req, ctx) {
      const page = await d.apiKeys.list(actorOf(ctx), { userId: req.userId || undefined, pageSize: req.pageSize, pageToken: req.pageToken });
      return { apiKeys: page.keys.map((k) => toProtoApiKey(k, page.owner)), nextPageToken: page.nextPageToken };
    },
    async revokeApiKey(req, ctx) {
      const { key, owner } = await d.apiKeys.revoke(actorOf(ctx), req.apiKeyId, originOf(ctx, d.log));
      return { apiKey: toProtoApiKey(key, owner) };
    },
    async rotateApiKey(req, ctx) {
      const overlap = req.overlapSeconds ?? DEFAULT_ROTATION_OVERLAP_SECONDS;
      const { key, secret, previous, owner } = await d.apiKeys.rotate(actorOf(ctx), req.apiKeyId, overlap, originOf(ctx, d.log));
      return { apiKey: toProtoApiKey(key, owner), secret, previousApiKey: toProtoApiKey(previous, owner) };
    },
    async verifyApiKey(req, ctx) {
      const { key, owner, accessToken } = await d.apiKeys.verify(req.secret, originOf(ctx, d.log));
      return {
        apiKeyId: key.id,
        userId: owner.id,
        roles: toProtoRoles(owner.roles),
        scopes: key.scopes,
        accessToken: accessToken.token,
        accessTokenExpireTime: timestampFromDate(accessToken.expiresAt),
        prefix: apiKeyPrefix(key.publicId),
      };
    },
  };
}
