// The third-party edge of social login: one client per configured OpenID Provider, speaking
// discovery, the authorization endpoint (a URL we hand out), the token endpoint and JWKS.
import { DomainError } from "@triphub/platform/domain-error";
import { createRemoteJWKSet, type JWTVerifyGetKey } from "jose";
import { discover, PROVIDER_TIMEOUT_MS, type ProviderMetadata, providerUnavailable } from "./discovery.js";
import { ID_TOKEN_ALGORITHMS, type ProviderIdentity, verifyIdToken } from "./id-token.js";
import type { OAuthProviderConfig, TokenEndpointAuthMethod } from "./provider-config.js";

/** Discovery is re-read after this long, so a provider's endpoint changes are picked up. */
const DISCOVERY_TTL_MS = 60 * 60_000;

/** What the authorization URL carries; all of it was created and stored by StartOAuthLogin. */
export interface AuthorizationRequest {
  redirectUri: string;
  state: string;
  nonce: string;
  codeChallenge: string;
}

/** One configured provider. */
export interface OidcClient {
  readonly config: OAuthProviderConfig;
  /** The provider URL to send the browser to (response_type=code, PKCE S256). */
  authorizationUrl(req: AuthorizationRequest): Promise<string>;
  /**
   * Exchanges the code at the token endpoint (with the PKCE verifier and the client's
   * credentials) and validates the ID token it returns against `nonce`.
   */
  signIn(input: { code: string; redirectUri: string; codeVerifier: string; nonce: string; now: Date }): Promise<ProviderIdentity>;
}

interface Discovered {
  meta: ProviderMetadata;
  keys: JWTVerifyGetKey;
  algorithms: string[];
  authMethod: TokenEndpointAuthMethod;
}

/** The provider refused the code (used, expired, for another client, wrong verifier...). */
const codeRejected = () =>
  new DomainError("unauthenticated", "the login provider refused the authorization code; start the login again", {
    reason: "OAUTH_CODE_REJECTED",
  });

function pickAuthMethod(config: OAuthProviderConfig, offered: string[] | undefined): TokenEndpointAuthMethod {
  if (config.tokenEndpointAuthMethod) return config.tokenEndpointAuthMethod;
  // Discovery's default is client_secret_basic (OIDC Discovery 3).
  if (offered === undefined || offered.includes("client_secret_basic")) return "client_secret_basic";
  return offered.includes("client_secret_post") ? "client_secret_post" : "client_secret_basic";
}

/** RFC 6749 2.3.1: both parts are form-encoded before they are joined and base64-encoded. */
function basicCredentials(clientId: string, secret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(secret)}`).toString("base64")}`;
}

/** A client of the provider `config` describes; nothing is fetched until the first login. */
export function createOidcClient(config: OAuthProviderConfig): OidcClient {
  let cached: { at: number; value: Promise<Discovered> } | undefined;

  async function load(): Promise<Discovered> {
    const meta = await discover(config.name, config.issuer);
    if (meta.codeChallengeMethods && !meta.codeChallengeMethods.includes("S256")) {
      throw providerUnavailable(config.name, new Error("discovery: the provider does not offer PKCE S256"));
    }
    const algorithms = ID_TOKEN_ALGORITHMS.filter((a) => meta.idTokenSigningAlgs?.includes(a) ?? true);
    if (algorithms.length === 0) throw providerUnavailable(config.name, new Error("discovery: no asymmetric ID token algorithm"));
    const keys = createRemoteJWKSet(new URL(meta.jwksUri), { timeoutDuration: PROVIDER_TIMEOUT_MS });
    return { meta, keys, algorithms, authMethod: pickAuthMethod(config, meta.tokenEndpointAuthMethods) };
  }

  function discovered(): Promise<Discovered> {
    if (!cached || Date.now() - cached.at > DISCOVERY_TTL_MS) {
      const value = load();
      // A failed discovery is not cached: the next login tries again.
      value.catch(() => {
        if (cached?.value === value) cached = undefined;
      });
      cached = { at: Date.now(), value };
    }
    return cached.value;
  }

  async function exchange(d: Discovered, input: { code: string; redirectUri: string; codeVerifier: string }): Promise<string> {
    const form = new URLSearchParams({
      grant_type: "authorization_code",
      code: input.code,
      redirect_uri: input.redirectUri,
      code_verifier: input.codeVerifier,
    });
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
    if (d.authMethod === "client_secret_basic") {
      headers.authorization = basicCredentials(config.clientId, config.clientSecret);
    } else {
      form.set("client_id", config.clientId);
      form.set("client_secret", config.clientSecret);
    }
    let res: Response;
    let body: unknown;
    try {
      res = await fetch(d.meta.tokenEndpoint, { method: "POST", headers, body: form, redirect: "error", signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS) });
      body = await res.json().catch(() => undefined);
    } catch (err) {
      // The request's body (code, secret) is not part of a fetch error; its URL is public.
      throw providerUnavailable(config.name, err);
    }
    if (res.status >= 500) throw providerUnavailable(config.name, new Error(`token endpoint answered HTTP ${res.status}`));
    if (!res.ok) throw codeRejected();
    const idToken = typeof body === "object" && body !== null ? (body as Record<string, unknown>).id_token : undefined;
    if (typeof idToken !== "string" || idToken === "") {
      throw new DomainError("unauthenticated", "the login provider returned no ID token (is the openid scope granted?)", {
        reason: "OAUTH_ID_TOKEN_INVALID",
      });
    }
    return idToken;
  }

  return {
    config,

    async authorizationUrl(req) {
      const d = await discovered();
      const url = new URL(d.meta.authorizationEndpoint);
      const params = {
        response_type: "code",
        client_id: config.clientId,
        redirect_uri: req.redirectUri,
        scope: config.scopes.join(" "),
        state: req.state,
        nonce: req.nonce,
        code_challenge: req.codeChallenge,
        code_challenge_method: "S256",
      };
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
      return url.href;
    },

    async signIn(input) {
      const d = await discovered();
      const idToken = await exchange(d, input);
      return verifyIdToken(idToken, d.keys, {
        provider: config.name,
        issuer: d.meta.issuer,
        clientId: config.clientId,
        nonce: input.nonce,
        algorithms: d.algorithms,
        now: input.now,
      });
    },
  };
}
