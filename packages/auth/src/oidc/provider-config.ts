import { readFileSync } from "node:fs";
import { type EnvVar, InvalidValue } from "@triphub/platform";

/** How auth proves itself to a provider's token endpoint (OIDC Core section 9). */
export type TokenEndpointAuthMethod = "client_secret_basic" | "client_secret_post";

/** One social login provider, as configured. */
export interface OAuthProviderConfig {
  /** Configuration key and the `provider` of the RPCs, e.g. "google". */
  name: string;
  /** The OpenID Provider's issuer; discovery is read from `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Always contains "openid". */
  scopes: string[];
  /** Exact redirect URIs a StartOAuthLogin may name (no prefixes, no patterns). */
  allowedRedirectUris: string[];
  /** Unset: what discovery offers, client_secret_basic first. */
  tokenEndpointAuthMethod?: TokenEndpointAuthMethod;
}

const PROVIDER_NAME = /^[a-z][a-z0-9_-]{1,31}$/;
const AUTH_METHODS: readonly TokenEndpointAuthMethod[] = ["client_secret_basic", "client_secret_post"];
const KNOWN_FIELDS = new Set(["issuer", "clientId", "clientSecret", "clientSecretFile", "scopes", "allowedRedirectUris", "tokenEndpointAuthMethod"]);

/**
 * Plain http only to this machine (a development or test provider); anything that crosses a
 * network carries the code, the client secret and the ID token, so it must be https.
 */
export function isAllowedProviderUrl(url: URL): boolean {
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}

function fail(provider: string, message: string): never {
  throw new InvalidValue(`provider "${provider}": ${message}`);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function stringList(provider: string, field: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((s) => typeof s === "string" && s.trim() !== "")) {
    fail(provider, `${field} must be a non-empty list of strings`);
  }
  return value.map((s: string) => s.trim());
}

function readSecret(provider: string, entry: Record<string, unknown>): string {
  const inline = entry.clientSecret;
  const file = entry.clientSecretFile;
  if ((inline === undefined) === (file === undefined)) fail(provider, "set exactly one of clientSecret and clientSecretFile");
  if (inline !== undefined) {
    if (typeof inline !== "string" || inline === "") fail(provider, "clientSecret must be a non-empty string");
    return inline;
  }
  if (typeof file !== "string" || file === "") fail(provider, "clientSecretFile must be a file path");
  let secret: string;
  try {
    secret = readFileSync(file, "utf8").trim();
  } catch {
    fail(provider, `clientSecretFile ${file} cannot be read`);
  }
  if (secret === "") fail(provider, `clientSecretFile ${file} is empty`);
  return secret;
}

function parseProvider(name: string, entry: unknown): OAuthProviderConfig {
  if (!PROVIDER_NAME.test(name)) fail(name, "the name must match ^[a-z][a-z0-9_-]{1,31}$");
  if (!isRecord(entry)) fail(name, "must be an object");
  const unknown = Object.keys(entry).filter((k) => !KNOWN_FIELDS.has(k));
  if (unknown.length > 0) fail(name, `unknown field(s) ${unknown.join(", ")}`);

  const { issuer, clientId, tokenEndpointAuthMethod } = entry;
  if (typeof issuer !== "string" || !URL.canParse(issuer)) fail(name, "issuer must be a URL");
  const issuerUrl = new URL(issuer);
  if (!isAllowedProviderUrl(issuerUrl)) fail(name, "issuer must be https (http only for localhost)");
  if (issuerUrl.search !== "" || issuerUrl.hash !== "") fail(name, "issuer must have no query or fragment");
  if (typeof clientId !== "string" || clientId.trim() === "") fail(name, "clientId must be a non-empty string");

  const scopes = stringList(name, "scopes", entry.scopes);
  if (scopes.some((s) => /\s/.test(s))) fail(name, "each scope is one word");
  const redirects = stringList(name, "allowedRedirectUris", entry.allowedRedirectUris);
  for (const uri of redirects) {
    if (!URL.canParse(uri)) fail(name, `redirect URI ${uri} is not a URL`);
    const u = new URL(uri);
    // A fragment never reaches the server (RFC 6749 3.1.2); plain http would leak the code.
    if (u.hash !== "") fail(name, `redirect URI ${uri} must have no fragment`);
    if (u.protocol === "http:" && !isAllowedProviderUrl(u)) fail(name, `redirect URI ${uri} must be https (http only for localhost)`);
  }
  if (tokenEndpointAuthMethod !== undefined && !AUTH_METHODS.includes(tokenEndpointAuthMethod as TokenEndpointAuthMethod)) {
    fail(name, `tokenEndpointAuthMethod must be one of ${AUTH_METHODS.join(", ")}`);
  }

  return {
    name,
    issuer,
    clientId: clientId.trim(),
    clientSecret: readSecret(name, entry),
    // Without "openid" the provider answers plain OAuth 2.0: no ID token to validate.
    scopes: scopes.includes("openid") ? scopes : ["openid", ...scopes],
    allowedRedirectUris: redirects,
    tokenEndpointAuthMethod: tokenEndpointAuthMethod as TokenEndpointAuthMethod | undefined,
  };
}

