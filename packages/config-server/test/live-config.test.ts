// Services following their configuration live: the real config server, real services built by
// their own server factories (accommodation, the gateway), and the chassis's live config
// between them over real gRPC.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isMessage } from "@bufbuild/protobuf";
import { ReservationSettingsSchema } from "@triphub/contracts/triphub/config/v1/settings_pb";
import { AccommodationService } from "@triphub/contracts/triphub/accommodation/v1/accommodation_service_pb";
import { buildServer as buildAccommodation, MIGRATIONS_FOLDER as ACCOMMODATION_MIGRATIONS } from "@triphub/accommodation";
import { buildGateway, loadGatewayConfig } from "@triphub/gateway";
import { createLogger, createService, type LiveConfig, type Logger, startLiveConfig } from "@triphub/platform";
import { serviceDeps } from "@triphub/test-stack";
import { eventually, freePort, type RunningService, serve } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConfigPlatform, startConfigPlatform } from "./config-platform.js";

let p: ConfigPlatform;
let upstream: RunningService;
const closing: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  // Watches re-read on their own once a minute only: changes arrive by notification.
  p = await startConfigPlatform("config_live", { pollMs: 60_000 });
  upstream = await serve(
    await createService({
      name: "stand-in",
      serviceNames: [AccommodationService.typeName],
      routes: (router) => router.service(AccommodationService, { searchAccommodations: () => ({}) }),
      log: createLogger({ service: "stand-in", level: "silent" }),
    }),
  );
}, 60_000);
afterAll(async () => {
  for (const close of closing.reverse()) await close();
  await upstream?.close();
  await p?.close();
});

