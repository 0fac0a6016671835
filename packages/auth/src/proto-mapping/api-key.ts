import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type ApiKey as ProtoApiKey, ApiKeySchema } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { type ApiKey, apiKeyPrefix } from "../domain/api-key.js";
import type { User } from "../domain/user.js";
import { toProtoRoles } from "./user.js";

const stamp = (d: Date | undefined) => (d === undefined ? undefined : timestampFromDate(d));

/** The proto form of a key (never its secret nor its hash), with the roles of its owner. */
export function toProtoApiKey(key: ApiKey, owner: Pick<User, "roles">): ProtoApiKey {
  return create(ApiKeySchema, {
    apiKeyId: key.id,
    name: key.name,
    prefix: apiKeyPrefix(key.publicId),
    roles: toProtoRoles(owner.roles),
    createTime: timestampFromDate(key.createdAt),
    expireTime: stamp(key.expiresAt),
    revokeTime: stamp(key.revokedAt),
    lastUseTime: stamp(key.lastUsedAt),
    scopes: key.scopes,
    userId: key.userId,
    replacedByApiKeyId: key.replacedBy ?? "",
  });
}
