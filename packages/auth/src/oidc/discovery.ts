import { DomainError } from "@triphub/platform/domain-error";
import { isAllowedProviderUrl } from "./provider-config.js";

/** The parts of an OpenID Provider's metadata that social login uses. */
export interface ProviderMetadata {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  tokenEndpointAuthMethods: string[] | undefined;
  idTokenSigningAlgs: string[] | undefined;
  codeChallengeMethods: string[] | undefined;
}

/** How long a provider answers before it counts as down. */
export const PROVIDER_TIMEOUT_MS = 5_000;

/** The provider cannot be reached or answers nonsense: the caller may try again later. */
export const providerUnavailable = (provider: string, cause?: unknown) =>
  new DomainError("unavailable", `the login provider "${provider}" is not available; try again later`, { cause });

const trimSlash = (s: string) => s.replace(/\/+$/, "");

function endpoint(provider: string, doc: Record<string, unknown>, field: string): string {
  const value = doc[field];
  if (typeof value !== "string" || !URL.canParse(value) || !isAllowedProviderUrl(new URL(value))) {
    throw providerUnavailable(provider, new Error(`discovery: ${field} is missing or not https`));
  }
  return value;
}

function optionalList(doc: Record<string, unknown>, field: string): string[] | undefined {
  const value = doc[field];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : undefined;
}

/**
 * Reads `<issuer>/.well-known/openid-configuration` (OpenID Connect Discovery 1.0) and checks
 * it: the `issuer` it names must be the configured one (section 4.3, so a document served by
 * someone else cannot redirect the flow), and every endpoint must be https.
 */
export async function discover(provider: string, issuer: string): Promise<ProviderMetadata> {
  let doc: unknown;
  try {
    const res = await fetch(`${trimSlash(issuer)}/.well-known/openid-configuration`, {
      headers: { accept: "application/json" },
      redirect: "error",
      signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    });
    if (!res.ok) throw new Error(`discovery answered HTTP ${res.status}`);
    doc = await res.json();
  } catch (err) {
    throw providerUnavailable(provider, err);
  }
  if (typeof doc !== "object" || doc === null) throw providerUnavailable(provider, new Error("discovery: not a JSON object"));
  const d = doc as Record<string, unknown>;
  if (typeof d.issuer !== "string" || trimSlash(d.issuer) !== trimSlash(issuer)) {
    throw providerUnavailable(provider, new Error("discovery: issuer differs from the configured one"));
  }
  return {
    issuer: d.issuer,
    authorizationEndpoint: endpoint(provider, d, "authorization_endpoint"),
    tokenEndpoint: endpoint(provider, d, "token_endpoint"),
    jwksUri: endpoint(provider, d, "jwks_uri"),
    tokenEndpointAuthMethods: optionalList(d, "token_endpoint_auth_methods_supported"),
    idTokenSigningAlgs: optionalList(d, "id_token_signing_alg_values_supported"),
    codeChallengeMethods: optionalList(d, "code_challenge_methods_supported"),
  };
}