/** A logger whose lines the test reads. */
function recordingLogger(service: string): { log: Logger; lines: { "log.level": string; message: string; version?: number }[] } {
  const lines: { "log.level": string; message: string }[] = [];
  const log = createLogger({ service, level: "info", destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  return { log, lines };
}

const cacheDir = () => mkdtemp(join(tmpdir(), "config-cache-"));

async function follow(service: string, url: string, dir: string, log: Logger): Promise<LiveConfig> {
  const live = await startLiveConfig({ service, environment: "dev", url, tokens: p.auth.asService(service).tokens, cacheDir: dir, log, backoffMs: { initial: 50, max: 500 } });
  closing.push(() => live.close());
  return live;
}

async function startGateway(live: LiveConfig, log: Logger): Promise<RunningService> {
  const gateway = await serve(
    await buildGateway({
      config: loadGatewayConfig({ UPSTREAMS: `accommodation=${upstream.url}`, AUTH_JWKS_URL: "http://127.0.0.1:9/.well-known/jwks.json", EDGE_CACHE_TTL_MS: "0", TRUST_PROXY: "true" }),
      log,
      liveConfig: live,
    }),
  );
  closing.push(() => gateway.close());
  return gateway;
}

const search = (gateway: RunningService, address: string) =>
  fetch(`${gateway.url}/api/v1/accommodations:search?destination=Seoul`, { headers: { "x-forwarded-for": address } }).then(async (r) => {
    await r.arrayBuffer();
    return { status: r.status, policy: r.headers.get("ratelimit-policy") ?? "" };
  });

describe("a running service", () => {
  it("applies a new log level and feature flag without a restart", async () => {
    const { log } = recordingLogger("accommodation");
    const live = await follow("accommodation", p.server.url, await cacheDir(), log);
    const deps = await serviceDeps(p.auth, { service: "accommodation", migrationsFolder: ACCOMMODATION_MIGRATIONS });
    const accommodation = await serve(await buildAccommodation({ ...deps, log, liveConfig: live }));
    closing.push(() => accommodation.close());
    // A logger the service made for itself before the change.
    const framework = accommodation.host.app.log;
    expect([framework.level, live.flag("instant_book")]).toEqual(["info", false]);

    await p.as(p.auth.admin).setConfig({ service: "accommodation", environment: "dev", values: { log_level: "debug", "feature_flags.instant_book": "true" } });
    await eventually(async () => {
      expect(framework.level).toBe("debug");
      expect(accommodation.host.liveConfig?.flag("instant_book")).toBe(true);
    }, 3_000);

    // Removing the setting brings back the level the service started with.
    await p.as(p.auth.admin).setConfig({ service: "accommodation", environment: "dev", values: {} });
    await eventually(async () => {
      expect(framework.level).toBe("info");
      expect(live.flag("instant_book")).toBe(false);
    }, 3_000);
  });

  it("refuses a version one of its parts cannot apply, logs it and keeps the previous one", async () => {
    const { log, lines } = recordingLogger("reservation");
    const live = await follow("reservation", p.server.url, await cacheDir(), log);
    const applied: number[] = [];
    live.use((settings) => {
      const ttl = isMessage(settings, ReservationSettingsSchema) ? settings.holdTtlSeconds : undefined;
      if (ttl === 666) throw new Error("a hold TTL this service cannot honour");
      return () => applied.push(ttl ?? 0);
    });
    const admin = p.as(p.auth.admin);
    await admin.setConfig({ service: "reservation", environment: "dev", values: { hold_ttl_seconds: "600", log_level: "warn" } });
    await eventually(async () => expect(live.version()).toBe(1), 3_000);
    await admin.setConfig({ service: "reservation", environment: "dev", values: { hold_ttl_seconds: "666", log_level: "debug" } });
    await eventually(async () => expect(lines.some((l) => l.message.startsWith("config version refused"))).toBe(true), 3_000);
    // Nothing of the refused version is applied, the log level included.
    expect([live.version(), applied.at(-1), log.level]).toEqual([1, 600, "warn"]);
  });
});

describe("the gateway", () => {
  let dir: string;
  let live: LiveConfig;
  let gateway: RunningService;

  it("applies a new rate-limit quota without a restart", async () => {
    dir = await cacheDir();
    const { log } = recordingLogger("gateway");
    live = await follow("gateway", p.server.url, dir, log);
    gateway = await startGateway(live, log);
    expect((await search(gateway, "10.9.0.1")).policy).toContain('"search.ip";q=60;w=60');

    await p.as(p.auth.admin).setConfig({ service: "gateway", environment: "dev", values: { "rate_limits.search.ip.limit": "2", "rate_limits.search.ip.period_seconds": "3600" } });
    await eventually(async () => expect((await search(gateway, "10.9.0.2")).policy).toContain('"search.ip";q=2;w=3600'), 3_000);
    // A fresh address: two searches an hour, then no more.
    expect((await search(gateway, "10.9.0.3")).status).toBe(200);
    expect((await search(gateway, "10.9.0.3")).status).toBe(200);
    expect((await search(gateway, "10.9.0.3")).status).toBe(429);
  });

  it("starts on the configuration it kept when the config server is down", async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const { log } = recordingLogger("gateway");
    const again = await follow("gateway", down, dir, log);
    expect([again.source(), again.version()]).toEqual(["cache", live.version()]);
    const restarted = await startGateway(again, log);
    expect((await search(restarted, "10.9.1.1")).policy).toContain('"search.ip";q=2;w=3600');
  });

  it("starts on its environment's defaults with neither the config server nor a kept configuration", async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const { log } = recordingLogger("gateway");
    const bare = await follow("gateway", down, await cacheDir(), log);
    expect([bare.source(), bare.version()]).toEqual(["defaults", 0]);
    const plain = await startGateway(bare, log);
    expect((await search(plain, "10.9.2.1")).policy).toContain('"search.ip";q=60;w=60');
  });

  it("reconnects to a config server that comes back, and applies what changed meanwhile", async () => {
    const port = await freePort();
    const instance = await p.another(port);
    const { log } = recordingLogger("gateway");
    const following = await follow("gateway", instance.url, await cacheDir(), log);
    const before = following.version();
    await instance.close();
    await p.as(p.auth.admin).setConfig({ service: "gateway", environment: "dev", values: { log_level: "debug" } });
    await p.another(port);
    await eventually(async () => expect([following.version(), log.level]).toEqual([before + 1, "debug"]), 5_000);
  });
});
