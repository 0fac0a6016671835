import type { ServiceImpl } from "@connectrpc/connect";
import type { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { requireRole } from "@triphub/platform";
import { toProtoJwk } from "../proto-mapping/keys.js";
import type { KeyRing } from "../store/key-ring.js";

type KeyRpcs = Pick<ServiceImpl<typeof AuthService>, "getJwks" | "rotateSigningKey">;

/** The signing keys: the public set verifiers trust, and rotation by an admin. */
export function keyRpcs(d: { keys: KeyRing }): KeyRpcs {
  return {
    async getJwks() {
      const { keys } = await d.keys.jwks();
      return { keys: keys.map(toProtoJwk) };
    },
    async rotateSigningKey(_req, ctx) {
      requireRole(ctx, "ADMIN");
      return { kid: (await d.keys.rotate()).kid };
    },
  };
}
