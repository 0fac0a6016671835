import { createClient, type Transport } from "@connectrpc/connect";
import { AuthService } from "@triphub/contracts/triphub/auth/v1/auth_pb";
import {
  connectRevokedSessions,
  createServiceTokenSource,
  GATEWAY_SERVICE,
  type Logger,
  type RevokedSessions,
  SERVICE_TOKEN_HEADER,
} from "@triphub/platform";
import type { AskAuth } from "./session-check.js";

/** Where the gateway learns that a session ended; see {@link sessionSources}. */
export interface SessionSources {
  list?: RevokedSessions;
  askAuth?: AskAuth;
  close(): Promise<void>;
}

// CheckSession is one indexed read; a slow answer holds the client's request.
const CHECK_TIMEOUT_MS = 2_000;

/**
 * The shared revocation list when REDIS_URL is set, and auth's CheckSession when the gateway has
 * a service identity (its client secret): the list answers most requests, auth the rest. With
 * neither, ended sessions' tokens work until they expire, and a warning says so at start.
 */
export function sessionSources(
  config: { REDIS_URL?: string; AUTH_TOKEN_URL?: string; SERVICE_CLIENT_SECRET?: string },
  authTransport: Transport,
  log: Logger,
): SessionSources {
  const list = config.REDIS_URL ? connectRevokedSessions({ url: config.REDIS_URL, log }) : undefined;
  let askAuth: AskAuth | undefined;
  if (config.AUTH_TOKEN_URL && config.SERVICE_CLIENT_SECRET) {
    const tokens = createServiceTokenSource({ tokenUrl: config.AUTH_TOKEN_URL, clientId: GATEWAY_SERVICE, clientSecret: config.SERVICE_CLIENT_SECRET });
    const auth = createClient(AuthService, authTransport);
    askAuth = async (sessionId, userId) => {
      const headers = { [SERVICE_TOKEN_HEADER]: await tokens.tokenFor("auth") };
      return (await auth.checkSession({ sessionId, userId }, { headers, timeoutMs: CHECK_TIMEOUT_MS })).active;
    };
  }
  if (!list && !askAuth) {
    log.warn("neither REDIS_URL nor SERVICE_CLIENT_SECRET is set: access tokens of ended sessions (logout, password change) work until they expire");
  }
  return { list, askAuth, close: async () => list?.close() };
}
