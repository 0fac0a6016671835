import type { MessageInitShape } from "@bufbuild/protobuf";
import type { JwkSchema } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import type { JWK } from "jose";

/** The proto form of a published public key: only the public members, whatever the JWK holds. */
export function toProtoJwk(k: JWK): MessageInitShape<typeof JwkSchema> {
  return { kty: k.kty, kid: k.kid, alg: k.alg, use: k.use, crv: k.crv, x: k.x, y: k.y };
}
