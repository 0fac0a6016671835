import { create, type DescMessage, type Message, toJson } from "@bufbuild/protobuf";
import { EmptySchema } from "@bufbuild/protobuf/wkt";
import type { GenMessage } from "@bufbuild/protobuf/codegenv2";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { ConfigService } from "@triphub/contracts/triphub/config/v1/config_pb";
import type { Logger } from "pino";
import { type ClientTls, clientTlsFor } from "../client-tls.js";
import { type ServiceTokenSource, serviceTokenInterceptor } from "../service-token.js";
import { type CachedConfig, createConfigCache } from "./config-cache.js";
import { settingsSchemaOf } from "./settings-schemas.js";
import { parseSettings } from "./settings-values.js";

/** The config server's service identity: the audience of the tokens a service calls it with. */
export const CONFIG_SERVICE = "config";

/**
 * A part of a service that applies settings. It checks `settings` and returns what to do to
 * apply them (or nothing), without applying anything yet; throwing refuses the whole version.
 * Every part checks first, then every part applies, so a version is applied whole or not at all.
 */
export type SettingsApplier = (settings: Message) => (() => void) | undefined;

/** Where the applied configuration came from. */
export type ConfigSource = "server" | "cache" | "defaults";

/** A service's configuration from the config server, kept current while the service runs. */
export interface LiveConfig {
  readonly service: string;
  readonly environment: string;
  /** The version applied; 0 when none is (the service runs on its environment's defaults). */
  version(): number;
  source(): ConfigSource;
  /**
   * The applied settings as the service's own settings message, e.g.
   * `live.settings(GatewaySettingsSchema).rateLimits`. Throws for another service's schema.
   */
  settings<T extends Message>(schema: GenMessage<T>): T;
  /** A feature flag of the applied settings (`feature_flags.<name>`), or `fallback` when it is not set. */
  flag(name: string, fallback?: boolean): boolean;
  /** Adds a part that applies settings; it checks and applies the current ones at once (throwing if it refuses them). */
  use(applier: SettingsApplier): void;
  /** Stops watching. */
  close(): Promise<void>;
}

/** Options of {@link startLiveConfig}. */
export interface LiveConfigOptions {
  /** This service's name, e.g. "gateway": whose configuration is read. */
  service: string;
  /** e.g. "dev", "staging", "prod". */
  environment: string;
  /** The config server (CONFIG_URL). */
  url: string;
  /** This service's identity (tokens issued for "config"); without it only an mTLS certificate names the caller. */
  tokens?: ServiceTokenSource;
  /** Client TLS for an https `url` (default: the process's). */
  tls?: ClientTls;
  /** Where the last applied configuration is kept, for a start while the config server is down. */
  cacheDir: string;
  /** The service's root logger: `log_level` is applied to it (and so to every child logger). */
  log: Logger;
  /** How long the start waits for the config server before it falls back to the cache. Default 2 s. */
  startTimeoutMs?: number;
  /** Reconnect back-off of the watch: first and longest wait. Default 250 ms to 10 s. */
  backoffMs?: { initial: number; max: number };
}

interface Applied {
  version: number;
  settings: Message;
  source: ConfigSource;
}

/**
 * Loads the service's configuration (GetConfig for its service and environment), applies it,
 * and follows WatchConfig from then on, applying each new version without a restart and
 * reconnecting with back-off when the stream breaks. Each version applied from the server is
 * kept in a local file; when the config server does not answer at start, the service starts on
 * that file, and with neither on its environment's defaults. A version that does not parse
 * against the service's settings schema, or that a part of the service refuses, is logged and
 * skipped: the previous one stays applied. The log level is applied here; other parts of the
 * service join with {@link LiveConfig.use}.
 */
