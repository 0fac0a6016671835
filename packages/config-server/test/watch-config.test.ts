import type { ConfigSnapshot } from "@triphub/contracts/triphub/config/v1/config_pb";
import { eventually, type RunningService } from "@triphub/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConfigPlatform, startConfigPlatform } from "./config-platform.js";

let p: ConfigPlatform;
let other: RunningService;
beforeAll(async () => {
  // Watchers re-read on their own only once a minute: what arrives sooner came by NOTIFY.
  p = await startConfigPlatform("config_watch", { pollMs: 60_000 });
  other = await p.another();
}, 60_000);
afterAll(async () => {
  await p?.close();
});

/** Follows WatchConfig in the background, collecting what arrives. */
function follow(server: RunningService, service: string, afterVersion = 0n) {
  const got: ConfigSnapshot[] = [];
  const stop = new AbortController();
  const done = (async () => {
    try {
      for await (const res of p.as(p.auth.asService(service), server).watchConfig({ service, environment: "dev", afterVersion }, { signal: stop.signal })) {
        if (res.config) got.push(res.config);
      }
    } catch {
      // Aborted by the test.
    }
  })();
  return {
    versions: () => got.map((c) => c.version),
    last: () => got.at(-1),
    async stop() {
      stop.abort();
      await done;
    },
  };
}

describe("WatchConfig", () => {
  it("sends the current version first, then every new one", async () => {
    const admin = p.as(p.auth.admin);
    await admin.setConfig({ service: "auth", environment: "dev", values: { log_level: "info" } });
    const w = follow(p.server, "auth");
    await eventually(async () => expect(w.versions()).toEqual([1n]), 5_000);
    await admin.setConfig({ service: "auth", environment: "dev", values: { log_level: "debug" }, comment: "look closer" });
    await eventually(async () => expect(w.versions()).toEqual([1n, 2n]), 5_000);
    expect(w.last()?.values).toEqual({ log_level: "debug" });
    expect(w.last()?.comment).toBe("look closer");
    await w.stop();
  });

  it("sends nothing a caller already has", async () => {
    const admin = p.as(p.auth.admin);
    const { config } = await admin.setConfig({ service: "payment", environment: "dev", values: { log_level: "info" } });
    const w = follow(p.server, "payment", config!.version);
    await admin.setConfig({ service: "payment", environment: "dev", values: { log_level: "warn" } });
    await eventually(async () => expect(w.versions()).toEqual([config!.version + 1n]), 5_000);
    await w.stop();
  });

  it("delivers a change written through one config server instance to watchers of another on the same database", async () => {
    const w = follow(other, "reservation");
    // The watch is open (and has read that nothing is configured) before the write.
    await new Promise((r) => setTimeout(r, 300));
    await p.as(p.auth.admin).setConfig({ service: "reservation", environment: "dev", values: { hold_ttl_seconds: "600" } });
    await eventually(async () => expect(w.versions()).toEqual([1n]), 5_000);
    expect(w.last()?.values).toEqual({ hold_ttl_seconds: "600" });
    await w.stop();
  });
});
