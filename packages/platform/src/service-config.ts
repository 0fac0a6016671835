import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, type EnvVar, env, InvalidValue } from "./config.js";
import type { TlsOptions } from "./dual-protocol-server.js";

/** The environment every service reads the same way; a service spreads it into its own spec. */
export const serviceConfigSpec = (defaultPort: number) => ({
  PORT: env.port(defaultPort),
  HOST: env.string("127.0.0.1"),
  LOG_LEVEL: env.oneOf(["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const, "info"),
  /** PEM files; with both set the port speaks TLS (HTTP/2 via ALPN, and HTTP/1.1). */
  TLS_CERT_FILE: env.optionalString(),
  TLS_KEY_FILE: env.optionalString(),
  /** With a CA, callers must present a certificate it signed (mTLS between services). */
  TLS_CA_FILE: env.optionalString(),
  ...liveConfigSpec,
  ...registrationSpec,
});

const environmentName: EnvVar<string> = {
  expect: "an environment name like dev, staging or prod",
  parse(raw) {
    const name = raw === undefined || raw === "" ? "dev" : raw;
    if (!/^[a-z][a-z0-9-]{0,31}$/.test(name)) throw new InvalidValue("must be lower case letters, digits and dashes (e.g. staging)");
    return name;
  },
};

const optionalMatching = (expect: string, pattern: RegExp, problem: string): EnvVar<string | undefined> => ({
  expect,
  parse(raw) {
    if (raw === undefined || raw === "") return undefined;
    if (!pattern.test(raw)) throw new InvalidValue(problem);
    return raw;
  },
});

/**
 * How a service registers with the registry (part of {@link serviceConfigSpec}); unset
 * REGISTRY_URL: it does not. It calls the registry with its service identity (AUTH_TOKEN_URL and
 * SERVICE_CLIENT_SECRET, see {@link liveConfigSpec}) or its mTLS certificate.
 */
export const registrationSpec = {
  /** The registry; unset: the service is reached only at the addresses others are configured with. */
  REGISTRY_URL: env.optionalUrl(["http", "https"]),
  /** Unique within the service, e.g. the pod name; default `<hostname>-<port>`. */
  INSTANCE_ID: optionalMatching("an instance id like web-7f9c-2", /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, "must be letters, digits and . _ : - (at most 128)"),
  /** "host:port" others reach this instance at; default: where it listens (the host's name when on every interface). */
  ADVERTISED_ADDRESS: optionalMatching("host:port", /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):[0-9]{1,5}$/, "must be host:port, e.g. accommodation-0.internal:7102"),
  /** The zone (or rack) the instance runs in, for zone-aware balancing. */
  ZONE: env.optionalString(),
  /** The build's version, e.g. a release or a git sha: what canaries are told apart by. */
  SERVICE_VERSION: env.string("dev"),
  /** How long the registry keeps the instance without a heartbeat; heartbeats come every third of it. */
  REGISTRY_LEASE_SECONDS: env.int({ default: 15, min: 5, max: 300 }),
};

/** Where a service's central configuration comes from (part of {@link serviceConfigSpec}). */
export const liveConfigSpec = {
  /** The config server; unset: the service runs on its environment variables alone. */
  CONFIG_URL: env.optionalUrl(["http", "https"]),
  /** Whose configuration the service reads: dev, staging, prod… */
  ENVIRONMENT: environmentName,
  /** Where the last applied configuration is kept, for a start while the config server is down. */
  CONFIG_CACHE_DIR: env.string(join(tmpdir(), "triphub-config")),
  // The service identity it calls the config server with (the same variables as
  // serviceIdentityConfigSpec, so a service that calls nobody else still has one).
  AUTH_TOKEN_URL: env.url("http://127.0.0.1:7101/oauth2/token", ["http", "https"]),
  SERVICE_CLIENT_SECRET: env.optionalSecret(32),
};

/**
 * The environment of a service that calls other services: where auth's token endpoint is, and
 * this service's client secret for it (its client id is its name). Spread it into the spec of
 * a service that calls others; `npm start` and the testkit provision the secret.
 */
export const serviceIdentityConfigSpec = {
  AUTH_TOKEN_URL: env.url("http://127.0.0.1:7101/oauth2/token", ["http", "https"]),
  SERVICE_CLIENT_SECRET: env.optionalSecret(32),
};

/** Reads the TLS files named in the configuration, or undefined for cleartext (h2c + HTTP/1.1). */
export async function loadTls(cfg: { TLS_CERT_FILE?: string; TLS_KEY_FILE?: string; TLS_CA_FILE?: string }): Promise<TlsOptions | undefined> {
  const { TLS_CERT_FILE: cert, TLS_KEY_FILE: key, TLS_CA_FILE: ca } = cfg;
  if (!cert && !key) {
    if (ca) throw new ConfigError("invalid configuration:\n  TLS_CA_FILE needs TLS_CERT_FILE and TLS_KEY_FILE");
    return undefined;
  }
  if (!cert || !key) throw new ConfigError("invalid configuration:\n  TLS_CERT_FILE and TLS_KEY_FILE go together");
  const read = (variable: string, path: string) =>
    readFile(path).catch((e: NodeJS.ErrnoException) => {
      throw new ConfigError(`invalid configuration:\n  ${variable} cannot be read (${e.code ?? e.message}): ${path}`);
    });
  return {
    cert: await read("TLS_CERT_FILE", cert),
    key: await read("TLS_KEY_FILE", key),
    ca: ca ? await read("TLS_CA_FILE", ca) : undefined,
  };
}