export async function startLiveConfig(opts: LiveConfigOptions): Promise<LiveConfig> {
  const { service, environment, log } = opts;
  const clog = log.child({ component: "live-config", environment });
  const schema: DescMessage | undefined = settingsSchemaOf(service);
  const baseLevel = log.level;
  const cache = createConfigCache(opts.cacheDir, service, environment);
  const stop = new AbortController();
  const appliers: SettingsApplier[] = [
    (settings) => {
      const level = fieldsOf(schema, settings).log_level;
      const next = typeof level === "string" ? level : baseLevel;
      return () => {
        if (log.level !== next) log.level = next;
      };
    },
  ];
  let applied: Applied = { version: 0, settings: schema ? create(schema) : create(EmptySchema), source: "defaults" };
  // The newest version seen, applied or not: the watch asks only for newer ones.
  let seen = 0;

  function apply(config: CachedConfig, source: ConfigSource): boolean {
    const parsed = schema
      ? parseSettings(schema, config.values)
      : Object.keys(config.values).length === 0
        ? { ok: true as const, settings: create(EmptySchema) }
        : { ok: false as const, violations: [{ field: "values", description: `${service} declares no settings` }] };
    if (!parsed.ok) {
      clog.error({ version: config.version, source, violations: parsed.violations }, "config version refused: it does not fit this service's settings; keeping the previous one");
      return false;
    }
    let commits: ((() => void) | undefined)[];
    try {
      commits = appliers.map((a) => a(parsed.settings));
    } catch (err) {
      clog.error({ err, version: config.version, source }, "config version refused: this service cannot apply it; keeping the previous one");
      return false;
    }
    for (const commit of commits) commit?.();
    applied = { version: config.version, settings: parsed.settings, source };
    clog.info({ version: config.version, source }, "config applied");
    return true;
  }

  let persisting = Promise.resolve();
  const persist = (config: CachedConfig) => {
    persisting = persisting
      .then(() => cache.write(config))
      .catch((err: unknown) => clog.warn({ err, file: cache.file }, "cannot keep the applied config locally"));
  };

  const transport = createGrpcTransport({
    baseUrl: opts.url,
    interceptors: opts.tokens ? [serviceTokenInterceptor(opts.tokens, CONFIG_SERVICE)] : [],
    nodeOptions: clientTlsFor(opts.url, opts.tls),
  });
  const client = createClient(ConfigService, transport);

  // Start: the server's current version, else the cached one, else the defaults.
  let fromServer: CachedConfig | undefined;
  try {
    const res = await client.getConfig({ service, environment }, { timeoutMs: opts.startTimeoutMs ?? 2_000, signal: stop.signal });
    fromServer = toCached(service, environment, res.config?.version, res.config?.values);
  } catch (err) {
    clog.warn({ err: ConnectError.from(err), url: opts.url }, "config server does not answer: starting on the locally kept config");
  }
  if (fromServer) {
    seen = fromServer.version;
    if (apply(fromServer, "server")) persist(fromServer);
  }
  if (applied.source === "defaults") {
    const cached = await cache.read();
    if (cached) {
      seen = Math.max(seen, cached.version);
      apply(cached, "cache");
    } else if (!fromServer) {
      clog.warn({ file: cache.file }, "no config kept locally either: running on the environment's defaults");
    }
  }

  const watching = (async () => {
    const backoff = opts.backoffMs ?? { initial: 250, max: 10_000 };
    let delay = backoff.initial;
    let failing = false;
    while (!stop.signal.aborted) {
      try {
        // No deadline: the stream lasts as long as the service.
        for await (const res of client.watchConfig({ service, environment, afterVersion: BigInt(seen) }, { signal: stop.signal })) {
          if (failing) clog.info("config watch reconnected");
          failing = false;
          delay = backoff.initial;
          const config = toCached(service, environment, res.config?.version, res.config?.values);
          if (config.version <= seen) continue;
          seen = config.version;
          if (apply(config, "server")) persist(config);
        }
      } catch (err) {
        if (stop.signal.aborted) break;
        const e = ConnectError.from(err);
        // Refused credentials do not mend by retrying fast; say so loudly once.
        const level = failing ? "debug" : e.code === Code.PermissionDenied || e.code === Code.Unauthenticated ? "error" : "warn";
        clog[level]({ err: e, retryInMs: delay }, "config watch broke; reconnecting");
        failing = true;
      }
      await sleep(delay * (0.5 + Math.random() / 2), stop.signal);
      delay = Math.min(delay * 2, backoff.max);
    }
  })();

  return {
    service,
    environment,
    version: () => applied.version,
    source: () => applied.source,
    settings<T extends Message>(wanted: GenMessage<T>): T {
      if (applied.settings.$typeName !== wanted.typeName) {
        throw new Error(`${service}'s settings are ${schema?.typeName ?? "not declared"}, not ${wanted.typeName}`);
      }
      return applied.settings as T;
    },
    flag(name, fallback = false) {
      const flags = fieldsOf(schema, applied.settings).feature_flags;
      const value = flags !== null && typeof flags === "object" && !Array.isArray(flags) ? (flags as Record<string, unknown>)[name] : undefined;
      return typeof value === "boolean" ? value : fallback;
    },
    use(applier) {
      const commit = applier(applied.settings);
      commit?.();
      appliers.push(applier);
    },
    async close() {
      stop.abort();
      await watching;
      await persisting;
    },
  };
}

// The settings as proto3 JSON with the proto's field names: the fields every service has
// (log_level, feature_flags) are read by name, whatever the service's message.
function fieldsOf(schema: DescMessage | undefined, settings: Message): Record<string, unknown> {
  if (!schema) return {};
  const json = toJson(schema, settings, { useProtoFieldName: true });
  return json !== null && typeof json === "object" && !Array.isArray(json) ? json : {};
}

function toCached(service: string, environment: string, version: bigint | undefined, values: Record<string, string> | undefined): CachedConfig {
  return { service, environment, version: Number(version ?? 0n), values: { ...(values ?? {}) } };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
