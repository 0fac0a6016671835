import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type TokenPair as ProtoTokenPair, TokenPairSchema } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import type { TokenPair } from "../account-flows.js";

/** The proto form of a signed-in session's tokens. */
export function toProtoTokens(t: TokenPair): ProtoTokenPair {
  return create(TokenPairSchema, {
    accessToken: t.accessToken,
    accessTokenExpireTime: timestampFromDate(t.accessTokenExpiresAt),
    refreshToken: t.refreshToken,
    refreshTokenExpireTime: timestampFromDate(t.refreshTokenExpiresAt),
    tokenType: "Bearer",
  });
}
