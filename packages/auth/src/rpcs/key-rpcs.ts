import type { ServiceImpl } from "@connectrpc/connect";
import type { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { type Logger, requireRole } from "@triphub/platform";
import type { AuditTrail } from "../audit-trail.js";
import { toProtoJwk } from "../proto-mapping/keys.js";
import type { KeyRing } from "../store/key-ring.js";
import { originOf } from "./request-origin.js";

type KeyRpcs = Pick<ServiceImpl<typeof AuthService>, "getJwks" | "rotateSigningKey">;

/** The signing keys: the public set verifiers trust, and rotation by an admin. */
export function keyRpcs(d: { keys: KeyRing; audit: AuditTrail; log: Logger }): KeyRpcs {
  return {
    async getJwks() {
      const { keys } = await d.keys.jwks();
      return { keys: keys.map(toProtoJwk) };
    },
    async rotateSigningKey(_req, ctx) {
      const admin = requireRole(ctx, "ADMIN");
      const origin = originOf(ctx, d.log);
      const key = await d.keys.rotate((tx, started) =>
        d.audit.record({ type: "SIGNING_KEY_ROTATE", outcome: "SUCCESS", actorUserId: admin.userId, details: { kid: started.kid } }, origin, tx),
      );
      return { kid: key.kid };
    },
  };
}