/**
 * `OAUTH_PROVIDERS`: the social login providers as a JSON object, name -> entry. Unset or `{}`
 * means social login is off (every provider is "not configured"). Checked whole at start; a
 * bad entry stops the service, and the value is never echoed because it may hold secrets.
 *
 * Entry fields: `issuer` (https; discovery and JWKS are read from it), `clientId`, exactly one
 * of `clientSecret` or `clientSecretFile` (a path whose trimmed content is the secret),
 * `scopes` ("openid" is added when missing), `allowedRedirectUris` (exact matches) and
 * optionally `tokenEndpointAuthMethod` ("client_secret_basic" | "client_secret_post").
 *
 * Examples (each provider's console registers the client id, secret and redirect URIs):
 * ```json
 * {
 *   "google": {
 *     "issuer": "https://accounts.google.com",
 *     "clientId": "1234567890-abc.apps.googleusercontent.com",
 *     "clientSecretFile": "/run/secrets/oauth-google",
 *     "scopes": ["openid", "email", "profile"],
 *     "allowedRedirectUris": ["https://triphub.example/oauth/callback/google"]
 *   },
 *   "kakao": {
 *     "issuer": "https://kauth.kakao.com",
 *     "clientId": "<REST API key>",
 *     "clientSecretFile": "/run/secrets/oauth-kakao",
 *     "scopes": ["openid", "account_email", "profile_nickname"],
 *     "allowedRedirectUris": ["https://triphub.example/oauth/callback/kakao"],
 *     "tokenEndpointAuthMethod": "client_secret_post"
 *   },
 *   "naver": {
 *     "issuer": "https://nid.naver.com",
 *     "clientId": "<client id>",
 *     "clientSecretFile": "/run/secrets/oauth-naver",
 *     "scopes": ["openid", "email", "name"],
 *     "allowedRedirectUris": ["https://triphub.example/oauth/callback/naver"]
 *   }
 * }
 * ```
 * Kakao needs OpenID Connect switched on for the app. Naver works only where it publishes
 * OpenID Connect discovery and ID tokens at its issuer; its classic Naver Login (profile API,
 * no ID token) is not OpenID Connect and is refused at the first login as unavailable.
 */
export const oauthProviders: EnvVar<ReadonlyMap<string, OAuthProviderConfig>> = {
  expect: "a JSON object: provider name -> { issuer, clientId, clientSecret | clientSecretFile, scopes, allowedRedirectUris }",
  secret: true,
  parse(raw) {
    const providers = new Map<string, OAuthProviderConfig>();
    if (raw === undefined || raw.trim() === "") return providers;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      // JSON.parse's message quotes the input, which may hold a secret.
      throw new InvalidValue("is not valid JSON");
    }
    if (!isRecord(parsed)) throw new InvalidValue("must be a JSON object of providers");
    for (const [name, entry] of Object.entries(parsed)) providers.set(name, parseProvider(name, entry));
    return providers;
  },
};
