import { clientSecretMatches, type Clock, type FastifyInstance, type FastifyReply, SERVICE_NAME } from "@triphub/platform";

import { issueServiceToken } from "../domain/tokens.js";
import type { KeyRing } from "../store/key-ring.js";

/** What the token endpoint needs. */
export interface TokenEndpointDeps {
  keys: KeyRing;
  /** Registered services: name -> SHA-256 of their client secret. */
  clients: ReadonlyMap<string, string>;
  issuer: string;
  /** The public API's audience: never issued to a service, so a service token is never a user's. */
  userAudience: string;
  ttlSeconds: number;
  now: Clock;
}

// RFC 6749 §5.2: errors are a JSON object with an `error` code; 401 for a bad client.
function oauthError(reply: FastifyReply, status: number, error: string, description: string) {
  if (status === 401) reply.header("www-authenticate", 'Basic realm="triphub-services"');
  return reply.code(status).header("cache-control", "no-store").send({ error, error_description: description });
}

/** The client's id and secret from HTTP Basic (client_secret_basic) or the form (client_secret_post). */
function clientCredentials(authorization: string | undefined, form: URLSearchParams): { id: string; secret: string } | undefined {
  const basic = /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(authorization?.trim() ?? "");
  if (basic) {
    const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return undefined;
    // RFC 6749 §2.3.1: both halves are form-urlencoded before they are joined.
    return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  }
  const id = form.get("client_id");
  const secret = form.get("client_secret");
  return id && secret ? { id, secret } : undefined;
}

/**
 * `POST /oauth2/token`: the OAuth 2.0 client-credentials grant (RFC 6749 §4.4) by which one
 * TripHub service gets a short-lived token to call another. The form names the called service
 * in `audience`; the token's `client_id` names the caller. Only registered services get one.
 */
export function registerTokenEndpoint(app: FastifyInstance, deps: TokenEndpointDeps) {
  void app.register(async (scope) => {
    scope.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: 4096 }, (_req, body, done) =>
      done(null, new URLSearchParams(String(body))),
    );
    scope.post("/oauth2/token", async (req, reply) => {
      if (!(req.body instanceof URLSearchParams)) {
        return oauthError(reply, 400, "invalid_request", "send application/x-www-form-urlencoded");
      }
      const form = req.body;
      const client = clientCredentials(req.headers.authorization, form);
      const stored = client && deps.clients.get(client.id);
      if (!client || stored === undefined || !clientSecretMatches(client.secret, stored)) {
        return oauthError(reply, 401, "invalid_client", "unknown client or wrong secret");
      }
      if (form.get("grant_type") !== "client_credentials") {
        return oauthError(reply, 400, "unsupported_grant_type", "only client_credentials is supported here");
      }
      const audience = form.get("audience") ?? "";
      if (!SERVICE_NAME.test(audience) || audience === deps.userAudience) {
        return oauthError(reply, 400, "invalid_target", "audience must name the TripHub service to call");
      }
      const issued = await issueServiceToken(
        await deps.keys.signingKey(),
        { clientId: client.id, audience },
        { issuer: deps.issuer, ttlSeconds: deps.ttlSeconds, now: deps.now() },
      );
      req.log.info({ client: client.id, audience }, "service token issued");
      return reply
        .header("cache-control", "no-store")
        .send({ access_token: issued.token, token_type: "Bearer", expires_in: deps.ttlSeconds });
    });
  });
}
