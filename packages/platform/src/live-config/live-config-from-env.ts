import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "pino";
import { clientTls } from "../client-tls.js";
import { createServiceTokenSource } from "../service-token.js";
import { type LiveConfig, startLiveConfig } from "./live-config.js";

/** The variables {@link liveConfigFromEnv} reads (the platform's serviceConfigSpec and serviceIdentityConfigSpec). */
export interface LiveConfigEnv {
  CONFIG_URL?: string;
  ENVIRONMENT?: string;
  CONFIG_CACHE_DIR?: string;
  AUTH_TOKEN_URL?: string;
  SERVICE_CLIENT_SECRET?: string;
}

/**
 * For main.ts (runService does it): the service's live configuration when CONFIG_URL is set,
 * called with its service identity (a service token, or its certificate over mTLS). Undefined
 * without CONFIG_URL, or without an identity to call the config server with (logged): the
 * service then runs on its environment alone.
 */
export async function liveConfigFromEnv(service: string, config: LiveConfigEnv, log: Logger): Promise<LiveConfig | undefined> {
  const url = config.CONFIG_URL;
  if (!url) return undefined;
  const { AUTH_TOKEN_URL: tokenUrl, SERVICE_CLIENT_SECRET: clientSecret } = config;
  const tokens = tokenUrl && clientSecret ? createServiceTokenSource({ tokenUrl, clientId: service, clientSecret }) : undefined;
  const mtls = url.startsWith("https:") && clientTls()?.cert !== undefined;
  if (!tokens && !mtls) {
    log.warn({ url }, "CONFIG_URL is set but this service has no identity to call it with (SERVICE_CLIENT_SECRET or mTLS): running on its environment alone");
    return undefined;
  }
  return startLiveConfig({
    service,
    environment: config.ENVIRONMENT ?? "dev",
    url,
    tokens,
    cacheDir: config.CONFIG_CACHE_DIR ?? join(tmpdir(), "triphub-config"),
    log,
  });
}
