import type { FastifyInstance } from "@triphub/platform";
import type { KeyRing } from "../store/key-ring.js";

/** `GET /.well-known/jwks.json`: the public keys every service verifies access tokens with. */
export function registerJwksRoute(app: FastifyInstance, keys: KeyRing) {
  app.get("/.well-known/jwks.json", async (_req, reply) => {
    reply.header("cache-control", "public, max-age=300");
    return keys.jwks();
  });
}
