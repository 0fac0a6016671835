// The chassis's live configuration when the config server does not answer at start: the
// configuration kept locally, else the environment's defaults. (Following a running config
// server is proved against the real one in packages/config-server/test/live-config.test.ts.)
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@triphub/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { createConfigCache, createLogger, type LiveConfig, startLiveConfig } from "../src/index.js";

const opened: LiveConfig[] = [];
afterEach(async () => {
  for (const l of opened.splice(0)) await l.close();
});

async function startWithServerDown(service: string, cacheDir: string) {
  const lines: { "log.level": string; message: string }[] = [];
  const log = createLogger({ service, level: "info", destination: { write: (l: string) => void lines.push(JSON.parse(l)) } });
  const live = await startLiveConfig({ service, environment: "dev", url: `http://127.0.0.1:${await freePort()}`, cacheDir, log, backoffMs: { initial: 1_000, max: 1_000 } });
  opened.push(live);
  return { live, log, lines };
}

describe("live configuration with the config server down at start", () => {
  it("applies the configuration kept locally", async () => {
    const dir = await mkdtemp(join(tmpdir(), "live-config-"));
    await createConfigCache(dir, "accommodation", "dev").write({
      service: "accommodation",
      environment: "dev",
      version: 7,
      values: { log_level: "warn", "feature_flags.instant_book": "true" },
    });
    const { live, log } = await startWithServerDown("accommodation", dir);
    expect([live.source(), live.version(), log.level, live.flag("instant_book"), live.flag("other", true)]).toEqual(["cache", 7, "warn", true, true]);
  });

  it("runs on the environment's defaults when nothing is kept", async () => {
    const { live, log } = await startWithServerDown("accommodation", await mkdtemp(join(tmpdir(), "live-config-")));
    expect([live.source(), live.version(), log.level, live.flag("instant_book")]).toEqual(["defaults", 0, "info", false]);
  });

  it("refuses a kept configuration that does not fit the service's settings, and says so", async () => {
    const dir = await mkdtemp(join(tmpdir(), "live-config-"));
    await createConfigCache(dir, "gateway", "dev").write({ service: "gateway", environment: "dev", version: 3, values: { log_level: "loud" } });
    const { live, log, lines } = await startWithServerDown("gateway", dir);
    expect([live.source(), live.version(), log.level]).toEqual(["defaults", 0, "info"]);
    expect(lines.some((l) => l["log.level"] === "error" && l.message.startsWith("config version refused"))).toBe(true);
  });

  it("ignores a kept file of another service or environment", async () => {
    const dir = await mkdtemp(join(tmpdir(), "live-config-"));
    const cache = createConfigCache(dir, "review", "dev");
    await cache.write({ service: "review", environment: "prod", version: 2, values: {} });
    expect(await cache.read()).toBeUndefined();
  });
});
