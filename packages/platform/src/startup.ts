import { setClientTls } from "./client-tls.js";
import { ConfigError } from "./config.js";
import type { TlsOptions } from "./dual-protocol-server.js";
import { loadTls } from "./service-config.js";

/**
 * For main.ts: reads the configuration and the TLS files it names, or prints the ConfigError
 * (every bad variable, no stack) and exits with status 2, before anything starts. With a CA
 * (TLS_CA_FILE) the same files become the process's client TLS: its calls to https URLs check
 * the peer against that CA and present this service's certificate.
 */
export async function configOrExit<C extends { TLS_CERT_FILE?: string; TLS_KEY_FILE?: string; TLS_CA_FILE?: string }>(
  service: string,
  load: () => C,
): Promise<{ config: C; tls: TlsOptions | undefined }> {
  try {
    const config = load();
    const tls = await loadTls(config);
    if (tls?.ca) setClientTls({ ca: tls.ca, cert: tls.cert, key: tls.key });
    return { config, tls };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`${service}: ${e.message}\n`);
    process.exit(2);
  }
}
