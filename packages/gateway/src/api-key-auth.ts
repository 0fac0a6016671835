import { createHash } from "node:crypto";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import { createServiceClient, createServiceTokenSource, GATEWAY_SERVICE, type Logger } from "@triphub/platform";
import type { RouteInfo } from "./transcoder/index.js";

/** What every partner API key secret starts with (auth's `thk_live_<public id>_<random>`). */
export const API_KEY_PREFIX = "thk_live_";

/** What auth said about a key, as the gateway keeps it for a few seconds. */
export interface VerifiedApiKey {
  apiKeyId: string;
  userId: string;
  /** `thk_live_<public id>`: names the key in logs. */
  prefix: string;
  /** Full method names, or `<service>.*`. */
  scopes: readonly string[];
  /** An access token for the key's owner naming the key, forwarded upstream in place of the key. */
  accessToken: string;
  /** When that token expires (ms since the epoch). */
  expiresAt: number;
}

/** Resolves a secret to its key through auth's VerifyApiKey; throws a ConnectError for the client. */
export type ApiKeyVerifier = (secret: string) => Promise<VerifiedApiKey>;

/** Options for {@link createApiKeyVerifier}. */
export interface ApiKeyVerifierOptions {
  /** The auth service, e.g. `http://127.0.0.1:7101`. */
  authUrl: string;
  /** The gateway's client secret (VerifyApiKey answers only the gateway); unset: keys are refused. */
  tokenUrl?: string;
  clientSecret?: string;
  /** How long an answer is reused: revocation reaches the gateway within this. 0: ask every time. */
  cacheTtlMs: number;
  /** The most answers kept at once (default 10 000). */
  cacheSize?: number;
  timeoutMs?: number;
  log: Logger;
}

const TOKEN_MARGIN_MS = 30_000;
const invalidKey = () => new ConnectError("invalid or expired API key", Code.Unauthenticated);
// The header carries our key's shape or it is refused without asking auth (its own rule: 20..256).
const KEY_SHAPE = /^thk_live_[A-Za-z0-9_-]{11,247}$/;

/**
 * Verifies API keys through auth, remembering each answer for `cacheTtlMs` (keyed by the
 * SHA-256 of the secret, so the secret itself is never kept) and sharing one call among
 * concurrent requests with the same key. Failures are not remembered.
 */
export function createApiKeyVerifier(opts: ApiKeyVerifierOptions): ApiKeyVerifier {
  if (!opts.tokenUrl || !opts.clientSecret) {
    opts.log.warn("SERVICE_CLIENT_SECRET is not set: the gateway cannot verify API keys and refuses them");
    return async () => {
      throw new ConnectError("API keys are not accepted by this gateway", Code.Unauthenticated);
    };
  }
  const tokens = createServiceTokenSource({ tokenUrl: opts.tokenUrl, clientId: GATEWAY_SERVICE, clientSecret: opts.clientSecret });
  const auth = createServiceClient(AuthService, opts.authUrl, { identity: { tokens, audience: "auth" }, timeoutMs: opts.timeoutMs });
  const max = opts.cacheSize ?? 10_000;
  const answers = new Map<string, { answer: Promise<VerifiedApiKey>; until: number }>();

  async function ask(secret: string): Promise<VerifiedApiKey> {
    try {
      const res = await auth.verifyApiKey({ secret });
      const expiresAt = res.accessTokenExpireTime ? timestampDate(res.accessTokenExpireTime).getTime() : 0;
      return { apiKeyId: res.apiKeyId, userId: res.userId, prefix: res.prefix, scopes: res.scopes, accessToken: res.accessToken, expiresAt };
    } catch (e) {
      const err = ConnectError.from(e);
      if (err.code === Code.Unauthenticated && err.rawMessage === "invalid API key") throw invalidKey();
      // Anything else is the gateway's problem, not the key's: the client may retry.
      opts.log.error({ err }, "cannot verify an API key with auth");
      throw new ConnectError("cannot verify API keys right now", Code.Unavailable, undefined, undefined, err);
    }
  }

  return async (secret) => {
    if (!KEY_SHAPE.test(secret)) throw invalidKey();
    const id = createHash("sha256").update(secret, "utf8").digest("base64url");
    const now = Date.now();
    const hit = answers.get(id);
    if (hit && hit.until > now) return hit.answer;
    answers.delete(id);
    const answer = ask(secret);
    if (opts.cacheTtlMs > 0) {
      // Map iterates in insertion order: dropping the first entry evicts the oldest.
      if (answers.size >= max) answers.delete(answers.keys().next().value as string);
      const entry = { answer, until: now + opts.cacheTtlMs };
      answers.set(id, entry);
      answer.then(
        // Never forward a token about to die: reuse it only while it has a margin left.
        (key) => {
          entry.until = Math.min(entry.until, key.expiresAt - TOKEN_MARGIN_MS);
        },
        () => {
          if (answers.get(id) === entry) answers.delete(id);
        },
      );
    }
    return answer;
  };
}

/**
 * The API key a request carries: the `X-Api-Key` header, or an `Authorization: Bearer` value
 * with the key prefix (anything else there is an access token). Both headers at once is
 * refused: which one speaks for the caller would be a guess.
 */
export function apiKeyOf(headers: Headers): string | undefined {
  const header = headers.get("x-api-key");
  const authorization = headers.get("authorization");
  if (header !== null) {
    if (authorization !== null) throw new ConnectError("send either an API key or an access token, not both", Code.Unauthenticated);
    return header.trim();
  }
  const bearer = authorization === null ? undefined : /^Bearer\s+(\S+)$/i.exec(authorization.trim())?.[1];
  return bearer?.startsWith(API_KEY_PREFIX) ? bearer : undefined;
}

/** PERMISSION_DENIED unless the key's scopes include the RPC `route` calls (by name or its service's `.*`). */
export function requireScope(route: RouteInfo, key: Pick<VerifiedApiKey, "scopes">): void {
  const service = route.method.parent.typeName;
  const rpc = `${service}.${route.method.name}`;
  if (!key.scopes.some((s) => s === rpc || s === `${service}.*`)) {
    throw new ConnectError(`the API key's scopes do not include ${rpc}`, Code.PermissionDenied);
  }
}

/**
 * Authentication by API key at the edge: undefined when the request carries none (then access
 * tokens apply as before). Otherwise the key must be valid and its scopes must include the
 * route's RPC, public or not; the answer holds the metadata that replaces the client's
 * credentials upstream (the owner's access token minted for the key).
 */
export async function authenticateApiKey(
  route: RouteInfo,
  headers: Headers,
  verify: ApiKeyVerifier,
): Promise<{ key: VerifiedApiKey; metadata: [string, string][] } | undefined> {
  const secret = apiKeyOf(headers);
  if (secret === undefined) return undefined;
  const key = await verify(secret);
  requireScope(route, key);
  return { key, metadata: [["authorization", `Bearer ${key.accessToken}`]] };
}
